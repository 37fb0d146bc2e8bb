import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login as signIn } from '../../../test/fixtures.ts';
import { caller } from '../../../test/roles-support.ts';
import { createTestApp } from '../../../test/support.ts';
import { seedDemoCounty } from '../../platform/demo/seed.ts';

const PASSWORD = 'Demo-Pass-2026';
const ENTITIES = 300;

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCounty(t.ctx, { seed: 42, entities: ENTITIES, staff: 40, password: PASSWORD, via: 'direct' });
});
afterAll(() => t?.close());

async function login(username: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'rj_session');
  expect(cookie).toBeDefined();
  return cookie!.value;
}

async function overview(username: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: '/api/overview',
    cookies: { rj_session: await login(username) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    entities: {
      total: number;
      byType: { type: string; label: string; count: number }[];
      byStation: { stationId: number; stationName: string; count: number }[];
      byRisk: { riskClass: string | null; count: number }[];
    };
    departments: number;
    stations: number;
    grids: number;
    staff: number;
  };
}

const sum = (xs: { count: number }[]) => xs.reduce((a, x) => a + x.count, 0);

describe('GET /api/overview', () => {
  it('shows the director the whole county', async () => {
    const o = await overview('director');
    expect(o.entities.total).toBe(ENTITIES);
    expect(o.entities.byType.map((x) => x.label)).toEqual(['企业', '个体工商户', '农民专业合作社']);
    expect(sum(o.entities.byType)).toBe(ENTITIES);
    expect(o.entities.byStation).toHaveLength(8);
    expect(o.entities.byStation[0]!.stationName).toBe('城厢市场监管所');
    expect(sum(o.entities.byStation)).toBe(ENTITIES);
    expect(o.entities.byRisk.map((x) => x.riskClass)).toEqual(['A', 'B', 'C', 'D']);
    expect(sum(o.entities.byRisk)).toBe(ENTITIES);
    expect(o).toMatchObject({ departments: 21, stations: 8, grids: 40, staff: 40 });
  });

  it('shows a station officer only his own 所', async () => {
    const all = await overview('director');
    const o = await overview('officer1');
    const me = await t.ctx.db
      .selectFrom('app_user')
      .select('department_id')
      .where('username', '=', 'officer1')
      .executeTakeFirstOrThrow();
    const mine = all.entities.byStation.find((s) => s.stationId === me.department_id)!;
    expect(o.entities.total).toBeGreaterThan(0);
    expect(o.entities.total).toBeLessThan(ENTITIES);
    expect(o.entities.total).toBe(mine.count);
    expect(o.entities.byStation).toEqual([mine]);
    expect(sum(o.entities.byType)).toBe(o.entities.total);
    expect(sum(o.entities.byRisk)).toBe(o.entities.total);
    expect(o.stations).toBe(1);
    expect(o.departments).toBe(1);
    expect(o.grids).toBeGreaterThan(0);
    expect(o.grids).toBeLessThan(40);

    const other = await overview('officer2');
    expect(other.entities.byStation).toHaveLength(1);
    expect(other.entities.byStation[0]!.stationId).not.toBe(me.department_id);
  });

  it('shows zero entities to a user whose scope holds no 所', async () => {
    // bgs01 heads the 办公室: 本部门及以下 reaches no station.
    const o = await overview('bgs01');
    expect(o.entities.total).toBe(0);
    expect(o.entities.byStation).toEqual([]);
    expect(sum(o.entities.byType)).toBe(0);
    expect(o.stations).toBe(0);
  });

  it('no longer counts an entity absorbed by a merge, and counts it again once the merge is undone', async () => {
    const before = await overview('director');
    const [survivor, absorbed] = await t.ctx.db
      .selectFrom('entity')
      .select(['id', 'station_id'])
      .where('station_id', '=', before.entities.byStation[0]!.stationId)
      .orderBy('id')
      .limit(2)
      .execute();
    // An older registration of the same shop, without a USCC (two different codes may not be merged).
    await t.ctx.db.updateTable('entity').set({ uscc: null }).where('id', '=', absorbed!.id).execute();
    const director = caller(t.app, await signIn(t.app, 'director', PASSWORD));
    const merge = await director('POST', '/api/fusion/merges', {
      survivorId: Number(survivor!.id),
      absorbedId: Number(absorbed!.id),
      reason: '同一家店',
    });
    expect(merge.statusCode, merge.body).toBe(200);

    const after = await overview('director');
    expect(after.entities.total).toBe(ENTITIES - 1);
    expect(sum(after.entities.byType)).toBe(ENTITIES - 1);
    expect(sum(after.entities.byStation)).toBe(ENTITIES - 1);
    expect(after.entities.byStation[0]!.count).toBe(before.entities.byStation[0]!.count - 1);
    expect(sum(after.entities.byRisk)).toBe(ENTITIES - 1);

    const revert = await director('POST', `/api/fusion/merges/${merge.json().mergeId}/revert`, {
      reason: '测试结束',
    });
    expect(revert.statusCode, revert.body).toBe(200);
    expect((await overview('director')).entities).toEqual(before.entities);
  });

  it('refuses the auditor (no business permission)', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/overview',
      cookies: { rj_session: await login('auditor') },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('requires a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/overview' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
