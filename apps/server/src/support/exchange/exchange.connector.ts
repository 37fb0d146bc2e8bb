import type { ExchangeHttpConfigInput } from '@rongjian/shared/api';
import { Cron } from 'croner';
import type { Kysely, Selectable } from 'kysely';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { PiiVault } from '../../platform/pii/pii.vault.ts';
import { DATASET_FIELDS, DATASETS, type Dataset } from './exchange.datasets.ts';
import type { ExchangeSourceTable } from './exchange.tables.ts';

export type SourceKind = 'file' | 'http';
export type { Dataset, TargetField } from './exchange.datasets.ts';
export { DATASET_FIELDS, DATASET_LABELS } from './exchange.datasets.ts';

/** The kinds this module reads; a source of another kind (fusion's `manual`) is not an exchange source. */
const EXCHANGE_KINDS: readonly string[] = ['file', 'http'];

export interface HttpSettings {
  baseUrl: string;
  pageSize: number;
  timeoutSeconds: number;
  retries: number;
  /** Empty: manual sync only. */
  cron: string;
}

export const HTTP_DEFAULTS: HttpSettings = {
  baseUrl: '',
  pageSize: 500,
  timeoutSeconds: 30,
  retries: 3,
  cron: '',
};

/** A configured source: where records come from and how its columns map to target fields. */
export interface ExchangeSource {
  id: number;
  name: string;
  label: string;
  kind: SourceKind;
  dataset: Dataset;
  /** {targetField: column}; `a|b` reads the first of several column names present in the file. */
  mapping: Record<string, string>;
  trustedRank: number;
  enabled: boolean;
  /** Only for `http` sources. */
  http: HttpSettings | null;
  /** The sealed bearer token (`http`), or null. Never leaves the server. */
  tokenEnc: string | null;
  updatedAt: string;
}

const toSource = (r: Selectable<ExchangeSourceTable>): ExchangeSource => ({
  id: Number(r.id),
  name: r.name,
  label: r.label,
  kind: r.kind as SourceKind,
  dataset: r.dataset,
  mapping: r.mapping,
  trustedRank: r.trusted_rank,
  enabled: r.enabled,
  http: r.kind === 'http' ? { ...HTTP_DEFAULTS, ...r.config } : null,
  tokenEnc: r.token_enc,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listSources(db: Kysely<DB>): Promise<ExchangeSource[]> {
  return (
    await db
      .selectFrom('exchange_source')
      .selectAll()
      .where('kind', 'in', EXCHANGE_KINDS)
      .orderBy('name')
      .execute()
  ).map(toSource);
}

export async function getSource(db: Kysely<DB>, name: string): Promise<ExchangeSource> {
  const r = await db
    .selectFrom('exchange_source')
    .selectAll()
    .where('name', '=', name)
    .where('kind', 'in', EXCHANGE_KINDS)
    .executeTakeFirst();
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
  for (const group of DATASETS[before.dataset].oneOf ?? []) {
    if (group.every((key) => !mapping[key]?.trim())) {
      const labels = group.map((key) => fields.find((f) => f.key === key)?.label ?? key);
      throw new AppError('VALIDATION_FAILED', `${labels.join('与')}至少应指定一个来源列`);
    }
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

/** A cron pattern croner accepts (Asia/Shanghai), or a VALIDATION_FAILED naming the problem. */
export function assertCron(pattern: string): void {
  try {
    new Cron(pattern, { timezone: 'Asia/Shanghai', paused: true }).stop();
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `定时规则不合法：${pattern}（${(err as Error).message}）`);
  }
}

/**
 * Change how an `http` source is pulled. The token is sealed by the vault (kind `secret`, never revealed):
 * `undefined` keeps it, `null` removes it. Returns before/after without the token.
 */
export async function updateHttpConfig(
  deps: { db: Kysely<DB>; pii: Pick<PiiVault, 'encrypt'> },
  name: string,
  input: ExchangeHttpConfigInput,
): Promise<{ before: ExchangeSource; after: ExchangeSource }> {
  const before = await getSource(deps.db, name);
  if (before.kind !== 'http') {
    throw new AppError('VALIDATION_FAILED', `数据源“${before.label}”不是接口数据源`);
  }
  const cron = input.cron.trim();
  if (cron !== '') assertCron(cron);
  const config: HttpSettings = {
    baseUrl: input.baseUrl.trim(),
    pageSize: input.pageSize,
    timeoutSeconds: input.timeoutSeconds,
    retries: input.retries,
    cron,
  };
  await deps.db
    .updateTable('exchange_source')
    .set({
      config: json(config),
      enabled: input.enabled,
      ...(input.token === undefined
        ? {}
        : { token_enc: input.token === null ? null : deps.pii.encrypt('secret', input.token) }),
      updated_at: new Date(),
    })
    .where('name', '=', name)
    .execute();
  return { before, after: await getSource(deps.db, name) };
}
