import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.ts';
import type { AppContext } from '../platform/context.ts';
import type { Database } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { fail, openForCli } from './open.ts';

/** The counters a run ends with, as both `import` and `exchange sync` print them. */
export function runCounts(r: {
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  queued: number;
}) {
  const queued = r.queued > 0 ? `，${r.queued} 条待人工确认（经营主体 › 主体合并）` : '';
  return `接收 ${r.accepted}，拒绝 ${r.rejected}，新增 ${r.inserted}，更新 ${r.updated}${queued}`;
}

/** The database and every service, as the server wires them (the vault for personnel, settings for fusion). */
export async function openCliContext(): Promise<{ database: Database; ctx: AppContext }> {
  const database = await openForCli({ migrate: true });
  try {
    // Loaded when a command runs, not when the CLI starts: the whole application is behind it (~0.7 s).
    const { createContext } = await import('../context.ts');
    return { database, ctx: await createContext(loadConfig(), database) };
  } catch (err) {
    await database.close();
    fail(err);
  }
}

/**
 * What follows an import in the server's worker (locate, grids, risk), run here because a CLI process has no
 * worker. Prints what it did.
 */
export async function afterImportInline(ctx: AppContext, runId: number, wrote: boolean): Promise<void> {
  if (!wrote) {
    console.log('没有新增或变更的记录，无需导入后处理');
    return;
  }
  const t0 = Date.now();
  const { runAfterImport } = await import('../fusion/entities/entities.jobs.ts');
  await runAfterImport(ctx, { runId });
  console.log(
    `导入后处理完成（批次 ${runId}：定位与网格分配、风险分类重算），用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒`,
  );
}

const port = (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535)
    throw new InvalidArgumentError('应为 1 到 65535 之间的端口号');
  return n;
};

/** `rongjian exchange sync --source NAME` and `rongjian exchange fake-server --port N --file F`. */
export function registerExchangeCommands(program: Command): void {
  const exchange = program.command('exchange').description('数据交换（政务信息网）接口同步与模拟接口');

  exchange
    .command('sync')
    .description('立即同步一个接口数据源（增量；上次中断时从保存的游标处继续），结束时显示页数与条数')
    .requiredOption('--source <name>', '接口数据源名称（如 demo-exchange-api）')
    .action(async (opts: { source: string }) => {
      const { database, ctx } = await openCliContext();
      try {
        const { syncSource } = await import('../support/exchange/exchange.http.ts');
        const out = await syncSource(ctx, opts.source, {
          actor: { id: null, name: '命令行同步' },
          enqueueAfterImport: false,
          onPage: (page, rows) => process.stderr.write(`第 ${page} 页：${rows} 条\n`),
        });
        console.log(
          `同步批次 ${out.runId}${out.resumed ? '（从上次中断处继续）' : ''}：${out.pages} 页，读入 ${out.rowsIn} 条，` +
            runCounts(out),
        );
        await afterImportInline(ctx, out.runId, out.inserted + out.updated > 0);
        if (out.status === 'failed') {
          console.error(`同步失败：${out.error}（已提交的页保留，下次同步从中断处继续）`);
          process.exitCode = 1;
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        console.error(`错误：${err.message}`);
        process.exitCode = 1;
      } finally {
        await database.close();
      }
    });

  exchange
    .command('fake-server')
    .description('启动模拟的政务信息网接口（按接口协议分页提供文件中的记录，供演示与联调）')
    .requiredOption('--port <port>', '监听端口', port)
    .requiredOption('--file <path>', '记录文件（JSON-lines 或 CSV，列名即接口字段名）')
    .option('--host <host>', '监听地址', '127.0.0.1')
    .option('--dataset <dataset>', '只提供该数据集（registration/licence/credit/person），默认任意')
    .option('--token <token>', '要求请求携带 Authorization: Bearer <token>')
    .action(async (opts: { port: number; file: string; host: string; dataset?: string; token?: string }) => {
      const records: Record<string, unknown>[] = [];
      try {
        const input = { path: path.resolve(opts.file) };
        const { cellOf, openRows, scanFile } = await import('../support/exchange/exchange.files.ts');
        const reader = await openRows(input, await scanFile(input));
        for await (const rows of reader.batches()) {
          for (const r of rows) {
            if (r.problem) continue;
            records.push(Object.fromEntries(reader.columns.map((c, i) => [c, cellOf(r.cells[i])])));
          }
        }
      } catch (err) {
        console.error(`错误：无法读取记录文件 ${opts.file}（${(err as Error).message}）`);
        process.exit(1);
      }
      const { startFakeExchangeServer } = await import('../support/exchange/exchange.fake-server.ts');
      const server = await startFakeExchangeServer({
        records,
        port: opts.port,
        host: opts.host,
        ...(opts.dataset ? { dataset: opts.dataset } : {}),
        ...(opts.token ? { token: opts.token } : {}),
      });
      console.log(
        `模拟政务信息网接口已启动：${server.url}/records（${records.length} 条记录）；按 Ctrl+C 停止`,
      );
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    });
}
