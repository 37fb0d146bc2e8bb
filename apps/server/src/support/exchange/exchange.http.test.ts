import { hostname } from 'node:os';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uscc } from '../../../test/exchange-fixtures.ts';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { updateHttpConfig } from './exchange.connector.ts';
import { type FakeExchange, startFakeExchangeServer } from './exchange.fake-server.ts';
import { syncSource } from './exchange.http.ts';
import { recoverExchange } from './exchange.jobs.ts';
import { INTERRUPTED, ownerIsGone } from './exchange.recovery.ts';
import { PROCESS_OWNER } from './exchange.run.ts';

const SOURCE = 'demo-exchange-api';
const actor = { id: null, name: '测试同步' };

let t: TestContext;
let server: Awaited<ReturnType<typeof startFakeExchangeServer>>;
let fake: FakeExchange;
let serverNow = new Date('2025-06-10T00:00:00Z');

/** A registration record as the exchange API delivers it (its own Chinese column names). */
const record = (n: number, name: string, updated = '2025-06-01 09:00:00') => ({
  统一社会信用代码: uscc(n),
  企业名称: name,
  主体类型: '有限责任公司',
  住所: `示范县接口路 ${n} 号`,
  成立日期: '2020-01-02',
  登记状态: '存续',
  经营范围: '食品销售',
  更新时间: updated,
});

const configure = (over: Partial<{ retries: number; timeoutSeconds: number; token: string | null }> = {}) =>
  updateHttpConfig(t.ctx, SOURCE, {
    baseUrl: server.url,
    pageSize: 2,
    timeoutSeconds: over.timeoutSeconds ?? 1,
    retries: over.retries ?? 1,
    cron: '',
    enabled: true,
    ...(over.token === undefined ? {} : { token: over.token }),
  });
const sync = () => syncSource(t.ctx, SOURCE, { actor, backoffMs: () => 0 });
const names = async () =>
  (await t.ctx.db.selectFrom('entity').select('name').orderBy('uscc').execute()).map((e) => e.name);
const cursor = () =>
  t.ctx.db.selectFrom('exchange_cursor').selectAll().where('source', '=', SOURCE).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestContext();
  server = await startFakeExchangeServer({ records: [], now: () => serverNow });
  fake = server.fake;
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});
beforeEach(async () => {
  fake.failures = [];
  fake.requests.length = 0;
  await configure();
});

describe('HTTP pull adapter', () => {
  it('pulls every page, keeps the watermark, and next time asks only for what changed', async () => {
    fake.records = [1, 2, 3, 4, 5].map((n) => record(n, `示范县接口店${n}`));
    const first = await sync();
    expect(first).toMatchObject({ status: 'succeeded', resumed: false, pages: 3, accepted: 5, inserted: 5 });
    expect(fake.requests.map((r) => [r.page, r.dataset, r.limit, r.updatedSince])).toEqual([
      [1, 'registration', 2, null],
      [2, 'registration', 2, null],
      [3, 'registration', 2, null],
    ]);
    expect(await cursor()).toMatchObject({
      watermark: new Date('2025-06-10T00:00:00Z'),
      pending_cursor: null,
      pending_server_time: null,
    });
    const run = await t.ctx.db
      .selectFrom('exchange_run')
      .selectAll()
      .where('id', '=', first.runId)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'succeeded', sha256: null, rows_in: 5 });
    expect(run.file_name).toBe(`接口同步：${server.url}`);

    // One record changes after the watermark: only it comes, and only it is written.
    fake.requests.length = 0;
    fake.records.push(record(2, '示范县接口店2（更名）', '2025-06-11 08:00:00'));
    serverNow = new Date('2025-06-12T00:00:00Z');
    const second = await sync();
    expect(second).toMatchObject({ status: 'succeeded', pages: 1, rowsIn: 1, updated: 1, inserted: 0 });
    expect(fake.requests[0]!.updatedSince).toBe('2025-06-10T00:00:00.000Z');
    expect(await names()).toContain('示范县接口店2（更名）');
  });

  it('retries a page that answers 500 once, then carries on', async () => {
    fake.records = [record(11, '示范县重试店甲'), record(12, '示范县重试店乙'), record(13, '示范县重试店丙')];
    serverNow = new Date('2025-06-13T00:00:00Z');
    await t.ctx.db
      .updateTable('exchange_cursor')
      .set({ watermark: null })
      .where('source', '=', SOURCE)
      .execute();
    fake.failures = [{ page: 2, kind: 'error500', times: 1 }];
    const out = await sync();
    expect(out).toMatchObject({ status: 'succeeded', pages: 2, accepted: 3 });
    expect(fake.requests.map((r) => r.page)).toEqual([1, 2, 2]);
  });

  for (const [kind, message] of [
    ['delay', '第 2 页请求超时（1 秒内没有完整应答），已重试 1 次仍失败'],
    ['error500', '第 2 页接口返回错误 HTTP 500，已重试 1 次仍失败'],
    ['garbage', '第 2 页返回的内容不是有效的 JSON（内容可能被截断或不是本接口的应答）'],
    ['truncated', '第 2 页返回的内容不是有效的 JSON（内容可能被截断或不是本接口的应答）'],
    ['wrong-shape', '第 2 页返回的数据格式不正确：缺少 records 数组，或其中有不是对象的记录'],
  ] as const) {
    it(`fails the run on page 2 (${kind}) with a clear reason, keeping page 1 and all earlier data`, async () => {
      const base = 100 + fake.requests.length + Math.floor(Math.random() * 1000) * 10;
      fake.records = [0, 1, 2, 3].map((i) => record(base + i, `示范县${kind}店${i}`));
      await t.ctx.db
        .updateTable('exchange_cursor')
        .set({ watermark: null })
        .where('source', '=', SOURCE)
        .execute();
      const before = await names();
      fake.failures = [{ page: 2, kind, delayMs: 3000 }];
      const failed = await sync();
      expect(failed).toMatchObject({ status: 'failed', error: message, pages: 1, accepted: 2 });
      // Garbage is not retried: it would only come again.
      const retried = kind === 'delay' || kind === 'error500';
      expect(fake.requests.map((r) => r.page)).toEqual(retried ? [1, 2, 2] : [1, 2]);
      const now = await names();
      expect(now).toEqual(expect.arrayContaining([...before, `示范县${kind}店0`, `示范县${kind}店1`]));
      expect(now).not.toContain(`示范县${kind}店2`);
      const run = await t.ctx.db
        .selectFrom('exchange_run')
        .select(['status', 'error', 'accepted'])
        .where('id', '=', failed.runId)
        .executeTakeFirstOrThrow();
      expect(run).toEqual({ status: 'failed', error: message, accepted: 2 });
      expect((await cursor()).pending_cursor).not.toBeNull();

      // The exchange recovers: the next sync continues at page 2 from the saved cursor.
      fake.failures = [];
      fake.requests.length = 0;
      const resumed = await sync();
      expect(resumed).toMatchObject({ status: 'succeeded', resumed: true, pages: 1, accepted: 2 });
      expect(fake.requests.map((r) => r.page)).toEqual([2]);
      expect(await names()).toEqual(expect.arrayContaining([`示范县${kind}店2`, `示范县${kind}店3`]));
      expect((await cursor()).pending_cursor).toBeNull();
    });
  }

  it('sends the sealed bearer token and never hands it out', async () => {
    await server.close();
    server = await startFakeExchangeServer({ records: [record(301, '示范县令牌店')], token: 's3cr3t' });
    fake = server.fake;
    await t.ctx.db
      .updateTable('exchange_cursor')
      .set({ watermark: null })
      .where('source', '=', SOURCE)
      .execute();
    const noToken = await configure({ token: null, retries: 0 });
    expect(noToken.after.tokenEnc).toBeNull();
    const refused = await sync();
    expect(refused).toMatchObject({
      status: 'failed',
      error: '第 1 页请求被接口拒绝：HTTP 401（请检查访问令牌）',
    });
    const { after } = await configure({ token: 's3cr3t' });
    expect(after.tokenEnc).not.toContain('s3cr3t');
    const row = await t.ctx.db
      .selectFrom('exchange_source')
      .select('token_enc')
      .where('name', '=', SOURCE)
      .executeTakeFirstOrThrow();
    expect(t.ctx.pii.decrypt(row.token_enc!)).toBe('s3cr3t');
    const ok = await sync();
    expect(ok).toMatchObject({ status: 'succeeded', inserted: 1 });
  });

  it('refuses a second sync of a source while one is running', async () => {
    fake.records = [record(401, '示范县并发店')];
    fake.failures = [{ page: 1, kind: 'delay', delayMs: 700 }];
    await configure({ timeoutSeconds: 5 });
    const first = sync();
    // The first sync has registered its run before it waits on the API.
    await expect.poll(async () => (await cursor()) && fake.requests.length).toBe(1);
    await expect(sync()).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await first).status).toBe('succeeded');
  });
});

describe('crash recovery', () => {
  it('tells a dead owner from a live one', () => {
    const now = Date.now();
    expect(ownerIsGone(PROCESS_OWNER, new Date(now), now)).toBe(false);
    // Same machine, a pid that is not running.
    expect(ownerIsGone(`${hostname()}:999999:dead`, new Date(now), now)).toBe(true);
    // Our own pid with another token: the previous process, before a restart reused the pid.
    expect(ownerIsGone(`${hostname()}:${process.pid}:before`, new Date(now), now)).toBe(true);
    // Another machine: only a silent heartbeat tells.
    expect(ownerIsGone('other-host:1:x', new Date(now), now)).toBe(false);
    expect(ownerIsGone('other-host:1:x', new Date(now - 6 * 60_000), now)).toBe(true);
  });

  it('closes a run a dead process left running, keeps its batches and resumes the sync from the cursor', async () => {
    fake.records = [0, 1, 2, 3].map((i) => record(500 + i, `示范县中断店${i}`));
    fake.requests.length = 0;
    await t.ctx.db
      .updateTable('exchange_cursor')
      .set({ watermark: null })
      .where('source', '=', SOURCE)
      .execute();
    // The process died waiting for page 2: page 1 was committed with its cursor.
    fake.failures = [{ page: 2, kind: 'error500' }];
    const cut = await syncSource(t.ctx, SOURCE, { actor, backoffMs: () => 0 });
    await t.ctx.db
      .updateTable('exchange_run')
      .set({ status: 'running', error: null, finished_at: null, owner: `${hostname()}:999999:gone` })
      .where('id', '=', cut.runId)
      .execute();
    fake.failures = [];
    fake.requests.length = 0;

    const closed = await recoverExchange(t.ctx);
    expect(closed).toEqual([cut.runId]);
    const run = await t.ctx.db
      .selectFrom('exchange_run')
      .select(['status', 'error', 'accepted'])
      .where('id', '=', cut.runId)
      .executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'failed', error: INTERRUPTED, accepted: 2 });
    expect(await names()).toEqual(expect.arrayContaining(['示范县中断店0', '示范县中断店1']));

    // The sweeper queued the resume (once per interrupted run); a worker picks it up.
    const jobs = await t.ctx.db
      .selectFrom('job')
      .select(['name', 'payload', 'dedupe_key'])
      .where('dedupe_key', '=', `exchange.resume:${cut.runId}`)
      .execute();
    expect(jobs).toEqual([
      { name: 'exchange.sync', payload: { source: SOURCE }, dedupe_key: `exchange.resume:${cut.runId}` },
    ]);
    while ((await t.ctx.jobs.claimAndRun(t.ctx, 10)) > 0);
    expect(fake.requests.map((r) => r.page)).toEqual([2]);
    expect(await names()).toEqual(expect.arrayContaining(['示范县中断店2', '示范县中断店3']));
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'result'])
      .where('object_id', '=', String(cut.runId))
      .where('action', '=', 'exchange.recover')
      .execute();
    expect(audit).toEqual([{ action: 'exchange.recover', result: 'failure' }]);
  });
});
