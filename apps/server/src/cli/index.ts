import { Command, Option } from 'commander';
import { VERSION } from '../version.ts';
import { registerAuditCommand } from './audit.command.ts';
import { registerBenchCommand } from './bench.command.ts';
import { registerCalendarCommands } from './calendar.command.ts';
import { registerDbCommands } from './db.command.ts';
import { registerExchangeCommands } from './exchange.command.ts';
import { registerImportCommand } from './import.command.ts';
import { registerKeysCommands } from './keys.command.ts';
import { registerSeedCommand } from './seed.command.ts';
import { registerUsccCommand } from './uscc.command.ts';
import { registerAnalysisCommands } from './analysis.command.ts';
import { registerModelCommands } from './model.command.ts';

const program = new Command('rongjian')
  .description('融监 — 基层市场监管数字化监管平台 命令行工具')
  .version(VERSION, '-v, --version', '显示版本号')
  .helpOption('-h, --help', '显示帮助')
  .helpCommand('help [command]', '显示某个命令的帮助')
  .showHelpAfterError('（使用 --help 查看用法）');

program
  .command('start')
  .description('启动平台（默认嵌入式 PGlite；设置 DATABASE_URL 则连接 PostgreSQL）')
  .addOption(
    new Option('--role <role>', '进程角色：all=接口+后台任务，api=仅接口，worker=仅后台任务')
      .choices(['all', 'api', 'worker'])
      .default('all'),
  )
  .option('--no-web', '不构建、不提供网页端（仅 API）')
  .action(async (opts: { role: 'all' | 'api' | 'worker'; web: boolean }) => {
    const { start } = await import('../start.ts');
    await start({ role: opts.role, noWeb: !opts.web });
  });

registerDbCommands(program);
registerCalendarCommands(program);
registerSeedCommand(program);
registerBenchCommand(program);
registerAuditCommand(program);
registerKeysCommands(program);
registerUsccCommand(program);
registerImportCommand(program);
registerExchangeCommands(program);
registerModelCommands(program);
registerAnalysisCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // A failure no command expected: one Chinese line, not the error object (a database error carries the
  // statement's parameters — whole batches of rows). The stack only when asked for.
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  console.error(`错误：命令意外中止：${message}`);
  if (process.env.RONGJIAN_LOG_LEVEL === 'debug' && err instanceof Error) console.error(err.stack);
  process.exitCode = 1;
  // Whatever the failed command left open (a pool, a timer) must not keep the process alive.
  setTimeout(() => process.exit(1), 200).unref();
}
