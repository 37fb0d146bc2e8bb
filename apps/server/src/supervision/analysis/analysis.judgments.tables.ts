import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../../platform/db/schema.ts';

/** The model's prediction at judgment time: codes, exact business-line names, confidence, model version. */
export interface JudgmentSuggestionSnapshot {
  kind: string;
  line: string;
  category: string;
  disposal: string;
  confidence: number;
  modelVersion: string;
}

/** 研判 (migration 0030): one analyst decision per clue; clues judged together share `group_id`. */
export interface AnalysisJudgmentTable {
  id: Generated<number>;
  group_id: number | null;
  clue_id: number;
  disposal: string;
  kind: string | null;
  business_line: string | null;
  category_12315: string | null;
  entity_id: number | null;
  conclusion: string;
  basis: string;
  suggestion: Json<JudgmentSuggestionSnapshot | null>;
  judged_by: number;
  judged_at: GeneratedTimestamp;
  department_id: number | null;
}

/** Row types of the judgment workbench, merged into `DB` in platform/db/schema.ts. */
export interface AnalysisJudgmentTables {
  analysis_judgment: AnalysisJudgmentTable;
}
