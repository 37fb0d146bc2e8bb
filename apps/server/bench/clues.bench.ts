import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { demoClueRefs, writeDemoClues } from '../src/platform/demo/clues.ts';
import { planDemoClues } from '../src/platform/demo/clues.plan.ts';
import { buildGrids } from '../src/platform/demo/county.ts';
import { createRng } from '../src/platform/demo/random.ts';
import { planCountyEntities, seedDemoCounty } from '../src/platform/demo/seed.ts';
import { buildApp } from '../src/platform/http/app.ts';
import { BENCH_PASSWORD, benchLogger, percentile, withBenchDatabase } from './bench-support.ts';

/**
 * `npm run bench -- clues` (issue 5), on PostgreSQL in a temporary database:
 *   1. intake throughput through `POST /api/clues` over real HTTP (validation, PII sealing, sorting, duplicate
 *      check, deadlines, ledger) against a bare Fastify route of the same server returning 201 — the ceiling;
 *   2. the clue list with three filters at N clues (default 1,000,000: six months of the demo generator,
 *      written as history), p50/p95 for the director (全部) and a station officer (本部门).
 * Prints figures; never fails on a target.
 */
export interface CluesBenchOptions {
  pgUrl: string;
  clues: number;
  seconds: number;
  concurrency: number;
  queries: number;
  keep: boolean;
}

/** Fire requests from `concurrency` loops for `seconds`; latency per request and the rate. */
async function load(
  seconds: number,
  concurrency: number,
  send: (i: number) => Promise<number>,
): Promise<{ rate: number; p50: number; p99: number; errors: number; done: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const a = performance.now();
        const status = await send(i++);
        latencies.push(performance.now() - a);
        if (status !== 201) errors++;
      }
    }),
  );
  return {
    rate: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    done: latencies.length,
  };
}

const log = benchLogger();

export async function benchClues(opts: CluesBenchOptions): Promise<void> {
  await withBenchDatabase(
    { pgUrl: opts.pgUrl, suite: 'clues', keep: opts.keep },
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
      log('已生成演示县：20000 个经营主体、300 名工作人员');

      // History first, so the intake runs against a full table (duplicate check, indexes) as in production.
      const grids = buildGrids(createRng(42, 'grids'));
      const { entities } = planCountyEntities(42, grids, 20_000, today);
      const refs = await demoClueRefs(ctx, entities, seeded.ids.bureau, '基准测试');
      const CHUNK = 100_000;
      let written = 0;
      for (let part = 0; written < opts.clues; part++) {
        const n = Math.min(CHUNK, opts.clues - written);
        const planned = planDemoClues(1000 + part, entities, grids, n, today).map((p) => ({
          ...p,
          externalNo: p.externalNo ? `${p.externalNo}-${part}` : null,
        }));
        await writeDemoClues(ctx, planned, refs, { recentDays: 0, today });
        written += n;
        log(`已写入历史线索 ${written.toLocaleString('zh-CN')} 条`);
      }
      await sql`vacuum analyze clue`.execute(database.db);
      log('VACUUM ANALYZE clue');

      const app = await buildApp(ctx);
      app.post('/bench/bare', { config: { policy: 'public' } }, async (_req, reply) =>
        reply.code(201).send({ ok: true }),
      );
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const login = async (username: string) => {
        const res = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: BENCH_PASSWORD }),
        });
        if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
        const cookie = res.headers
          .getSetCookie()
          .find((c) => c.startsWith('rj_session='))!
          .split(';')[0]!;
        const body = (await res.json()) as { user: { csrfToken: string; departmentId: number } };
        return { cookie, csrf: body.user.csrfToken, departmentId: body.user.departmentId };
      };
      const officer = await login('officer1');
      const director = await login('director');

      const sample = planDemoClues(7, entities, grids, 2000, today);
      log(`HTTP 写入：并发 ${opts.concurrency}，每项 ${opts.seconds} s…`);
      const bare = await load(opts.seconds, opts.concurrency, async () => {
        const res = await fetch(`${base}/bench/bare`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"x":1}',
        });
        await res.arrayBuffer();
        return res.status;
      });
      const intake = await load(opts.seconds, opts.concurrency, async (i) => {
        const p = sample[i % sample.length]!;
        const res = await fetch(`${base}/api/clues`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie: officer.cookie,
            'x-csrf-token': officer.csrf,
          },
          body: JSON.stringify({
            kind: p.kind,
            channel: 'phone',
            content: p.content,
            request: p.request,
            respondent: { name: p.respondentName, address: p.address },
            complainant: p.complainant ?? undefined,
            anonymous: !p.complainant,
            location: p.location ?? undefined,
          }),
        });
        await res.arrayBuffer();
        return res.status;
      });

      log(`列表查询（三个筛选条件），每类 ${opts.queries} 次…`);
      const lists: [string, string, typeof officer][] = [
        ['状态+类型+业务条线', 'status=closed&kind=complaint&businessLine=食品', director],
        [
          '渠道+类型+收到日期区间',
          `channel=12315&kind=report&receivedFrom=2026-09-01&receivedTo=2026-10-31`,
          director,
        ],
        ['本部门：状态+渠道+类型', 'status=closed&channel=12345&kind=complaint', officer],
        ['待办：状态+类型+12315分类', 'status=handling&kind=complaint&category12315=goods.food', director],
      ];
      const listFigures: [string, number, number][] = [];
      for (const [label, q, who] of lists) {
        const samples: number[] = [];
        for (let i = 0; i < opts.queries + 20; i++) {
          const a = performance.now();
          const res = await fetch(
            `${base}/api/clues?${q.replace('食品', encodeURIComponent('食品'))}&limit=20`,
            {
              headers: { cookie: who.cookie },
            },
          );
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`list ${label}: ${res.status}`);
          if (i >= 20) samples.push(performance.now() - a);
        }
        listFigures.push([label, percentile(samples, 0.5), percentile(samples, 0.95)]);
      }
      await app.close();

      console.log(`\n线索归集基准（PostgreSQL，${opts.clues.toLocaleString('zh-CN')} 条历史线索）`);
      console.log(
        `  裸 Fastify 路由（201）          ${bare.rate.toFixed(0)} 次/秒   中位 ${bare.p50.toFixed(1)} ms   p99 ${bare.p99.toFixed(1)} ms`,
      );
      console.log(
        `  POST /api/clues 登记线索         ${intake.rate.toFixed(0)} 次/秒   中位 ${intake.p50.toFixed(1)} ms   p99 ${intake.p99.toFixed(1)} ms   失败 ${intake.errors}/${intake.done}   目标 ≥ 300 次/秒，p99 < 100 ms`,
      );
      console.log(`  登记 ÷ 裸路由                    ${((intake.rate / bare.rate) * 100).toFixed(1)} %`);
      for (const [label, p50, p95] of listFigures) {
        console.log(
          `  列表查询  中位 ${p50.toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   目标 p95 < 50 ms   （${label}）`,
        );
      }
    },
  );
}
