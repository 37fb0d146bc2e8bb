import { sql } from 'kysely';
import { demoClueRefs, writeDemoClues } from '../src/platform/demo/clues.ts';
import { planDemoClues } from '../src/platform/demo/clues.plan.ts';
import { buildGrids } from '../src/platform/demo/county.ts';
import { createRng } from '../src/platform/demo/random.ts';
import { planCountyEntities, seedDemoCounty } from '../src/platform/demo/seed.ts';
import { DETECTORS, runDetectors } from '../src/supervision/analysis/analysis.findings.ts';
import { BENCH_PASSWORD, benchLogger, withBenchDatabase } from './bench-support.ts';

/**
 * Pattern detectors over one year of demo-county clues (issue 6, target < 10 s on PostgreSQL), in a temporary
 * database: the demo county (20,000 entities with their licences and credit records), `clues` clues received
 * over the twelve months before today (two half-years of the demo generator, written as history), then each
 * detector timed once over the whole year (`since` = a year ago: every week tested, every burst looked for) and
 * once more as the nightly run would (everything already raised: nothing new). Prints figures; never fails.
 */
export interface PatternsBenchOptions {
  pgUrl: string;
  /** Clues over the year (default 50,000). */
  clues?: number;
  keep?: boolean;
}

const log = benchLogger();

export async function benchPatterns(opts: PatternsBenchOptions): Promise<void> {
  const total = opts.clues ?? 50_000;
  await withBenchDatabase(
    { pgUrl: opts.pgUrl, suite: 'patterns', keep: opts.keep },
    log,
    async (ctx, database) => {
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const seeded = await seedDemoCounty(ctx, {
        seed: 42,
        entities: 20_000,
        staff: 300,
        password: BENCH_PASSWORD,
        via: 'direct',
        today,
      });
      log('已生成演示县：20000 个经营主体（含许可证、信用记录）');

      const grids = buildGrids(createRng(42, 'grids'));
      const { entities } = planCountyEntities(42, grids, 20_000, today);
      const refs = await demoClueRefs(ctx, entities, seeded.ids.bureau, '基准测试');
      // Two half-years of the generator: the recent one ending today, the older one ending 182 days ago.
      const halfAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 182 * 86_400_000)
        .toISOString()
        .slice(0, 10);
      for (const [part, end] of [
        [0, halfAgo],
        [1, today],
      ] as const) {
        const n = part === 0 ? Math.floor(total / 2) : total - Math.floor(total / 2);
        const planned = planDemoClues(2000 + part, entities, grids, n, end).map((p) => ({
          ...p,
          externalNo: p.externalNo ? `${p.externalNo}-${part}` : null,
        }));
        await writeDemoClues(ctx, planned, refs, { recentDays: 0, today: end });
        log(`已写入历史线索 ${n.toLocaleString('zh-CN')} 条（截至 ${end}）`);
      }
      await sql`vacuum analyze`.execute(database.db);
      log('VACUUM ANALYZE');

      const since = new Date(Date.now() - 365 * 86_400_000);
      const first: string[] = [];
      let detectSum = 0;
      let raiseMs = 0;
      let raised = 0;
      for (const detector of DETECTORS) {
        const r = await runDetectors(ctx, { detectors: [detector], since });
        const x = r.runs[0]!;
        detectSum += x.detectMs;
        raiseMs += x.ms - x.detectMs;
        raised += x.raised;
        first.push(
          `  ${detector.padEnd(18)} 检测 ${(x.detectMs / 1000).toFixed(2).padStart(6)} s   共 ${(x.ms / 1000).toFixed(2)} s   新发现 ${x.raised}   留待下次 ${x.deferred}`,
        );
      }
      const again = await runDetectors(ctx, { since, dryRun: true });
      const againDetect = again.runs.reduce((s, r) => s + r.detectMs, 0);
      const againKnown = again.runs.reduce((s, r) => s + r.known, 0);
      const againNew = again.runs.reduce((s, r) => s + r.deferred, 0);

      console.log(
        `\n模式发现基准（PostgreSQL，一年 ${total.toLocaleString('zh-CN')} 条线索，20000 个经营主体）`,
      );
      console.log('首次运行（回溯一年；每个新发现生成一条研判线索，每个规则每次最多 200 条）：');
      for (const line of first) console.log(line);
      console.log(`  四个规则检测合计 ${(detectSum / 1000).toFixed(2)} s   目标 < 10 s`);
      console.log(
        `  生成线索 ${raised} 条，用时 ${(raiseMs / 1000).toFixed(1)} s（每条 ${(raiseMs / Math.max(1, raised)).toFixed(0)} ms，含登记、分拣、查重、时限、转研判）`,
      );
      console.log(
        `再次检测（只检测不生成）：${(againDetect / 1000).toFixed(2)} s，已发现过 ${againKnown} 条（不再生成），尚未生成 ${againNew} 条（留待下次）`,
      );
    },
  );
}
