import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { inDataScope } from '../src/platform/auth/data-scope.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { seedDemoCounty } from '../src/platform/demo/seed.ts';
import { buildApp } from '../src/platform/http/app.ts';
import { requireUser } from '../src/platform/http/auth-hooks.ts';

/**
 * `npm run bench -- auth`: login throughput, and what the security layers (session lookup, permission check,
 * data-scope filter in SQL) add to one read. Two routes run the same by-id query on the demo county: one public
 * and unfiltered, one guarded and scoped like every real route. Target (issue 3): < 2 ms added at the median.
 */
const PASSWORD = 'Bench-Passw0rd';

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

export async function benchAuth(opts: { requests: number; logins: number }): Promise<void> {
  const database = await openDatabase({});
  await migrateToLatest(database.db);
  const config = loadConfig({ RONGJIAN_LOG_LEVEL: 'silent', RONGJIAN_MASTER_KEY: 'ab'.repeat(32) });
  const ctx = await createContext(config, database);
  await seedDemoCounty(ctx, { seed: 42, entities: 2000, staff: 30, password: PASSWORD });
  const app = await buildApp(ctx);
  const byId = (id: number) =>
    ctx.db.selectFrom('entity').select(['id', 'name', 'uscc', 'station_id']).where('id', '=', id);
  app.get('/bench/open/:id', { config: { policy: 'public' } }, async (req) =>
    byId(Number((req.params as { id: string }).id)).executeTakeFirst(),
  );
  app.get(
    '/api/bench/scoped/:id',
    { config: { policy: { permission: 'entity:profile:read' } } },
    async (req) => {
      const user = requireUser(req);
      return byId(Number((req.params as { id: string }).id))
        .where((eb) => inDataScope(eb, user, { department: 'station_id' }))
        .executeTakeFirst();
    },
  );
  await app.ready();

  // Login throughput (PBKDF2-HMAC-SM3 dominates by design).
  const t0 = performance.now();
  let cookie = '';
  for (let i = 0; i < opts.logins; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'officer1', password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    cookie = `rj_session=${res.cookies.find((c) => c.name === 'rj_session')!.value}`;
  }
  const loginMs = (performance.now() - t0) / opts.logins;

  const user = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
  const stationId = (user.json() as { user: { departmentId: number } }).user.departmentId;
  const row = await sql<{
    id: number;
  }>`select id from entity where station_id = ${stationId} limit 1`.execute(ctx.db);
  const id = row.rows[0]!.id;

  const open: number[] = [];
  const scoped: number[] = [];
  for (let i = 0; i < opts.requests + 200; i++) {
    const a = performance.now();
    const r1 = await app.inject({ method: 'GET', url: `/bench/open/${id}` });
    const b = performance.now();
    const r2 = await app.inject({ method: 'GET', url: `/api/bench/scoped/${id}`, headers: { cookie } });
    const c = performance.now();
    if (r1.statusCode !== 200 || r2.statusCode !== 200)
      throw new Error(`read failed: ${r1.statusCode}/${r2.statusCode}`);
    if (i >= 200) {
      open.push(b - a);
      scoped.push(c - b);
    }
  }
  const o = stats(open);
  const s = stats(scoped);
  console.log(`\n认证与授权基准（${ctx.database.backend}，${opts.requests} 次读取，${opts.logins} 次登录）`);
  console.log(
    `  登录（PBKDF2-HMAC-SM3 10 万次迭代）     ${loginMs.toFixed(1)} ms/次   ${(1000 / loginMs).toFixed(1)} 次/秒（单线程）`,
  );
  console.log(
    `  同一按编号读取，无安全层              中位 ${o.median.toFixed(2)} ms   p95 ${o.p95.toFixed(2)} ms`,
  );
  console.log(
    `  同一读取，会话+权限+数据范围          中位 ${s.median.toFixed(2)} ms   p95 ${s.p95.toFixed(2)} ms`,
  );
  console.log(
    `  安全层开销（中位差）                  ${(s.median - o.median).toFixed(2)} ms   倍数 ${(s.median / o.median).toFixed(2)}×   目标 < 2 ms`,
  );
  await app.close();
  await database.close();
}
