import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/schema.ts';

/** 模式发现 (migration 0027): one row per pattern a detector found; `finding_key` unique. */
export type FindingDetectorCode = 'repeat_complaints' | 'line_spike' | 'licence_expiry' | 'credit_event';
export type FindingStatusCode = 'open' | 'confirmed' | 'dismissed';

export interface AnalysisFindingTable {
  id: Generated<number>;
  detector: FindingDetectorCode;
  finding_key: string;
  title: string;
  /** The detector's evidence (shapes in packages/shared/src/api/analysis-findings.ts). */
  evidence: Json<Record<string, unknown>>;
  entity_id: number | null;
  grid_id: number | null;
  business_line: string | null;
  department_id: number | null;
  clue_id: number | null;
  status: Generated<FindingStatusCode>;
  created_at: GeneratedTimestamp;
  handled_by: number | null;
  handled_at: Timestamp | null;
  note: string | null;
}

/** This part's tables (Kysely types), wired into `DB` in platform/db/schema.ts. */
export interface AnalysisFindingTables {
  analysis_finding: AnalysisFindingTable;
}
