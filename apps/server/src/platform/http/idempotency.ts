import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { json } from '../db/json.ts';
import type { DB, GeneratedTimestamp, Json } from '../db/schema.ts';
import { AppError } from '../errors.ts';

/** Rows of migration 0021 (`idempotency_record`). */
export interface IdempotencyTables {
  idempotency_record: {
    scope: string;
    key: string;
    request_hash: string;
    status_code: number;
    response: Json<{ body: unknown }>;
    created_at: GeneratedTimestamp;
  };
}

/** A key is remembered this long; the cleanup job removes older records and a reused old key starts afresh. */
export const IDEMPOTENCY_TTL_HOURS = 24;
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_RE = /^[\x21-\x7e]{1,200}$/;

export interface IdempotentResult<T> {
  status: number;
  body: T;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/** The `Idempotency-Key` header, checked: printable ASCII, at most 200 characters; absent → undefined. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || !KEY_RE.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'Idempotency-Key 应为 1–200 个可见 ASCII 字符', {
      details: [{ path: 'headers.idempotency-key', message: '格式无效' }],
    });
  }
  return key;
}

/** A stable hash of what was asked: the same key with a different request is refused. */
export function requestHash(parts: unknown): string {
  return createHash('sha256').update(canonical(parts)).digest('hex');
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

class KeyTaken extends Error {}

async function lookup(db: Kysely<DB>, scope: string, key: string) {
  return db
    .selectFrom('idempotency_record')
    .select(['request_hash', 'status_code', 'response'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('created_at', '>', sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)
    .executeTakeFirst();
}

function replay<T>(
  row: { request_hash: string; status_code: number; response: { body: unknown } },
  hash: string,
): IdempotentResult<T> {
  if (row.request_hash !== hash) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      '该 Idempotency-Key 已用于另一份不同的请求；重试时请原样提交，新的请求请使用新的 Idempotency-Key',
      { status: 409 },
    );
  }
  return { status: row.status_code, body: row.response.body as T, replayed: true };
}

/**
 * Run a mutating request at most once per (scope, key): `run` gets the transaction, and the answer it returns is
 * stored in that same transaction, so a change never exists without its record (or the reverse). A retry with
 * the same key and request gets the stored answer; with another request, 409 `IDEMPOTENCY_KEY_REUSED`. Two
 * concurrent requests with one key: the primary key lets one commit, the other then replays its answer. Without a
 * key, `run` simply runs in a transaction. `beforeFirstRun` (e.g. using up a challenge) runs on its own, only when
 * the request is not a replay.
 */
export async function idempotent<T>(
  db: Kysely<DB>,
  req: { scope: string; key: string | undefined; hash: string },
  run: (tx: Transaction<DB>) => Promise<{ status: number; body: T }>,
  opts: { beforeFirstRun?: () => Promise<void> } = {},
): Promise<IdempotentResult<T>> {
  const { scope, key, hash } = req;
  if (!key) {
    await opts.beforeFirstRun?.();
    const out = await db.transaction().execute(run);
    return { ...out, replayed: false };
  }
  const earlier = await lookup(db, scope, key);
  if (earlier) return replay<T>(earlier, hash);
  await opts.beforeFirstRun?.();
  try {
    const out = await db.transaction().execute(async (tx) => {
      const result = await run(tx);
      // A record older than the TTL (not yet swept) is replaced; a live one means another request won the race.
      const claimed = await tx
        .insertInto('idempotency_record')
        .values({
          scope,
          key,
          request_hash: hash,
          status_code: result.status,
          response: json({ body: result.body }),
        })
        .onConflict((oc) =>
          oc
            .columns(['scope', 'key'])
            .doUpdateSet({
              request_hash: hash,
              status_code: result.status,
              response: json({ body: result.body }),
              created_at: sql<Date>`now()`,
            })
            .where(
              'idempotency_record.created_at',
              '<=',
              sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
            ),
        )
        .returning('scope')
        .executeTakeFirst();
      if (!claimed) throw new KeyTaken();
      return result;
    });
    return { ...out, replayed: false };
  } catch (err) {
    if (!(err instanceof KeyTaken)) throw err;
    const winner = await lookup(db, scope, key);
    if (!winner) throw new AppError('CONFLICT', '相同 Idempotency-Key 的请求正在处理，请稍后重试');
    return replay<T>(winner, hash);
  }
}

/** Remove records past the TTL (the cleanup job). */
export async function purgeIdempotencyRecords(db: Kysely<DB>): Promise<number> {
  const r = await db
    .deleteFrom('idempotency_record')
    .where('created_at', '<=', sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
