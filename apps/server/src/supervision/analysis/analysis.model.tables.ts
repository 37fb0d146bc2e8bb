import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../../platform/db/schema.ts';

/** 自动分拣模型 (migration 0026): one row per trained version; `metrics` holds its `ModelFigures`. */
export interface AnalysisModelTable {
  id: Generated<number>;
  version: string;
  task: Generated<'triage'>;
  active: Generated<boolean>;
  source: Generated<'shipped' | 'trained'>;
  metrics: Json<Record<string, unknown>>;
  trained_on: Json<{ corpus: number; corrections: number }>;
  /** Gzipped JSON (analysis.model.ts `serializeModel`). */
  model: Buffer;
  reason: Generated<string>;
  /** Why the version was (not) activated when it was trained; `auto_activated`: the rule activated it. */
  decision: Generated<string>;
  auto_activated: Generated<boolean>;
  job_id: number | null;
  created_at: GeneratedTimestamp;
  created_by: number | null;
  created_by_name: Generated<string>;
  activated_at: Date | null;
  activated_by_name: string | null;
}

/** Issue 6: this part's tables (Kysely types), wired into `DB` in platform/db/schema.ts. */
export interface AnalysisModelTables {
  analysis_model: AnalysisModelTable;
}
