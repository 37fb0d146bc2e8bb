import type { EntityType } from '../../platform/db/schema.ts';
import { normalizeAddress, normalizeName } from './resolution.normalize.ts';
import type { FieldRules, RuleGroup } from './resolution.settings.ts';
import type { FieldProvenance, FieldRule } from './resolution.tables.ts';

/**
 * Fusion: an entity's registration fields from its linked source records, one conflict rule per field
 * (setting `fusion.fieldRules`), with provenance. Pure functions; resolution.write.ts loads and stores.
 */
export const FUSED_FIELDS = [
  { key: 'uscc', column: 'uscc', label: '统一社会信用代码', group: 'uscc', nullable: true },
  { key: 'name', column: 'name', label: '名称', group: 'name', nullable: false },
  { key: 'type', column: 'type', label: '主体类型', group: 'type', nullable: false },
  { key: 'address', column: 'address', label: '住所（经营场所）', group: 'address', nullable: false },
  { key: 'regionCode', column: 'region_code', label: '行政区划', group: 'regionCode', nullable: false },
  {
    key: 'establishedOn',
    column: 'established_on',
    label: '成立日期',
    group: 'establishedOn',
    nullable: true,
  },
  { key: 'status', column: 'status', label: '登记状态', group: 'status', nullable: false },
  {
    key: 'businessScope',
    column: 'business_scope',
    label: '经营范围',
    group: 'businessScope',
    nullable: true,
  },
  { key: 'lon', column: 'lon', label: '经度', group: 'location', nullable: true },
  { key: 'lat', column: 'lat', label: '纬度', group: 'location', nullable: true },
] as const satisfies readonly {
  key: string;
  column: string;
  label: string;
  group: RuleGroup;
  nullable: boolean;
}[];
export type FieldKey = (typeof FUSED_FIELDS)[number]['key'];
export const FIELD_KEYS: readonly FieldKey[] = FUSED_FIELDS.map((f) => f.key);

/** One linked record as fusion sees it. */
export interface FusionRecord {
  id: number;
  source: string;
  runId: number | null;
  /** The source's own update time, else when the record arrived: what `newest` compares. */
  at: Date;
  /** exchange_source.trusted_rank: lower is more trusted (人工维护 = 0). */
  rank: number;
  manual: boolean;
  fields: Record<string, unknown>;
}

/** The entity's current registration columns and what fusion needs to know about them. */
export interface EntityColumns {
  uscc: string | null;
  name: string;
  type: EntityType;
  address: string;
  region_code: string;
  established_on: string | null;
  status: string;
  business_scope: string | null;
  lon: number | null;
  lat: number | null;
  provenance: Record<string, FieldProvenance>;
  /** support/gis: `geocoder` or `manual` = a GIS step placed the point, and fusion leaves it alone. */
  geo_source?: string | null;
}

const present = (v: unknown) => v !== null && v !== undefined && v !== '';

/** The record gives a value for the group (a location needs both coordinates). */
export function provides(r: FusionRecord, group: RuleGroup): boolean {
  if (group === 'location') return typeof r.fields.lon === 'number' && typeof r.fields.lat === 'number';
  return present(r.fields[group]);
}

const byNewest = (a: FusionRecord, b: FusionRecord) =>
  b.at.getTime() - a.at.getTime() || a.rank - b.rank || b.id - a.id;
const byTrusted = (a: FusionRecord, b: FusionRecord) => a.rank - b.rank || byNewest(a, b);
const byManual = (a: FusionRecord, b: FusionRecord) => Number(b.manual) - Number(a.manual) || byNewest(a, b);
const ORDER: Record<FieldRule, (a: FusionRecord, b: FusionRecord) => number> = {
  newest: byNewest,
  trusted: byTrusted,
  manual: byManual,
};

/** The records giving a value for `group`, best first by `rule`. */
export function ranked(records: readonly FusionRecord[], group: RuleGroup, rule: FieldRule): FusionRecord[] {
  // One record (every new entity of an import): nothing to order.
  if (records.length === 1) return provides(records[0]!, group) ? [records[0]!] : [];
  return records.filter((r) => provides(r, group)).sort(ORDER[rule]);
}

const isoOf = new WeakMap<FusionRecord, string>();

export function provenanceOf(r: FusionRecord, rule: FieldRule): FieldProvenance {
  // One ISO string per record, not per field: an import fuses a million of them.
  let at = isoOf.get(r);
  if (at === undefined) {
    at = r.at.toISOString();
    isoOf.set(r, at);
  }
  return { source: r.source, runId: r.runId, at, rule, recordId: r.id };
}

export interface FusionPlan {
  columns: Omit<EntityColumns, 'provenance' | 'geo_source'>;
  provenance: Record<string, FieldProvenance>;
  nameNorm: string;
  addressNorm: string;
}

const COLUMN_KEYS = FUSED_FIELDS.map((f) => f.column);

/**
 * The entity's columns after fusing `records` under `rules`. A field no record gives keeps its value unless fusion
 * itself had set it (provenance present) and the column may be empty — so an un-merge takes back what the other
 * entity's records brought. Coordinates come only from source values, and never replace a point that a GIS step
 * (geocoder, manual relocation) set.
 */
export function planFusion(
  current: EntityColumns | null,
  records: readonly FusionRecord[],
  rules: FieldRules,
): FusionPlan {
  const provenance: Record<string, FieldProvenance> = { ...(current?.provenance ?? {}) };
  const columns: Record<string, unknown> = {};
  for (const f of FUSED_FIELDS) columns[f.column] = current ? current[f.column] : null;
  // A point a person placed stays; a geocoder's guess stays only until a source delivers real coordinates.
  const manualPoint = current?.geo_source === 'manual';
  const geocodedPoint = current?.geo_source === 'geocoder';

  for (const group of new Set(FUSED_FIELDS.map((f) => f.group))) {
    const fields = FUSED_FIELDS.filter((f) => f.group === group);
    const rule = rules[group];
    const winner = ranked(records, group, rule)[0];
    if (group === 'location' && (manualPoint || (geocodedPoint && winner?.fields.lon == null))) {
      for (const f of fields) delete provenance[f.key];
      continue;
    }
    for (const f of fields) {
      if (winner) {
        columns[f.column] = winner.fields[f.key];
        provenance[f.key] = provenanceOf(winner, rule);
      } else if (provenance[f.key]) {
        if (f.nullable) columns[f.column] = null;
        delete provenance[f.key];
      }
    }
  }
  const cols = columns as FusionPlan['columns'];
  return {
    columns: cols,
    provenance,
    nameNorm: normalizeName(cols.name),
    addressNorm: normalizeAddress(cols.address),
  };
}

/** A registration value of the plan differs from the entity's current columns (provenance aside). */
export function valuesChanged(current: EntityColumns | null, plan: FusionPlan): boolean {
  if (current === null) return true;
  const next = plan.columns as Record<string, unknown>;
  return COLUMN_KEYS.some((k) => !sameValue(current[k as keyof EntityColumns], next[k]));
}

/** Column values compare as stored: numbers as numbers, everything else as text. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a ?? null) === (b ?? null);
  }
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return String(a) === String(b);
}
