import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { seedDemoCounty } from '../src/platform/demo/seed.ts';
import { buildApp } from '../src/platform/http/app.ts';
import { BENCH_PASSWORD, benchLogger, percentile, withBenchDatabase } from './bench-support.ts';

/**
 * 我的待办 at city scale (issue 6), on PostgreSQL in a temporary database: `items` inbox items (default 2,000,000 —
 * the 待研判 and 待调度 items of about 1,000,000 clues a year plus their dispatch orders), 2 % of them still open,
 * bulk-inserted with `generate_series`. Then `GET /api/inbox` (待办 by due time, first page), `GET /api/inbox/counts`
 * and the 已办 list are timed over real HTTP for an officer (本部门: named and department items), the 所长 of the
 * same 所, an analyst and a dispatcher (全部: the county-wide clue queues). Prints p50/p95; target p95 < 50 ms.
 */
export interface InboxBenchOptions {
  pgUrl: string;
  items?: number;
  queries?: number;
  keep?: boolean;
}

const log = benchLogger();

export async function benchInbox(opts: InboxBenchOptions): Promise<void> {
  const total = opts.items ?? 2_000_000;
  const queries = opts.queries ?? 200;
  await withBenchDatabase(
    { pgUrl: opts.pgUrl, suite: 'inbox', keep: opts.keep },
    log,
    async (ctx, database) => {
      const seeded = await seedDemoCounty(ctx, {
        seed: 42,
        entities: 2_000,
        staff: 300,
        password: BENCH_PASSWORD,
        via: 'direct',
      });
      const stations = seeded.ids.stations;
      log(`已生成演示县：${stations.length} 个市场监管所、300 名工作人员`);

      // One officer per 所 receives that 所's named orders; everybody completes some items (已办).
      const officers: number[] = [];
      for (const s of stations) {
        const o = await ctx.db
          .selectFrom('app_user as u')
          .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
          .innerJoin('role as r', 'r.id', 'ur.role_id')
          .select('u.id')
          .where('u.department_id', '=', s)
          .where('r.code', '=', 'officer')
          .orderBy('u.username')
          .executeTakeFirstOrThrow();
        officers.push(Number(o.id));
      }
      const staff = (await ctx.db.selectFrom('app_user').select('id').orderBy('id').execute()).map((r) =>
        Number(r.id),
      );

      const CHUNK = 500_000;
      const span = 180 * 86_400; // half a year of work, in seconds
      for (let from = 1; from <= total; from += CHUNK) {
        const to = Math.min(total, from + CHUNK - 1);
        // i % 20: 0–7 待研判 (any department), 8–13 待调度 (any department), 14–19 调度单 of a 所 (half named).
        // Open when the block of 20 (one of each kind) is a multiple of 50: 2 % of every kind; 1 in 10 open items
        // 督办. Created over half a year, due five days later.
        await sql`
        insert into inbox_item (source, source_id, title, href, department_id, user_ids, permission, due_at,
          priority, clue_id, state, done_by, done_at, created_at, updated_at)
        select
          case when g % 20 < 8 then 'clue.analysis' when g % 20 < 14 then 'clue.dispatch' else 'dispatch.order' end,
          g::text,
          '待办事项 ' || g,
          '/clues/' || g,
          case when g % 20 < 14 then null else (${stations}::bigint[])[1 + g % ${stations.length}] end,
          case when g % 20 >= 17 then array[(${officers}::bigint[])[1 + g % ${stations.length}]]::bigint[]
               else '{}'::bigint[] end,
          case when g % 20 < 8 then 'analysis:judgment:create' when g % 20 < 14 then 'dispatch:order:create'
               else 'dispatch:order:sign' end,
          now() - make_interval(secs => ${span} * (${total} - g)::float8 / ${total}) + interval '5 days',
          case when (g / 20) % 500 = 0 then 'urged' else 'normal' end,
          g,
          case when (g / 20) % 50 = 0 then 'open' else 'done' end,
          case when (g / 20) % 50 = 0 then null else (${staff}::bigint[])[1 + g % ${staff.length}] end,
          case when (g / 20) % 50 = 0 then null
               else now() - make_interval(secs => ${span} * (${total} - g)::float8 / ${total}) + interval '1 day' end,
          now() - make_interval(secs => ${span} * (${total} - g)::float8 / ${total}),
          now()
        from generate_series(${from}::int, ${to}::int) g`.execute(ctx.db);
        log(`已写入待办事项 ${to.toLocaleString('zh-CN')} 条`);
      }
      await sql`vacuum analyze inbox_item`.execute(database.db);
      const open = await ctx.db
        .selectFrom('inbox_item')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'open')
        .executeTakeFirstOrThrow();
      log(`VACUUM ANALYZE inbox_item（未办 ${Number(open.n).toLocaleString('zh-CN')} 条）`);

      const app = await buildApp(ctx);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const login = async (username: string) => {
        const res = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: BENCH_PASSWORD }),
        });
        if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
        return res.headers
          .getSetCookie()
          .find((c) => c.startsWith('rj_session='))!
          .split(';')[0]!;
      };
      const officer = await ctx.db
        .selectFrom('app_user')
        .select(['username', 'department_id'])
        .where('id', '=', officers[0]!)
        .executeTakeFirstOrThrow();
      const head = await ctx.db
        .selectFrom('app_user as u')
        .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
        .innerJoin('role as r', 'r.id', 'ur.role_id')
        .select('u.username')
        .where('u.department_id', '=', officer.department_id)
        .where('r.code', '=', 'station_head')
        .executeTakeFirstOrThrow();
      const people: [string, string][] = [
        [`执法人员 ${officer.username}`, await login(officer.username)],
        [`所长 ${head.username}`, await login(head.username)],
        ['研判员 analyst', await login('analyst')],
        ['调度员 dispatcher', await login('dispatcher')],
      ];
      const figures: [string, string, number, number, number][] = [];
      for (const [who, cookie] of people) {
        for (const [label, path] of [
          ['待办第一页（按截止时间）', '/api/inbox?box=todo&sort=due&limit=20'],
          ['待办数量', '/api/inbox/counts'],
          ['已办第一页', '/api/inbox?box=done&limit=20'],
        ] as const) {
          const samples: number[] = [];
          let rows = 0;
          for (let i = 0; i < queries + 20; i++) {
            const a = performance.now();
            const res = await fetch(`${base}${path}`, { headers: { cookie } });
            const body = (await res.json()) as { items?: unknown[]; todo?: number };
            if (res.status !== 200) throw new Error(`${who} ${path}: ${res.status}`);
            rows = body.items?.length ?? body.todo ?? 0;
            if (i >= 20) samples.push(performance.now() - a);
          }
          figures.push([who, label, percentile(samples, 0.5), percentile(samples, 0.95), rows]);
        }
      }
      await app.close();

      console.log(
        `\n我的待办基准（PostgreSQL，${total.toLocaleString('zh-CN')} 条待办事项，其中未办 ${Number(open.n).toLocaleString('zh-CN')} 条）`,
      );
      for (const [who, label, p50, p95, rows] of figures) {
        console.log(
          `  ${who.padEnd(22)} ${label.padEnd(16)} 中位 ${p50.toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   （${label === '待办数量' ? `待办 ${rows}` : `${rows} 行`}）   目标 p95 < 50 ms`,
        );
      }
    },
  );
}
