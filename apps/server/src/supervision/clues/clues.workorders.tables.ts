import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/schema.ts';

/** 12315 / 12345 work orders (migration 0022). */
export interface WorkOrderSourceTable {
  code: string;
  name: string;
  /** Our field → their column name (an export's header, a push's JSON key). */
  field_mapping: Json<Record<string, string>>;
  /** Their 诉求类型 labels → our clue kinds. */
  value_mapping: Json<Record<string, string>>;
  /** HMAC-SM3 key of signed pushes (both directions), sealed by the PII vault (kind `secret`). */
  push_secret_enc: string | null;
  outbound_url: string | null;
  outbound_enabled: Generated<boolean>;
  updated_at: GeneratedTimestamp;
}

export interface WorkOrderRowError {
  rowNo: number;
  orderNo: string | null;
  field: string | null;
  reason: string;
  level: 'error' | 'warning';
  raw: Record<string, string>;
}

export interface WorkOrderRunTable {
  id: Generated<number>;
  source: string;
  file_name: string;
  sha256: string;
  rows_in: Generated<number>;
  created: Generated<number>;
  existing: Generated<number>;
  rejected: Generated<number>;
  warnings: Generated<number>;
  errors: Json<WorkOrderRowError[]>;
  actor_id: number | null;
  actor_name: Generated<string>;
  started_at: GeneratedTimestamp;
  finished_at: Timestamp | null;
}

export interface WorkOrderNonceTable {
  source: string;
  nonce: string;
  seen_at: GeneratedTimestamp;
}

export interface WorkOrderTables {
  workorder_source: WorkOrderSourceTable;
  workorder_run: WorkOrderRunTable;
  workorder_nonce: WorkOrderNonceTable;
}
