import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createAuditService } from '../platform/audit/audit.service.ts';
import { AppError } from '../platform/errors.ts';
import { runImport } from '../support/exchange/exchange.import.ts';
import { MAX_FILE_BYTES } from '../support/exchange/exchange.files.ts';
import { openForCli } from './open.ts';

const BAR_WIDTH = 30;

/** One line on stderr, rewritten in place on a terminal; stdout keeps only the final counts. */
function progress(done: number, total: number): void {
  const share = total === 0 ? 1 : done / total;
  const filled = Math.round(share * BAR_WIDTH);
  const line = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} 行`;
  process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
}

/** `rongjian import --source NAME --file PATH`: exit 0 when the run succeeded, 1 when it failed. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('从数据交换导出文件（CSV/XLSX/JSON-lines）导入经营主体，结束时显示读入、接收、拒绝条数')
    .requiredOption('--source <name>', '数据源名称（如 demo-registration）')
    .requiredOption('--file <path>', '导出文件路径')
    .action(async (opts: { source: string; file: string }) => {
      let data: Buffer;
      try {
        const size = fs.statSync(opts.file).size;
        if (size > MAX_FILE_BYTES) {
          console.error(`错误：文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，请拆分后分批导入`);
          process.exit(1);
        }
        data = fs.readFileSync(opts.file);
      } catch {
        console.error(`错误：无法读取文件 ${opts.file}`);
        process.exit(1);
      }
      const database = await openForCli({ migrate: true });
      try {
        const outcome = await runImport(
          { db: database.db, audit: createAuditService({ db: database.db }) },
          {
            source: opts.source,
            fileName: path.basename(opts.file),
            data,
            actor: { id: null, name: '命令行导入' },
            onProgress: progress,
          },
        );
        if (process.stderr.isTTY) process.stderr.write('\n');
        console.log(
          `导入批次 ${outcome.runId}：读入 ${outcome.rowsIn} 行，接收 ${outcome.accepted}，拒绝 ${outcome.rejected}，` +
            `新增 ${outcome.inserted}，更新 ${outcome.updated}`,
        );
        if (outcome.previousRunId !== null) {
          console.log(
            `提示：内容相同的文件此前已由批次 ${outcome.previousRunId} 导入，未变化的记录没有被改动`,
          );
        }
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
