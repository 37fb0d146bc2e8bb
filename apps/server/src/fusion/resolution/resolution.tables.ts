import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../../platform/db/schema.ts';

/** Where one fused entity field came from (entity.provenance[field]). */
export interface FieldProvenance {
  source: string;
  runId: number | null;
  /** ISO timestamp the record carrying this value was received. */
  at: string;
  /** The conflict rule that chose this value. */
  rule: 'newest' | 'trusted' | 'manual';
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
  received_at: GeneratedTimestamp;
  fields: Json<Record<string, unknown>>;
  match_method: MatchMethod;
  match_score: number | null;
}

/** Row types of this module's tables (migration 0012 and later), merged into `DB` in platform/db/schema.ts. */
export interface ResolutionTables {
  entity_source_record: EntitySourceRecordTable;
}
