import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../platform/errors.ts';
import { afterImportInline, openCliContext, runCounts } from './exchange.command.ts';

const BAR_WIDTH = 30;

/** One line on stderr, rewritten in place on a terminal; stdout keeps only the final counts. */
function progress(done: number, total: number): void {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * BAR_WIDTH);
  const line = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} 行`;
  process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
}

/** At most this many lines of progress when stderr is not a terminal (a log file). */
const LOG_LINES = 20;

/**
 * `rongjian import --source NAME --file PATH`: streams the file (CSV and JSON-lines of any size), then runs the
 * after-import steps inline. Exit 0 when the run succeeded, 1 when it failed.
 */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(
      '从数据交换导出文件（CSV/XLSX/JSON-lines）导入数据源对应的数据集，结束时显示读入、接收、拒绝条数',
    )
    .requiredOption('--source <name>', '数据源名称（如 demo-registration、demo-licence）')
    .requiredOption('--file <path>', '导出文件路径')
    .action(async (opts: { source: string; file: string }) => {
      try {
        fs.accessSync(opts.file, fs.constants.R_OK);
      } catch {
        console.error(`错误：无法读取文件 ${opts.file}`);
        process.exit(1);
      }
      const { database, ctx } = await openCliContext();
      let lastShown = -1;
      const onProgress = (done: number, total: number) => {
        if (process.stderr.isTTY) return progress(done, total);
        const step = Math.max(1, Math.ceil(total / LOG_LINES));
        if (done === total || done - lastShown >= step) {
          lastShown = done;
          progress(done, total);
        }
      };
      try {
        const { runImport } = await import('../support/exchange/exchange.import.ts');
        const outcome = await runImport(ctx, {
          source: opts.source,
          fileName: path.basename(opts.file),
          path: opts.file,
          actor: { id: null, name: '命令行导入' },
          onProgress,
          enqueueAfterImport: false,
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        console.log(`导入批次 ${outcome.runId}：读入 ${outcome.rowsIn} 行，${runCounts(outcome)}`);
        if (outcome.previousRunId !== null) {
          console.log(
            `提示：内容相同的文件此前已由批次 ${outcome.previousRunId} 导入，未变化的记录没有被改动`,
          );
        }
        await afterImportInline(ctx, outcome.runId, outcome.inserted + outcome.updated > 0);
        if (outcome.status === 'failed') {
          console.error(`导入失败：${outcome.error}`);
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
}
