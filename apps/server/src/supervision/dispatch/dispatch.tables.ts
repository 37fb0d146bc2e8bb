import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/schema.ts';

/** 指挥调度 tables (migration 0028), wired into `DB` in platform/db/schema.ts. */
export type DispatchModuleCode = 'inspection' | 'enforcement';
export type DispatchStatusCode = 'pending' | 'signed' | 'handling' | 'completed' | 'returned';

/** (business line | any) × (grid | 所 | any) × module → receiving department. */
export interface DispatchRuleTable {
  id: Generated<number>;
  name: string;
  business_line: string | null;
  grid_id: number | null;
  station_id: number | null;
  module: DispatchModuleCode;
  department_id: number;
  priority: Generated<number>;
  enabled: Generated<boolean>;
  note: Generated<string>;
  updated_by: Generated<string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface OfficerLeaveTable {
  id: Generated<number>;
  user_id: number;
  from_on: string;
  to_on: string;
  reason: string;
  created_by: string;
  created_at: GeneratedTimestamp;
}

/** 回避: an officer who must not handle matters of this entity. */
export interface OfficerConflictTable {
  id: Generated<number>;
  user_id: number;
  entity_id: number;
  reason: string;
  created_by: string;
  created_at: GeneratedTimestamp;
}

export interface DispatchDayCounterTable {
  day: string;
  last: number;
}

export interface DispatchOverride {
  reason: string;
  suggestedDepartmentId: number | null;
  suggestedOfficerIds: number[];
}
export interface DispatchPendingTransfer {
  toDepartmentId: number;
  officerIds: number[] | null;
  reason: string;
  requestedById: number | null;
  requestedBy: string;
  requestedAt: string;
}
export interface DispatchResult {
  outcome: 'violation' | 'no_violation' | 'referred' | 'other';
  summary: string;
  attachments?: { name: string; ref: string }[];
  completedBy: string;
  completedAt: string;
}
export interface DispatchUrge {
  at: string;
  by: string;
  message: string;
}

export interface DispatchOrderTable {
  id: Generated<number>;
  number: string;
  module: DispatchModuleCode;
  status: DispatchStatusCode;
  title: string;
  department_id: number;
  judgment_id: number | null;
  entity_id: number | null;
  business_line: string | null;
  grid_id: number | null;
  lng: number | null;
  lat: number | null;
  instructions: Generated<string>;
  rule_id: number | null;
  override: Json<DispatchOverride | null>;
  due_on: string | null;
  pending_transfer: Json<DispatchPendingTransfer | null>;
  result: Json<DispatchResult | null>;
  outcome: string | null;
  return_reason: string | null;
  urges: Json<DispatchUrge[]>;
  urged_at: Timestamp | null;
  escalated_at: Timestamp | null;
  signed_at: Timestamp | null;
  completed_at: Timestamp | null;
  created_by: number | null;
  created_by_name: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  version: Generated<number>;
}

export interface DispatchOrderClueTable {
  order_id: number;
  clue_id: number;
  /** True while the order is open: at most one open order per clue (partial unique index). */
  active: Generated<boolean>;
}

export interface DispatchOrderOfficerTable {
  order_id: number;
  user_id: number;
  lead: Generated<boolean>;
}

export interface DispatchTables {
  dispatch_rule: DispatchRuleTable;
  officer_leave: OfficerLeaveTable;
  officer_conflict: OfficerConflictTable;
  dispatch_day_counter: DispatchDayCounterTable;
  dispatch_order: DispatchOrderTable;
  dispatch_order_clue: DispatchOrderClueTable;
  dispatch_order_officer: DispatchOrderOfficerTable;
}
