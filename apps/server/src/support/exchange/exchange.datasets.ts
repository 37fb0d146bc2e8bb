import type { Transaction } from 'kysely';
import type { IntakeRejection, PiiSealer } from '../../fusion/entities/entities.intake.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { PiiKind } from '../../platform/pii/pii.registry.ts';
import type { SettingsService } from '../../platform/settings/settings.service.ts';
import { creditDataset } from './exchange.dataset.credit.ts';
import { licenceDataset } from './exchange.dataset.licence.ts';
import { personDataset } from './exchange.dataset.person.ts';
import { registrationDataset } from './exchange.dataset.registration.ts';

export type Dataset = 'registration' | 'licence' | 'credit' | 'person';

/** A target field of a dataset: what the platform stores, whatever the exchange calls the column. */
export interface TargetField {
  key: string;
  label: string;
  /** The mapping must name a column for it, and every row must have a value. */
  required: boolean;
  /** Longest accepted value, in characters. */
  max?: number;
}

/** Report one problem of the row being built (the row is rejected, every reason kept). */
export type Fail = (field: string, reason: string) => void;

export interface ApplyContext {
  tx: Transaction<DB>;
  pii: PiiSealer;
  settings: Pick<SettingsService, 'get'>;
  source: string;
  runId: number;
  trustedRank: number;
  receivedAt: Date;
  /** The run's natural keys written so far (IntakeMeta.linked): one map per run, kept by its writer. */
  linked: Map<string, number>;
}

export interface ApplyResult {
  inserted: number;
  updated: number;
  /** Records resolution left waiting for a person (registration, fusion's merge queue). */
  queued: number;
  /** Rows refused while writing (no such entity…): they count as rejected, with their reason. */
  rejected: IntakeRejection[];
}

/**
 * One dataset of the exchange (登记注册, 许可, 信用, 人员): its target fields, how a row becomes a record, the key
 * that makes two rows of one run the same record, and how a batch is written — inside the run's transaction.
 */
export interface DatasetHandler<R extends { rowNo: number } = { rowNo: number }> {
  dataset: Dataset;
  label: string;
  fields: readonly TargetField[];
  /** Groups of fields of which at least one must be mapped to a column of the input (USCC or 注册号…). */
  oneOf?: readonly (readonly string[])[];
  /**
   * Check and convert one row. `v[field]` is the trimmed value ('' when empty or unmapped); required and length
   * checks are done already. Call `fail` per problem; a row with problems is dropped whatever this returns.
   */
  build(v: Readonly<Record<string, string>>, rowNo: number, fail: Fail, today: string): R;
  /** Identity within one run: a later row with the same key is rejected as a duplicate. */
  key(r: R): { key: string; field: string; label: string };
  /** The record's own 更新时间 (ISO), for freshness. */
  updatedAt(r: R): string | null;
  apply(c: ApplyContext, batch: R[]): Promise<ApplyResult>;
  /**
   * The batch may be written while the batch before it is still being written (it neither reads nor changes
   * what that one writes). Absent: never.
   */
  independent?(batch: readonly R[]): boolean;
  /** Fields holding personal data: masked in the row-error report, never stored in clear. */
  personal?: Readonly<Record<string, PiiKind>>;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers of different record types share one registry
export const DATASETS: Record<Dataset, DatasetHandler<any>> = {
  registration: registrationDataset,
  licence: licenceDataset,
  credit: creditDataset,
  person: personDataset,
};

export const DATASET_LABELS: Record<Dataset, string> = {
  registration: registrationDataset.label,
  licence: licenceDataset.label,
  credit: creditDataset.label,
  person: personDataset.label,
};

export const DATASET_FIELDS: Record<Dataset, readonly TargetField[]> = {
  registration: registrationDataset.fields,
  licence: licenceDataset.fields,
  credit: creditDataset.fields,
  person: personDataset.fields,
};
