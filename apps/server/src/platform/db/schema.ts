import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { AuditTables } from '../audit/audit.tables.ts';
import type { AuthSecurityTables, SessionRestriction } from '../auth/auth.tables.ts';
import type { EntityDossierTables } from '../../fusion/entities/entities.tables.ts';
import type { DeadlineTables } from '../deadlines/deadlines.tables.ts';
import type { DictTables } from '../dict/dict.tables.ts';
import type { ExchangeTables } from '../../support/exchange/exchange.tables.ts';
import type { GisTables } from '../../support/gis/gis.tables.ts';
import type { NoticeTables } from '../notice/notice.tables.ts';
import type { OrgAdminTables } from '../org/org.tables.ts';
import type { PiiTables } from '../pii/pii.tables.ts';
import type { PrefsTables } from '../prefs/prefs.tables.ts';
import type { ResolutionTables, StoredProvenance } from '../../fusion/resolution/resolution.tables.ts';
import type { RiskTables } from '../../fusion/risk/risk.tables.ts';
import type { ClueSortingTables } from '../../supervision/clues/clues.sorting.tables.ts';
import type { ClueTables } from '../../supervision/clues/clues.tables.ts';
import type { ClueChannelTables } from '../../supervision/clues/clues.open311.tables.ts';
import type { IdempotencyTables } from '../http/idempotency.ts';
import type { RateLimitTables } from '../http/rate-limit.ts';
import type { WorkOrderTables } from '../../supervision/clues/clues.workorders.tables.ts';
import type { SmsTables } from '../../support/sms/sms.tables.ts';
import type { SettingsTables } from '../settings/settings.tables.ts';
import type { InboxTables } from '../inbox/inbox.tables.ts';
import type { AnalysisFindingTables } from '../../supervision/analysis/analysis.findings.tables.ts';
import type { AnalysisJudgmentTables } from '../../supervision/analysis/analysis.judgments.tables.ts';
import type { AnalysisModelTables } from '../../supervision/analysis/analysis.model.tables.ts';
import type { AnalysisReviewTables } from '../../supervision/analysis/analysis.review.tables.ts';
import type { DispatchTables } from '../../supervision/dispatch/dispatch.tables.ts';

/**
 * Row types of every table, one section per module. Each module's migration creates the tables described here;
 * modules read and write only their own tables (ARCHITECTURE.md §2).
 */

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T extends object | null = Record<string, unknown>> = JSONColumnType<T, T, T>;

// ── platform/settings ────────────────────────────────────────────────────────────────────────────────────────
export interface SettingTable {
  key: string;
  value: Json;
  updated_at: GeneratedTimestamp;
  updated_by: string | null;
}

// ── platform/ledger ──────────────────────────────────────────────────────────────────────────────────────────
export interface LedgerEventTable {
  id: Generated<number>;
  occurred_at: GeneratedTimestamp;
  actor_id: number | null;
  actor_name: string;
  subject_type: string;
  subject_id: string;
  clue_id: number | null;
  /** Department that owns the subject; drives who may see the event. Null = visible to every signed-in user. */
  department_id: number | null;
  kind: string;
  payload: Json<Record<string, unknown>>;
}

// ── platform/jobs ────────────────────────────────────────────────────────────────────────────────────────────
export type JobStatus = 'pending' | 'running' | 'succeeded' | 'dead';
export interface JobTable {
  id: Generated<number>;
  name: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<JobStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: GeneratedTimestamp;
  locked_by: string | null;
  lease_until: Timestamp | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: GeneratedTimestamp;
  finished_at: Timestamp | null;
}
export interface JobScheduleTable {
  name: string;
  cron: string;
  job_name: string;
  payload: Json<Record<string, unknown>>;
  enabled: Generated<boolean>;
  last_fired_at: Timestamp | null;
}

// ── platform/calendar ────────────────────────────────────────────────────────────────────────────────────────
export interface CalendarOverrideTable {
  /** ISO date, `YYYY-MM-DD`. */
  day: string;
  /** `workday`: a day that is worked (调休 or local decision); `holiday`: a day that is not. */
  kind: 'workday' | 'holiday';
  note: string;
  created_by: string;
  created_at: GeneratedTimestamp;
}
export interface CalendarYearTable {
  /** A year whose official schedule the administrator entered by hand (not yet in the packaged data). */
  year: number;
  note: string;
  entered_by: string;
  entered_at: GeneratedTimestamp;
}

// ── platform/org (departments, posts, users, roles) ──────────────────────────────────────────────────────────
export type DepartmentKind = 'bureau' | 'office' | 'branch' | 'station';
export interface DepartmentTable {
  id: Generated<number>;
  parent_id: number | null;
  name: string;
  kind: DepartmentKind;
  code: string;
  /** Materialised path of ids, `/1/4/`, for subtree queries with a prefix match. */
  path: string;
  sort: Generated<number>;
  region_code: string | null;
  created_at: GeneratedTimestamp;
}
export interface PostTable {
  id: Generated<number>;
  code: string;
  name: string;
}
export type DataScope = 'all' | 'custom' | 'department' | 'department_tree' | 'self';
export interface RoleTable {
  id: Generated<number>;
  code: string;
  name: string;
  data_scope: DataScope;
  /** Department ids for the `custom` (指定部门) scope. */
  scope_department_ids: Json<number[]>;
  permissions: Json<string[]>;
  builtin: Generated<boolean>;
}
export type UserStatus = 'active' | 'disabled';
export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  department_id: number;
  password_hash: string;
  password_changed_at: GeneratedTimestamp;
  must_change_password: Generated<boolean>;
  is_demo: Generated<boolean>;
  status: Generated<UserStatus>;
  cert_no: string | null;
  cert_valid_until: string | null;
  /** Mobile number sealed by the PII vault (`v<version>.…`); see platform/pii. Never plaintext. */
  phone_enc: string | null;
  /** HMAC-SM3 blind index of the normalised number, for exact search without decrypting. */
  phone_bidx: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}
export interface UserRoleTable {
  user_id: number;
  role_id: number;
}
export interface UserPostTable {
  user_id: number;
  post_id: number;
}
export interface SessionTable {
  /** SM3 of the session token; the token itself is only in the user's cookie. */
  id: string;
  user_id: number;
  created_at: GeneratedTimestamp;
  last_seen_at: GeneratedTimestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  /** Set while the account must change its password or enroll TOTP first (platform/auth, migration 0004). */
  restriction: ColumnType<
    SessionRestriction | null,
    SessionRestriction | null | undefined,
    SessionRestriction | null
  >;
  /** Opaque id shown to administrators (online users); never the token or its hash. */
  public_id: Generated<string>;
  seq: Generated<number>;
}

// ── support/gis ──────────────────────────────────────────────────────────────────────────────────────────────
export interface GridTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** The 市场监管所 that owns the grid. */
  station_id: number;
  /** GeoJSON Polygon or MultiPolygon geometry, WGS-84 lon/lat (support/gis/geojson.ts). */
  geometry: Json<
    { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] }
  >;
  center_lon: number;
  center_lat: number;
}

// ── fusion/entities (经营主体) ────────────────────────────────────────────────────────────────────────────────
export type EntityType = 'enterprise' | 'individual' | 'cooperative';
export interface EntityTable {
  id: Generated<number>;
  uscc: string | null;
  name: string;
  type: EntityType;
  address: string;
  region_code: string;
  grid_id: number | null;
  station_id: number | null;
  lon: number | null;
  lat: number | null;
  business_lines: Json<string[]>;
  /** 经营范围 as registered (exchange import). */
  business_scope: string | null;
  status: Generated<string>;
  established_on: string | null;
  risk_class: 'A' | 'B' | 'C' | 'D' | null;
  /** Set when a merge absorbed this entity into another; such an entity is hidden from search. */
  merged_into: number | null;
  /** Per fused field: which source, run and rule gave its current value (packed: `unpackProvenance`). */
  provenance: ColumnType<StoredProvenance, StoredProvenance | undefined, StoredProvenance>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface DB
  extends AuditTables,
    AnalysisFindingTables,
    AnalysisJudgmentTables,
    AnalysisModelTables,
    AnalysisReviewTables,
    DispatchTables,
    InboxTables,
    AuthSecurityTables,
    ClueSortingTables,
    ClueTables,
    ClueChannelTables,
    IdempotencyTables,
    RateLimitTables,
    DeadlineTables,
    DictTables,
    EntityDossierTables,
    ExchangeTables,
    GisTables,
    NoticeTables,
    OrgAdminTables,
    PiiTables,
    PrefsTables,
    ResolutionTables,
    RiskTables,
    SettingsTables,
    SmsTables,
    WorkOrderTables {
  setting: SettingTable;
  ledger_event: LedgerEventTable;
  job: JobTable;
  job_schedule: JobScheduleTable;
  calendar_override: CalendarOverrideTable;
  calendar_year: CalendarYearTable;
  department: DepartmentTable;
  post: PostTable;
  role: RoleTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  user_post: UserPostTable;
  session: SessionTable;
  grid: GridTable;
  entity: EntityTable;
}
