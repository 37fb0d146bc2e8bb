import { type Command, Option } from 'commander';

interface BenchOptions {
  entities: string;
  requests: string;
  logins: string;
  pg: string;
  rows: string;
  pgliteRows: string;
  only?: 'postgresql' | 'pglite';
  queries: string;
  keep?: boolean;
  clues: string;
  seconds: string;
  concurrency: string;
  patternClues: string;
  items: string;
  part?: 'classify' | 'patterns' | 'inbox';
}

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('性能基准（打印数据，不做断言）')
    .argument('[suite]', '基准名称：startup | auth | entities | clues | analysis', 'startup')
    .option('--entities <n>', 'startup：首次启动生成的经营主体数', '20000')
    .option('--requests <n>', 'auth：每种读取的次数', '2000')
    .option('--logins <n>', 'auth：登录次数', '50')
    .option(
      '--pg <url>',
      'entities：PostgreSQL 服务器（在其上建删临时库）',
      'postgres://postgres@127.0.0.1:5432/postgres',
    )
    .option('--rows <n>', 'entities：PostgreSQL 上的经营主体行数', '1000000')
    .option('--pglite-rows <n>', 'entities：PGlite 上的经营主体行数', '200000')
    .option('--only <backend>', 'entities：只测 postgresql 或 pglite')
    .option('--queries <n>', 'entities：每类检索的计时次数', '200')
    .option('--keep', 'entities、clues：保留 PostgreSQL 临时库以便分析')
    .option('--clues <n>', 'clues：历史线索条数', '1000000')
    .option('--seconds <n>', 'clues：每项写入压测的秒数', '20')
    .option('--concurrency <n>', 'clues：写入压测的并发数', '16')
    .option('--pattern-clues <n>', 'analysis：模式检测所用一年内的线索条数', '50000')
    .option('--items <n>', 'analysis：待办基准的待办事项条数（约 100 万条线索的量）', '2000000')
    .addOption(
      new Option('--part <part>', 'analysis：只运行其中一项').choices(['classify', 'patterns', 'inbox']),
    )
    .action(async (suite: string, opts: BenchOptions) => {
      if (!SUITES.includes(suite)) {
        console.error(`未知的基准：${suite}（可用：${SUITES.join('、')}）`);
        process.exit(2);
      }
      // The machine's speed before and after: figures of different days compare only next to it.
      const { describeMachine, measureMachine } = await import('../../bench/machine-reference.ts');
      console.log(describeMachine('开始', await measureMachine(opts.pg)));
      await runSuite(suite, opts);
      console.log(describeMachine('结束', await measureMachine(opts.pg)));
    });
}

const SUITES = ['startup', 'auth', 'entities', 'clues', 'analysis'];

async function runSuite(suite: string, opts: BenchOptions): Promise<void> {
  if (suite === 'startup') {
    const { benchStartup } = await import('../../bench/startup.bench.ts');
    await benchStartup({ entities: Number(opts.entities) });
  } else if (suite === 'auth') {
    const { benchAuth } = await import('../../bench/auth.bench.ts');
    await benchAuth({ requests: Number(opts.requests), logins: Number(opts.logins) });
  } else if (suite === 'entities') {
    const { benchEntities } = await import('../../bench/entities.bench.ts');
    await benchEntities({
      pgUrl: opts.pg,
      rows: Number(opts.rows),
      pgliteRows: Number(opts.pgliteRows),
      backends: opts.only ? [opts.only] : ['postgresql', 'pglite'],
      queries: Math.max(200, Number(opts.queries)),
      keep: opts.keep === true,
    });
  } else if (suite === 'clues') {
    const { benchClues } = await import('../../bench/clues.bench.ts');
    await benchClues({
      pgUrl: opts.pg,
      clues: Number(opts.clues),
      seconds: Number(opts.seconds),
      concurrency: Number(opts.concurrency),
      queries: Math.max(50, Number(opts.queries)),
      keep: opts.keep === true,
    });
  } else if (suite === 'analysis') {
    // 综合研判 (issue 6): classification throughput, pattern detectors over a year, the inbox at scale.
    if (!opts.part || opts.part === 'classify') {
      const { benchClassify } = await import('../../bench/analysis.classify.ts');
      await benchClassify({ seconds: Number(opts.seconds) });
    }
    if (!opts.part || opts.part === 'patterns') {
      const { benchPatterns } = await import('../../bench/analysis.patterns.ts');
      await benchPatterns({ pgUrl: opts.pg, clues: Number(opts.patternClues), keep: opts.keep === true });
    }
    if (!opts.part || opts.part === 'inbox') {
      const { benchInbox } = await import('../../bench/analysis.inbox.ts');
      await benchInbox({
        pgUrl: opts.pg,
        items: Number(opts.items),
        queries: Math.max(50, Number(opts.queries)),
        keep: opts.keep === true,
      });
    }
  }
}
