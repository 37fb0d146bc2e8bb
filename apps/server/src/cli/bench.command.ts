import type { Command } from 'commander';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('性能基准（打印数据，不做断言）')
    .argument('[suite]', '基准名称：startup', 'startup')
    .option('--entities <n>', '首次启动生成的经营主体数', '20000')
    .action(async (suite: string, opts: { entities: string }) => {
      if (suite !== 'startup') {
        console.error(`未知的基准：${suite}（可用：startup）`);
        process.exit(2);
      }
      const { benchStartup } = await import('../../bench/startup.bench.ts');
      await benchStartup({ entities: Number(opts.entities) });
    });
}
