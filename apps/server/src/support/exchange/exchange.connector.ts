import type { Kysely, Selectable } from 'kysely';
import { AppError } from '../../platform/errors.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { ExchangeSourceTable } from './exchange.tables.ts';

export type SourceKind = 'file' | 'http';
/** Only 登记注册 is imported today; the others are declared so sources can be registered ahead of their import. */
export type Dataset = 'registration' | 'licence' | 'credit' | 'person';

/** A target field of a dataset: what the platform stores, whatever the exchange calls the column. */
export interface TargetField {
  key: string;
  label: string;
  required: boolean;
}

export const REGISTRATION_FIELDS: readonly TargetField[] = [
  { key: 'uscc', label: '统一社会信用代码', required: true },
  { key: 'name', label: '名称', required: true },
  { key: 'type', label: '主体类型', required: false },
  { key: 'address', label: '住所/经营场所', required: true },
  { key: 'establishedOn', label: '成立日期', required: false },
  { key: 'status', label: '登记状态', required: false },
  { key: 'businessScope', label: '经营范围', required: false },
];

export const DATASET_FIELDS: Record<Dataset, readonly TargetField[]> = {
  registration: REGISTRATION_FIELDS,
  licence: [],
  credit: [],
  person: [],
};

export const DATASET_LABELS: Record<Dataset, string> = {
  registration: '登记注册',
  licence: '许可',
  credit: '信用',
  person: '人员',
};

/** A configured source: where records come from and how its columns map to target fields. */
export interface ExchangeSource {
  name: string;
  label: string;
  kind: SourceKind;
  dataset: Dataset;
  /** {targetField: column}; `a|b` reads the first of several column names present in the file. */
  mapping: Record<string, string>;
  trustedRank: number;
  updatedAt: string;
}

const toSource = (r: Selectable<ExchangeSourceTable>): ExchangeSource => ({
  name: r.name,
  label: r.label,
  kind: r.kind,
  dataset: r.dataset,
  mapping: r.mapping,
  trustedRank: r.trusted_rank,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listSources(db: Kysely<DB>): Promise<ExchangeSource[]> {
  return (await db.selectFrom('exchange_source').selectAll().orderBy('name').execute()).map(toSource);
}

export async function getSource(db: Kysely<DB>, name: string): Promise<ExchangeSource> {
  const r = await db.selectFrom('exchange_source').selectAll().where('name', '=', name).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', `数据源“${name}”不存在`);
  return toSource(r);
}

/** Replace a source's mapping; every required target field must be mapped to a column. */
export async function updateMapping(
  db: Kysely<DB>,
  name: string,
  mapping: Record<string, string>,
): Promise<{ before: ExchangeSource; after: ExchangeSource }> {
  const before = await getSource(db, name);
  const fields = DATASET_FIELDS[before.dataset];
  const known = new Set(fields.map((f) => f.key));
  const unknown = Object.keys(mapping).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', `未知的目标字段：${unknown.join('、')}`);
  }
  const missing = fields.filter((f) => f.required && !mapping[f.key]?.trim());
  if (missing.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `必填字段未指定来源列：${missing.map((f) => f.label).join('、')}`,
    );
  }
  const clean = Object.fromEntries(
    Object.entries(mapping)
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v !== ''),
  );
  await db
    .updateTable('exchange_source')
    .set({ mapping: json(clean), updated_at: new Date() })
    .where('name', '=', name)
    .execute();
  return { before, after: await getSource(db, name) };
}
