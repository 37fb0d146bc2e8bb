import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../../platform/db/schema.ts';

/** 分拣与并案 tables (migration 0023): sorting rules, staff corrections, duplicate pairs, 不予受理 grounds. */
export interface ClueSortRuleTable {
  id: Generated<number>;
  name: string;
  priority: number;
  enabled: boolean;
  match: Json<Record<string, unknown>>;
  suggest: Json<Record<string, unknown>>;
  created_by: number | null;
  created_by_name: Generated<string>;
  created_at: GeneratedTimestamp;
  updated_by: number | null;
  updated_by_name: Generated<string>;
  updated_at: GeneratedTimestamp;
  version: Generated<number>;
}

/** One 分拣确认: what the classifiers suggested, what staff confirmed, and which fields differ (issue 6 learns). */
export interface ClueSortFeedbackTable {
  id: Generated<number>;
  clue_id: number;
  suggested: Json<Record<string, unknown>>;
  confirmed: Json<Record<string, unknown>>;
  changed_fields: string[];
  classifier: string | null;
  actor_id: number | null;
  actor_name: Generated<string>;
  at: GeneratedTimestamp;
}

export interface ClueDuplicateCandidateTable {
  id: Generated<number>;
  clue_id: number;
  candidate_id: number;
  score: number;
  reasons: Json<string[]>;
  status: Generated<'open' | 'merged' | 'dismissed'>;
  department_id: number | null;
  created_at: GeneratedTimestamp;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: Date | null;
}

export interface ClueRefusalGroundTable {
  id: Generated<number>;
  code: string;
  regulation: string;
  article: string;
  label: string;
  note: Generated<string>;
  effective_from: string;
  effective_to: string | null;
  sort: Generated<number>;
  enabled: Generated<boolean>;
  updated_at: GeneratedTimestamp;
}

export interface ClueTransferCounterTable {
  year: number;
  last: number;
}

export interface ClueSortingTables {
  clue_sort_rule: ClueSortRuleTable;
  clue_sort_feedback: ClueSortFeedbackTable;
  clue_duplicate_candidate: ClueDuplicateCandidateTable;
  clue_refusal_ground: ClueRefusalGroundTable;
  clue_transfer_counter: ClueTransferCounterTable;
}
