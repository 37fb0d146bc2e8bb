import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uscc } from '../../test/exchange-fixtures.ts';
import { freePort, runCli } from '../../test/server-process.ts';
import { loadConfig } from '../config.ts';
import { createContext } from '../context.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { updateHttpConfig } from '../support/exchange/exchange.connector.ts';
import { startFakeExchangeServer } from '../support/exchange/exchange.fake-server.ts';
import { recoverExchange } from '../support/exchange/exchange.jobs.ts';
import { INTERRUPTED } from '../support/exchange/exchange.recovery.ts';

let tmp: string;
let server: Awaited<ReturnType<typeof startFakeExchangeServer>>;
const record = (n: number) => ({
  统一社会信用代码: uscc(n),
  企业名称: `示范县崩溃恢复店${n}`,
  住所: `示范县恢复路 ${n} 号`,
  更新时间: '2025-06-01 09:00:00',
});

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rj-exchange-cli-'));
  server = await startFakeExchangeServer({ records: [1, 2, 3, 4, 5].map(record), dataset: 'registration' });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Each step opens the embedded database in a fresh process (several seconds each on a busy machine).
describe('rongjian exchange', { timeout: 240_000 }, () => {
  it('survives being killed mid-sync: committed pages stay, the sweeper closes the run, the resume finishes it', async () => {
    const dataDir = path.join(tmp, 'data');
    const env = { RONGJIAN_DATA_DIR: dataDir };
    {
      const database = await openDatabase({ dataDir });
      await migrateToLatest(database.db);
      await updateHttpConfig({ db: database.db, pii: { encrypt: () => '' } }, 'demo-exchange-api', {
        baseUrl: server.url,
        pageSize: 2,
        timeoutSeconds: 60,
        retries: 0,
        cron: '',
        enabled: true,
      });
      await database.close();
    }
    // Page 2 never comes: the CLI process waits for it, and is killed there.
    server.fake.failures = [{ page: 2, kind: 'delay', delayMs: 120_000 }];
    const cli = runCli(['exchange', 'sync', '--source', 'demo-exchange-api'], env);
    await expect
      .poll(() => server.fake.requests.some((r) => r.page === 2), { timeout: 120_000, interval: 200 })
      .toBe(true);
    cli.child.kill('SIGKILL');
    await cli.exited;
    server.fake.releaseDelays();
    server.fake.failures = [];
    server.fake.requests.length = 0;

    const database = await openDatabase({ dataDir });
    const ctx = await createContext(
      // Embedded mode, as the CLI child ran: never the suite's DATABASE_URL.
      loadConfig({ ...env, RONGJIAN_LOG_LEVEL: 'silent' }),
      database,
    );
    try {
      const [run] = await database.db.selectFrom('exchange_run').selectAll().execute();
      expect(run).toMatchObject({ status: 'running', accepted: 2 });
      // The worker's start-up sweep: the owner's pid is gone.
      expect(await recoverExchange(ctx)).toEqual([Number(run!.id)]);
      const closed = await database.db
        .selectFrom('exchange_run')
        .select(['status', 'error'])
        .where('id', '=', run!.id)
        .executeTakeFirstOrThrow();
      expect(closed).toEqual({ status: 'failed', error: INTERRUPTED });
      const names = async () =>
        (await database.db.selectFrom('entity').select('name').orderBy('name').execute()).map((e) => e.name);
      expect(await names()).toEqual(['示范县崩溃恢复店1', '示范县崩溃恢复店2']);

      // The resume it queued continues at page 2 from the saved cursor.
      while ((await ctx.jobs.claimAndRun(ctx, 10)) > 0);
      expect(server.fake.requests.map((r) => r.page)).toEqual([2, 3]);
      expect(await names()).toEqual([1, 2, 3, 4, 5].map((n) => `示范县崩溃恢复店${n}`));
      const runs = await database.db
        .selectFrom('exchange_run')
        .select(['status', 'file_name'])
        .orderBy('id')
        .execute();
      expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
      expect(runs[1]!.file_name).toMatch(/^接口同步（从上次中断处继续）：/);
    } finally {
      await ctx.jobs.stopWorker();
      await database.close();
    }
  });

  it('serves a records file as the fake exchange API', async () => {
    const file = path.join(tmp, 'records.jsonl');
    fs.writeFileSync(file, [1, 2, 3].map((n) => JSON.stringify(record(n))).join('\n'));
    const port = await freePort();
    const cli = runCli(['exchange', 'fake-server', '--port', String(port), '--file', file], {});
    try {
      await expect
        .poll(() => cli.output(), { timeout: 60_000, interval: 200 })
        .toMatch(/模拟政务信息网接口已启动/);
      const res = await fetch(`http://127.0.0.1:${port}/records?dataset=registration&limit=2`);
      const body = (await res.json()) as { records: { 企业名称: string }[]; next_cursor: string | null };
      expect(body.records.map((r) => r.企业名称)).toEqual(['示范县崩溃恢复店1', '示范县崩溃恢复店2']);
      expect(body.next_cursor).toEqual(expect.any(String));
    } finally {
      await cli.stop();
    }
  });
});
