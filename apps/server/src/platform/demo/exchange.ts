import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { deriveLinesForRun } from '../../fusion/entities/entities.lines.ts';
import { recomputeRisk } from '../../fusion/risk/risk.compute.ts';
import { assignLocations } from '../../support/gis/gis.locate.ts';
import { getSource, updateHttpConfig } from '../../support/exchange/exchange.connector.ts';
import { FakeExchange, mountFakeExchange } from '../../support/exchange/exchange.fake-server.ts';
import { runImport } from '../../support/exchange/exchange.import.ts';
import { reconcileSchedules } from '../../support/exchange/exchange.jobs.ts';
import type { AppContext } from '../context.ts';
import { systemActor } from '../ledger/ledger.service.ts';
import { type DemoExports, encodeDemoExports } from './exports.ts';

/** Where an embedded demo keeps its generated exchange export files (examples for 数据交换 › 导入). */
export const demoExportDir = (dataDir: string) => join(dataDir, 'demo-exchange');

/** The file the demo's fake exchange API serves its incremental registration changes from. */
export const DEMO_API_UPDATES_FILE = '接口增量_登记变更.jsonl';

/**
 * Bring the demo county's 经营主体 in the way a bureau's come in: the exchange export files are imported through
 * the data exchange (validation, row errors, entity resolution and the merge queue), then each run's follow-up
 * steps run at once — 业务条线 from 经营范围, location and grids, risk classes — instead of waiting for a worker.
 */
export async function importDemoExports(
  ctx: Partial<AppContext>,
  exports: DemoExports,
  opts: { exportDir?: string | undefined; progress: (message: string) => void },
): Promise<{ entities: number; licences: number; creditRecords: number; personnel: number }> {
  if (!ctx.db || !ctx.audit || !ctx.pii || !ctx.jobs || !ctx.settings) {
    throw new Error('importing the demo exports needs the whole application context');
  }
  const app = ctx as AppContext;
  const files = (await encodeDemoExports(exports)).filter((f) => f.rows > 0);
  if (opts.exportDir) {
    await mkdir(opts.exportDir, { recursive: true });
    for (const f of files) await writeFile(join(opts.exportDir, f.fileName), f.data);
    await writeFile(
      join(opts.exportDir, DEMO_API_UPDATES_FILE),
      exports.apiUpdates.map((r) => JSON.stringify(r)).join('\n'),
    );
    opts.progress(`已生成政务信息网导出文件：${opts.exportDir}`);
  }
  const runs: number[] = [];
  for (const f of files) {
    const out = await runImport(app, {
      source: f.source,
      fileName: f.fileName,
      data: f.data,
      actor: systemActor,
      enqueueAfterImport: false,
    });
    if (out.status === 'failed') throw new Error(`演示数据导入失败（${f.fileName}）：${out.error}`);
    opts.progress(
      `已导入 ${f.fileName}：读入 ${out.rowsIn} 行，接收 ${out.accepted}，拒绝 ${out.rejected}，新增 ${out.inserted}，更新 ${out.updated}`,
    );
    if (out.inserted + out.updated > 0) runs.push(out.runId);
  }
  // What each run's `entities.afterImport` job would do, once for all four runs: the steps are idempotent and
  // work on the whole county, so one pass of each is enough.
  const t0 = Date.now();
  const step = (label: string) => opts.progress(`${label}（${((Date.now() - t0) / 1000).toFixed(1)} 秒）`);
  await sql`analyze entity, entity_source_record, entity_licence, entity_credit_record, entity_person`.execute(
    app.db,
  );
  for (const runId of runs) await deriveLinesForRun(app, runId);
  step('已按经营范围识别业务条线');
  await assignLocations(app, { trigger: 'import', ...(runs[0] ? { runId: runs[0] } : {}) });
  step('已完成定位与网格划分');
  await recomputeRisk(app, { all: true });
  step('已计算信用风险分类');

  const count = async (table: 'entity_licence' | 'entity_credit_record' | 'entity_person') =>
    Number(
      (
        await app.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const { n } = await app.db
    .selectFrom('entity')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('merged_into', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    entities: Number(n),
    licences: await count('entity_licence'),
    creditRecords: await count('entity_credit_record'),
    personnel: await count('entity_person'),
  };
}

/**
 * An embedded demo serves its own stand-in for the exchange's pull API (the registration changes generated with
 * the county) at `/api/demo/exchange`, and points the `demo-exchange-api` source at it, so 立即同步 on the 数据交换
 * page pulls real increments. Nothing happens without the generated file (server mode, or no demo data).
 */
export async function mountDemoExchange(
  app: FastifyInstance,
  ctx: AppContext,
  opts: { dataDir: string; port: number },
): Promise<boolean> {
  const file = join(demoExportDir(opts.dataDir), DEMO_API_UPDATES_FILE);
  if (!existsSync(file)) return false;
  const records = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  mountFakeExchange(app, DEMO_EXCHANGE_PREFIX, new FakeExchange({ records, dataset: 'registration' }));
  const source = await getSource(ctx.db, 'demo-exchange-api');
  const baseUrl = `http://127.0.0.1:${opts.port}${DEMO_EXCHANGE_PREFIX}`;
  const http = source.http;
  if (http && (!source.enabled || http.baseUrl !== baseUrl)) {
    await updateHttpConfig(ctx, 'demo-exchange-api', { ...http, baseUrl, enabled: true });
    await reconcileSchedules(ctx);
  }
  return true;
}

export const DEMO_EXCHANGE_PREFIX = '/api/demo/exchange';
