import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/schema.ts';

/** 线索归集 core tables (migration 0018). Personal data of complainants and informants is sealed by the PII vault. */
export type ClueKind = 'complaint' | 'report' | 'inquiry' | 'suggestion' | 'other';
export type ClueSatisfaction = 'satisfied' | 'basically' | 'unsatisfied';

export interface ClueTable {
  id: Generated<number>;
  number: string;
  kind: ClueKind;
  channel: string;
  status: string;
  business_line: string | null;
  category_12315: string | null;
  title: string;
  content: string;
  request: Generated<string>;
  received_at: Timestamp;
  /** `YYYY-MM-DD`, China time: the day whose rules apply. */
  receipt_day: string;
  /** `effective_from` of the `rules.complaintDeadlines` version in force on the receipt day. */
  rule_effective_from: string;
  regulation: string;
  department_id: number | null;
  station_id: number | null;
  grid_id: number | null;
  lng: number | null;
  lat: number | null;
  address: Generated<string>;
  entity_id: number | null;
  respondent_name: Generated<string>;
  respondent_uscc: string | null;
  respondent_address: Generated<string>;
  confidential: Generated<boolean>;
  anonymous: Generated<boolean>;
  external_source: string | null;
  external_no: string | null;
  origin_type: string | null;
  origin_id: string | null;
  split_from_id: number | null;
  merged_into_id: number | null;
  query_code_hash: string | null;
  sort_suggestion: Json<Record<string, unknown>>;
  resolution: Json<Record<string, unknown>>;
  result_summary: Generated<string>;
  closed_at: Timestamp | null;
  satisfaction: ClueSatisfaction | null;
  satisfaction_reason: Generated<string>;
  created_by: number | null;
  created_by_name: Generated<string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  version: Generated<number>;
}

export interface CluePartyTable {
  id: Generated<number>;
  clue_id: number;
  department_id: number | null;
  role: 'complainant' | 'informant';
  name_enc: string | null;
  name_bidx: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  id_card_enc: string | null;
  id_card_bidx: string | null;
  address_enc: string | null;
  real_name: Generated<boolean>;
  original_clue_id: number;
  channel: string;
  created_at: GeneratedTimestamp;
}

export interface ClueAttachmentTable {
  id: Generated<number>;
  clue_id: number;
  file_name: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: number | null;
  uploaded_by_name: Generated<string>;
  uploaded_at: GeneratedTimestamp;
}

export interface ClueDayCounterTable {
  day: string;
  last: number;
}

export interface ClueTables {
  clue: ClueTable;
  clue_party: CluePartyTable;
  clue_attachment: ClueAttachmentTable;
  clue_day_counter: ClueDayCounterTable;
}
