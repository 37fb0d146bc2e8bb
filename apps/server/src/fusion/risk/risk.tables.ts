import type { GeneratedTimestamp, Json } from '../../platform/db/schema.ts';

/** One indicator's share of a score as stored (migration 0016); the API returns it as is. */
export interface StoredContribution {
  key: string;
  label: string;
  value: number;
  weight: number;
  points: number;
  detail: string;
}

/** 信用风险分类 of one entity with its explanation: the latest result, rewritten only when it changes. */
export interface EntityRiskTable {
  entity_id: number;
  risk_class: 'A' | 'B' | 'C' | 'D';
  score: number;
  contributions: Json<StoredContribution[]>;
  /** Lower bounds of B, C, D in the model used. */
  thresholds: Json<number[]>;
  /** Effective date of the model version used, or `default`. */
  model_version: string;
  /** The day the indicators were evaluated for, `YYYY-MM-DD`. */
  as_of: string;
  /** Digest of class, score, contributions, thresholds and version: equal digest = nothing to write. */
  fingerprint: string;
  computed_at: GeneratedTimestamp;
}

/** Row types of this module's tables, merged into `DB` in platform/db/schema.ts. */
export interface RiskTables {
  entity_risk: EntityRiskTable;
}
