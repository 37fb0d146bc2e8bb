import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../db/schema.ts';

export type DayKind = 'working' | 'natural';
export type DeadlineStatus = 'running' | 'paused' | 'met' | 'cancelled';
export type ExtensionStatus = 'pending' | 'approved' | 'rejected';

/** One legal time limit of a subject (migration 0020). Dates are `YYYY-MM-DD` text (China calendar days). */
export interface DeadlineTable {
  id: Generated<number>;
  /** What the limit is about: `clue`, `dispatch_order`, `case`… with its id as text. */
  subject_type: string;
  subject_id: string;
  /** How the board names the subject (a clue number, an order number); never personal data. */
  subject_label: string | null;
  clue_id: number | null;
  department_id: number | null;
  assignee_id: number | null;
  /** `complaint.accept`, `complaint.mediation`, `report.verify`, `report.reply`, … */
  rule_key: string;
  label: string;
  regulation: string;
  /** Effective date of the rule version used (`default` when the built-in value applied). */
  rule_effective_from: string;
  day_kind: DayKind;
  days: number;
  /** Most days the limit may be extended by, in total (0 = no extension). */
  max_extension_days: Generated<number>;
  /** Whether an extension may still be requested after the due day passed. */
  extension_after_due: Generated<boolean>;
  /** Sum of the approved extensions. */
  extended_days: Generated<number>;
  start_on: string;
  due_on: string;
  warn_on: string;
  status: Generated<DeadlineStatus>;
  warned_at: Timestamp | null;
  overdue_at: Timestamp | null;
  closed_on: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  met_in_time: boolean | null;
  version: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** A 中止 period: the days after `from_on` up to and including `to_on` do not count. */
export interface DeadlinePauseTable {
  id: Generated<number>;
  deadline_id: number;
  from_on: string;
  to_on: string | null;
  reason: string;
  actor_id: number | null;
  actor_name: string;
  resumed_by: string | null;
  created_at: GeneratedTimestamp;
}

export interface DeadlineExtensionTable {
  id: Generated<number>;
  deadline_id: number;
  days: number;
  reason: string;
  requested_by: number | null;
  requested_by_name: string;
  requested_at: GeneratedTimestamp;
  status: Generated<ExtensionStatus>;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: Timestamp | null;
  note: string | null;
}

/** Row types of this module's tables, merged into `DB` in platform/db/schema.ts. */
export interface DeadlineTables {
  deadline: DeadlineTable;
  deadline_pause: DeadlinePauseTable;
  deadline_extension: DeadlineExtensionTable;
}
