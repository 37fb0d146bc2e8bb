import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../../platform/db/schema.ts';

export interface ExchangeSourceTable {
  name: string;
  label: string;
  kind: 'file' | 'http';
  dataset: 'registration' | 'licence' | 'credit' | 'person';
  /** {targetField: sourceColumnName}: a bureau maps its own exchange's column names without code. */
  mapping: Json<Record<string, string>>;
  trusted_rank: number;
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
  file_name: string;
  sha256: string;
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
}
