import type { ColumnType, Generated } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/schema.ts';

/** How an `http` source is pulled (migration 0013); the bearer token is sealed separately in `token_enc`. */
export interface HttpSourceConfig {
  baseUrl?: string;
  pageSize?: number;
  timeoutSeconds?: number;
  retries?: number;
  /** Cron pattern (Asia/Shanghai) of the scheduled sync; empty: manual only. */
  cron?: string;
}

export interface ExchangeSourceTable {
  id: Generated<number>;
  name: string;
  label: string;
  /** `file` and `http` are exchange sources; other kinds (fusion's `manual`) are not shown here. */
  kind: string;
  dataset: 'registration' | 'licence' | 'credit' | 'person';
  /** {targetField: sourceColumnName}: a bureau maps its own exchange's column names without code. */
  mapping: Json<Record<string, string>>;
  trusted_rank: number;
  config: ColumnType<HttpSourceConfig, HttpSourceConfig | undefined, HttpSourceConfig>;
  enabled: Generated<boolean>;
  token_enc: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface QualityFigure {
  field: string;
  column: string;
  present: number;
  valid: number;
}

export interface ExchangeRunTable {
  id: Generated<number>;
  source: string;
  /** File name, or `接口同步 …` for an http run. */
  file_name: string;
  /** Of the imported file; null for an http run. */
  sha256: string | null;
  started_at: GeneratedTimestamp;
  finished_at: Date | null;
  rows_in: Generated<number>;
  accepted: Generated<number>;
  rejected: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  status: Generated<'running' | 'succeeded' | 'failed'>;
  error: string | null;
  /** Per mapped field: rows present and rows valid, for the quality view. */
  quality: Json<QualityFigure[]>;
  actor_name: string;
  /** `host:pid:token` of the process running it; with `heartbeat_at`, how the sweeper tells a dead run. */
  owner: string | null;
  heartbeat_at: Timestamp | null;
  /** Rows rejected because an earlier row of the same run had the same key. */
  duplicates: Generated<number>;
  /**
   * Accepted rows that made no new entity: the platform already had their record, or their entity (same USCC, or
   * matched by name + address), whether anything changed or not.
   */
  known: Generated<number>;
  /** Records that made a new entity with uncertain look-alikes, waiting in the merge queue for a person. */
  queued: Generated<number>;
  /** The file's columns (an API's record keys) in their own order, for the error report (migration 0037). */
  columns: Json<string[] | null>;
  /** Newest `updatedAt` among the accepted rows: the freshness of the source. */
  newest_record_at: Timestamp | null;
}

/** Incremental sync state of an `http` source: the watermark, and the page a sync in progress got to. */
export interface ExchangeCursorTable {
  source: string;
  /** `updated_since` of the next fresh sync: the server time reported when the last complete sync began. */
  watermark: Timestamp | null;
  pending_since: Timestamp | null;
  /** `next_cursor` of the last committed page of an unfinished sync (null before its first page). */
  pending_cursor: string | null;
  /** Set while a sync is unfinished: server time of its first page, the next watermark. */
  pending_server_time: Timestamp | null;
  run_id: number | null;
  updated_at: GeneratedTimestamp;
}

export interface ExchangeRunErrorTable {
  id: Generated<number>;
  run_id: number;
  row_no: number;
  field: string | null;
  reason: string;
  raw: Json<Record<string, unknown>> | null;
}

export interface ExchangeTables {
  exchange_source: ExchangeSourceTable;
  exchange_run: ExchangeRunTable;
  exchange_run_error: ExchangeRunErrorTable;
  exchange_cursor: ExchangeCursorTable;
}
