import type { ColumnType, Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../../platform/db/schema.ts';
import type { GeoPrecision, GeoSource } from '../../support/gis/gis.tables.ts';

export type FieldRule = 'newest' | 'trusted' | 'manual';

/** Where one fused entity field came from (entity.provenance[field]). */
export interface FieldProvenance {
  source: string;
  runId: number | null;
  /** ISO timestamp of the record carrying this value: the source's own update time, else when it was received. */
  at: string;
  /** The conflict rule that chose this value. */
  rule: FieldRule;
  /** The entity_source_record that gave the value (migration 0014; absent in provenance written before). */
  recordId?: number;
}

/**
 * `entity.provenance` as stored (migration 0033): each record once in `r` as `[source, runId, at, recordId]`,
 * each field as `[index into r, rule]`. A new entity of an import names one record for all ten fields — about a
 * quarter of the bytes of one object per field, which made the provenance most of the entity row (and of an
 * import's work).
 */
export interface StoredProvenance {
  r?: [source: string, runId: number | null, at: string, recordId: number | null][];
  f?: Record<string, [record: number, rule: FieldRule]>;
}

export function packProvenance(fields: Readonly<Record<string, FieldProvenance>>): StoredProvenance {
  const r: NonNullable<StoredProvenance['r']> = [];
  const f: NonNullable<StoredProvenance['f']> = {};
  const index = new Map<string, number>();
  for (const [field, p] of Object.entries(fields)) {
    const recordId = p.recordId ?? null;
    const key = `${p.source}\u0000${p.runId}\u0000${p.at}\u0000${recordId}`;
    let i = index.get(key);
    if (i === undefined) {
      i = r.push([p.source, p.runId, p.at, recordId]) - 1;
      index.set(key, i);
    }
    f[field] = [i, p.rule];
  }
  return r.length === 0 ? {} : { r, f };
}

export function unpackProvenance(stored: StoredProvenance): Record<string, FieldProvenance> {
  const out: Record<string, FieldProvenance> = {};
  const records = stored.r ?? [];
  for (const [field, [i, rule]] of Object.entries(stored.f ?? {})) {
    const [source, runId, at, recordId] = records[i]!;
    out[field] = recordId === null ? { source, runId, at, rule } : { source, runId, at, rule, recordId };
  }
  return out;
}

export type MatchMethod = 'uscc' | 'similarity' | 'manual' | 'new';

/** One record as a source delivered it (normalised target fields), linked to the entity it describes. */
export interface EntitySourceRecordTable {
  id: Generated<number>;
  source: string;
  /** USCC when present, else the source's own key (注册号) or a hash of normalised name + address. */
  source_key: string;
  entity_id: number | null;
  run_id: number | null;
  /** When the current `fields` arrived; a delivery that changes nothing leaves the row alone. */
  received_at: GeneratedTimestamp;
  /** The source's own 更新时间 of the record, when it has one: orders records for the `newest` rule. */
  source_updated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  fields: Json<Record<string, unknown>>;
  match_method: MatchMethod;
  match_score: number | null;
  /** Manual records (source `manual`): who set the value, and why. */
  actor_name: ColumnType<string | null, string | null | undefined, string | null>;
  note: ColumnType<string | null, string | null | undefined, string | null>;
}

/** What a merge moved from the absorbed entity to the survivor: exactly these rows go back on un-merge. */
export interface MergeMoved {
  sourceRecords: number[];
  licences: number[];
  creditRecords: number[];
  /** Persons carry their entity's 所 (PII scope): the 所 each had before the move. */
  persons: { id: number; stationId: number | null }[];
  /** Rows left with the absorbed entity because the survivor already holds the same fact (unique keys). */
  kept: { creditRecords: number[]; persons: number[] };
  /** The absorbed entity's USCC, released so the survivor can carry it; restored on un-merge. */
  uscc: string | null;
  /** The survivor's registration columns before the merge: fields no record gives return to these. */
  survivorBefore: SurvivorSnapshot;
  /**
   * Where the survivor's point came from and where it was placed, before the merge (support/gis columns; absent in
   * merges logged before 2026-11-29): an un-merge that gives the point back gives these back with it.
   */
  survivorGeo?: SurvivorGeo;
}

/** support/gis columns of an entity as logged by a merge; times as ISO text (microseconds kept). */
export interface SurvivorGeo {
  geo_source: GeoSource | null;
  geo_provider: string | null;
  geo_precision: GeoPrecision | null;
  geo_updated_at: string | null;
  grid_id: number | null;
  station_id: number | null;
  located_lon: number | null;
  located_lat: number | null;
  located_at: string | null;
}

/** Registration columns and provenance of an entity (resolution.fuse.ts `EntityColumns`, stored as JSON). */
export interface SurvivorSnapshot {
  uscc: string | null;
  name: string;
  type: 'enterprise' | 'individual' | 'cooperative';
  address: string;
  region_code: string;
  established_on: string | null;
  status: string;
  business_scope: string | null;
  lon: number | null;
  lat: number | null;
  provenance: Record<string, FieldProvenance>;
}

export interface EntityMergeTable {
  id: Generated<number>;
  survivor_id: number;
  absorbed_id: number;
  match_id: number | null;
  reason: string;
  moved: Json<MergeMoved>;
  actor_id: number | null;
  actor_name: string;
  created_at: GeneratedTimestamp;
  reverted_at: Date | null;
  reverted_by_id: number | null;
  reverted_by_name: string | null;
  revert_reason: string | null;
}

export type MatchStatus = 'pending' | 'confirmed' | 'rejected';

/** How a queued pair scored (resolution.score.ts), with the normal forms compared. */
export interface MatchDetail {
  numberMismatch: boolean;
  names: [string, string];
  addresses: [string, string];
  nameWeight: number;
  autoThreshold: number;
  queueThreshold: number;
}

/** 主体合并 queue: a record's new entity and an existing entity that may be the same. Never proposed twice. */
export interface EntityMatchTable {
  id: Generated<number>;
  entity_id: number;
  candidate_id: number;
  score: number;
  name_score: number;
  address_score: number;
  detail: Json<MatchDetail>;
  status: Generated<MatchStatus>;
  run_id: number | null;
  created_at: GeneratedTimestamp;
  decided_at: Date | null;
  decided_by_id: number | null;
  decided_by_name: string | null;
  note: string | null;
  merge_id: number | null;
}

/**
 * Columns migration 0014 adds to `entity` (a table of fusion/entities), declared next to the code that writes
 * them and merged into the row type by module augmentation. Null until resolution normalises the row.
 */
declare module '../../platform/db/schema.ts' {
  interface EntityTable {
    name_norm: ColumnType<string | null, string | null | undefined, string | null>;
    address_norm: ColumnType<string | null, string | null | undefined, string | null>;
  }
}

/** Row types of this module's tables (migration 0012 and later), merged into `DB` in platform/db/schema.ts. */
export interface ResolutionTables {
  entity_source_record: EntitySourceRecordTable;
  entity_merge: EntityMergeTable;
  entity_match: EntityMatchTable;
}
