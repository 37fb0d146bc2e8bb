import { sql } from 'kysely';
import { z } from 'zod';
import { json } from '../../platform/db/json.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/ledger/ledger.service.ts';
import { type ExchangeSource, getSource, type HttpSettings } from './exchange.connector.ts';
import { DATASETS } from './exchange.datasets.ts';
import { ExchangeFileError, ObjectColumns, type SourceRow } from './exchange.files.ts';
import { closeInterruptedRun, ownerIsGone } from './exchange.recovery.ts';
import { PROCESS_OWNER, type RunDeps, RunWriter, startHeartbeat } from './exchange.run.ts';
import { RowValidator } from './exchange.validate.ts';

/**
 * The pull adapter for a paged HTTP/JSON exchange API (protocol in docs/exchange.md):
 *
 *   GET {base}/records?dataset=…&updated_since=ISO&cursor=…&limit=N
 *   → { "records": [ {<source column>: value, …} ], "next_cursor": string | null, "server_time": ISO }
 *
 * A sync asks for what changed since the watermark (the server time the last complete sync began), page by page.
 * Each page is applied and its cursor saved in one transaction, so a sync that fails or is killed resumes at the
 * page after the last committed one. Timeouts, network errors and 5xx are retried with backoff; a body that is not
 * the protocol fails the run at once, keeping every committed page and all earlier data.
 */

/** A problem that ends the sync (after retries where retrying makes sense). */
export class SyncFailure extends Error {}

const pageSchema = z.object({
  records: z.array(z.record(z.string(), z.unknown()), { error: '缺少 records 数组，或其中有不是对象的记录' }),
  next_cursor: z.string({ error: 'next_cursor 应为字符串或 null' }).min(1).nullable(),
  server_time: z.iso.datetime({ offset: true, error: 'server_time 应为 ISO 8601 时间' }),
});
type Page = z.infer<typeof pageSchema>;

/** Larger answers are not a page of records. */
const MAX_PAGE_BYTES = 50 * 1024 * 1024;

export function parsePage(text: string, pageNo: number): Page {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SyncFailure(`第 ${pageNo} 页返回的内容不是有效的 JSON（内容可能被截断或不是本接口的应答）`);
  }
  const parsed = pageSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SyncFailure(`第 ${pageNo} 页返回的数据格式不正确：${issue.message}`);
  }
  return parsed.data;
}

export interface FetchOptions {
  settings: HttpSettings;
  token: string | null;
  fetch: typeof fetch;
  backoffMs: (attempt: number) => number;
}

/** 1 s, 2 s, 4 s … (at most 30 s), plus up to 10 % jitter. */
export const defaultBackoffMs = (attempt: number): number =>
  Math.min(1000 * 2 ** (attempt - 1), 30_000) * (1 + Math.random() * 0.1);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One page, retried on timeouts, network errors, 429 and 5xx. */
export async function fetchPage(url: string, pageNo: number, o: FetchOptions): Promise<Page> {
  let last = '';
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await o.fetch(url, {
        headers: { accept: 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
        signal: AbortSignal.timeout(o.settings.timeoutSeconds * 1000),
      });
      if (res.status >= 500 || res.status === 429) {
        last = `接口返回错误 HTTP ${res.status}`;
        await res.body?.cancel().catch(() => {});
      } else if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        const hint = res.status === 401 || res.status === 403 ? '（请检查访问令牌）' : '';
        throw new SyncFailure(`第 ${pageNo} 页请求被接口拒绝：HTTP ${res.status}${hint}`);
      } else {
        if (Number(res.headers.get('content-length') ?? 0) > MAX_PAGE_BYTES) {
          await res.body?.cancel().catch(() => {});
          throw new SyncFailure(`第 ${pageNo} 页过大（超过 50 MB），请减小每页条数`);
        }
        return parsePage(await res.text(), pageNo);
      }
    } catch (err) {
      if (err instanceof SyncFailure) throw err;
      const e = err as Error & { cause?: { code?: string } };
      last =
        e.name === 'TimeoutError' || e.name === 'AbortError'
          ? `请求超时（${o.settings.timeoutSeconds} 秒内没有完整应答）`
          : `无法连接接口（${e.cause?.code ?? e.message}）`;
    }
    if (attempt >= o.settings.retries) {
      throw new SyncFailure(
        `第 ${pageNo} 页${last}${o.settings.retries > 0 ? `，已重试 ${o.settings.retries} 次仍失败` : ''}`,
      );
    }
    await sleep(o.backoffMs(attempt + 1));
  }
}

export function pageUrl(s: HttpSettings, dataset: string, since: Date | null, cursor: string | null): string {
  const q = new URLSearchParams({ dataset, limit: String(s.pageSize) });
  if (since) q.set('updated_since', since.toISOString());
  if (cursor) q.set('cursor', cursor);
  return `${s.baseUrl.replace(/\/+$/, '')}/records?${q}`;
}

export interface SyncOptions {
  actor: Actor;
  fetch?: typeof fetch;
  backoffMs?: (attempt: number) => number;
  /** Enqueue `entities.afterImport` when the run wrote anything (default). */
  enqueueAfterImport?: boolean;
  onPage?: (pageNo: number, rows: number) => void;
}

export interface SyncOutcome {
  runId: number;
  status: 'succeeded' | 'failed';
  /** The sync continued an interrupted one from its saved cursor. */
  resumed: boolean;
  pages: number;
  rowsIn: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  /** Records left in the merge queue for a person to confirm. */
  queued: number;
  error: string | null;
}

/** Register the run, unless another live process is syncing the source; close a dead one's run first. */
async function claim(deps: RunDeps, source: ExchangeSource, fileName: string, actorName: string) {
  return deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('exchange_cursor')
      .values({ source: source.name })
      .onConflict((oc) => oc.column('source').doNothing())
      .execute();
    const cursor = await tx
      .selectFrom('exchange_cursor')
      .selectAll()
      .where('source', '=', source.name)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const running = await tx
      .selectFrom('exchange_run')
      .select(['id', 'owner', 'heartbeat_at'])
      .where('source', '=', source.name)
      .where('status', '=', 'running')
      .execute();
    for (const r of running) {
      if (!ownerIsGone(r.owner, r.heartbeat_at)) {
        throw new AppError('CONFLICT', `数据源“${source.label}”正在同步（批次 ${r.id}），请稍后再试`);
      }
      await closeInterruptedRun(deps, tx, Number(r.id));
    }
    const { id } = await tx
      .insertInto('exchange_run')
      .values({
        source: source.name,
        file_name: fileName,
        sha256: null,
        actor_name: actorName,
        quality: json([]),
        owner: PROCESS_OWNER,
        heartbeat_at: sql<Date>`now()`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { runId: Number(id), cursor };
  });
}

/** Pull what changed at an `http` source since its watermark, or continue the sync a failure or crash cut short. */
export async function syncSource(deps: RunDeps, name: string, opts: SyncOptions): Promise<SyncOutcome> {
  const source = await getSource(deps.db, name);
  if (source.kind !== 'http' || !source.http) {
    throw new AppError('VALIDATION_FAILED', `数据源“${source.label}”不是接口数据源`);
  }
  const settings = source.http;
  if (!settings.baseUrl) throw new AppError('VALIDATION_FAILED', `数据源“${source.label}”尚未配置接口地址`);
  const token = source.tokenEnc ? deps.pii.decrypt(source.tokenEnc) : null;
  const handler = DATASETS[source.dataset];

  const probe = await deps.db
    .selectFrom('exchange_cursor')
    .select('pending_server_time')
    .where('source', '=', name)
    .executeTakeFirst();
  const resumed = !!probe?.pending_server_time;
  const what = `接口同步${resumed ? '（从上次中断处继续）' : ''}：${settings.baseUrl}`;
  const { runId, cursor } = await claim(deps, source, what, opts.actor.name);
  const stopHeartbeat = startHeartbeat(deps.db, runId);

  const columns = new ObjectColumns();
  const validator = new RowValidator(handler, source.mapping, columns.columns, {
    scope: '本次同步中',
    missingColumns: '接口返回的记录缺少必需的字段：',
  });
  const writer = new RunWriter(deps, runId, source, handler, validator);
  const fetchOptions: FetchOptions = {
    settings,
    token,
    fetch: opts.fetch ?? fetch,
    backoffMs: opts.backoffMs ?? defaultBackoffMs,
  };

  const pending = cursor.pending_server_time !== null;
  const since = pending ? cursor.pending_since : cursor.watermark;
  let serverTime: Date | null = pending ? cursor.pending_server_time : null;
  let next: string | null = pending ? cursor.pending_cursor : null;
  let pages = 0;
  let rowNo = 0;
  let error: string | null = null;
  try {
    for (;;) {
      const page = await fetchPage(pageUrl(settings, source.dataset, since, next), pages + 1, fetchOptions);
      serverTime ??= new Date(page.server_time);
      if (page.next_cursor !== null && page.next_cursor === next) {
        throw new SyncFailure(`第 ${pages + 1} 页的翻页游标与上一页相同，接口没有前进`);
      }
      const rows: SourceRow[] = page.records.map((rec) => ({ rowNo: ++rowNo, cells: columns.cells(rec)! }));
      const watermark = serverTime;
      await writer.write(validator.validate(rows), async (tx) => {
        await tx
          .updateTable('exchange_cursor')
          .set(
            page.next_cursor
              ? {
                  pending_since: since,
                  pending_cursor: page.next_cursor,
                  pending_server_time: watermark,
                  run_id: runId,
                  updated_at: sql<Date>`now()`,
                }
              : {
                  watermark,
                  pending_since: null,
                  pending_cursor: null,
                  pending_server_time: null,
                  run_id: runId,
                  updated_at: sql<Date>`now()`,
                },
          )
          .where('source', '=', name)
          .execute();
      });
      pages++;
      opts.onPage?.(pages, rows.length);
      if (!page.next_cursor) break;
      next = page.next_cursor;
    }
  } catch (err) {
    if (!(err instanceof SyncFailure || err instanceof ExchangeFileError)) {
      stopHeartbeat();
      await finish(`同步中断：${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    error = err.message;
  }
  stopHeartbeat();
  await finish(error);
  const t = writer.totals;
  return {
    runId,
    status: error ? 'failed' : 'succeeded',
    resumed,
    pages,
    rowsIn: t.rowsIn,
    accepted: t.accepted,
    rejected: t.rejected,
    inserted: t.inserted,
    updated: t.updated,
    queued: t.queued,
    error,
  };

  async function finish(failure: string | null) {
    await writer.finish(
      { actor: opts.actor, action: 'exchange.sync', what: `接口同步 ${pages} 页`, failure },
      { afterImport: opts.enqueueAfterImport ?? true },
    );
  }
}
