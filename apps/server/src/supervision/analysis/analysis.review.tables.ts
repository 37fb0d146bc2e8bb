import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/schema.ts';

/** 研判复盘 (migration 0031): one periodic review report; `figures` holds `ReviewFigures` (shared API). */
export interface AnalysisReviewReportTable {
  id: Generated<number>;
  /** China-time days `YYYY-MM-DD`, both inclusive. */
  period_from: string;
  period_to: string;
  status: Generated<'pending' | 'done' | 'failed'>;
  trigger: Generated<'manual' | 'monthly'>;
  job_id: number | null;
  requested_at: GeneratedTimestamp;
  generated_at: Timestamp | null;
  generated_by: number | null;
  generated_by_name: Generated<string>;
  figures: Json<Record<string, unknown> | null>;
  line_accuracy: number | null;
  judgments: number | null;
  model_activated: boolean | null;
  model_version: string | null;
  model_decision: string | null;
  error: string | null;
}

/** This part's tables (Kysely types), wired into `DB` in platform/db/schema.ts. */
export interface AnalysisReviewTables {
  analysis_review_report: AnalysisReviewReportTable;
}
