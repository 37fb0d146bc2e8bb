import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../db/schema.ts';

/** Row types of this module's tables: audit trail and login log. Merged into `DB` in platform/db/schema.ts. */

export type AuditResult = 'success' | 'failure';

/** Before/after summary of the object a request changed, as the handler described it (never a raw body). */
export interface AuditSummary {
  before?: unknown;
  after?: unknown;
}

/** One audit record. Append-only; `hash` = SM3(prev_hash + canonical content), see audit.chain.ts. */
export interface AuditLogTable {
  /** Taken from the sequence before insert, because it is part of the hashed content. */
  id: Generated<number>;
  occurred_at: GeneratedTimestamp;
  actor_id: number | null;
  actor_name: string;
  ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: AuditResult;
  summary: Json<AuditSummary | null>;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

/** Records older than the retention period, moved here unchanged (same ids and hashes). */
export interface AuditArchiveTable extends Omit<AuditLogTable, 'id'> {
  id: number;
}

export interface LoginLogTable {
  id: Generated<number>;
  occurred_at: GeneratedTimestamp;
  user_id: number | null;
  username: string;
  ip: string | null;
  user_agent: string | null;
  result: AuditResult;
  reason: string;
}

export interface AuditTables {
  audit_log: AuditLogTable;
  audit_archive: AuditArchiveTable;
  login_log: LoginLogTable;
}
