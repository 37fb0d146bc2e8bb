import type { Command } from 'commander';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('性能基准（打印数据，不做断言）')
    .argument('[suite]', '基准名称：startup | auth', 'startup')
    .option('--entities <n>', 'startup：首次启动生成的经营主体数', '20000')
    .option('--requests <n>', 'auth：每种读取的次数', '2000')
    .option('--logins <n>', 'auth：登录次数', '50')
    .action(async (suite: string, opts: { entities: string; requests: string; logins: string }) => {
      if (suite === 'startup') {
        const { benchStartup } = await import('../../bench/startup.bench.ts');
        await benchStartup({ entities: Number(opts.entities) });
      } else if (suite === 'auth') {
        const { benchAuth } = await import('../../bench/auth.bench.ts');
        await benchAuth({ requests: Number(opts.requests), logins: Number(opts.logins) });
      } else {
        console.error(`未知的基准：${suite}（可用：startup、auth）`);
        process.exit(2);
      }
    });
}
