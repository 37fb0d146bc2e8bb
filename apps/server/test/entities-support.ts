import { usccCheckChar } from '@rongjian/shared';
import { seedDemoCounty } from '../src/platform/demo/seed.ts';
import { json } from '../src/platform/db/json.ts';
import { login } from './fixtures.ts';
import { caller } from './roles-support.ts';
import { createTestApp } from './support.ts';

export const DEMO_PASSWORD = 'Demo-Pass-2026';

/**
 * The demo county (300 entities) plus a few entities with names the entity tests search for, in the first two
 * 所 (officer1 works in station A, officer2 in station B).
 */
export async function startEntitiesTestBed() {
  const t = await createTestApp();
  const seeded = await seedDemoCounty(t.ctx, {
    seed: 42,
    entities: 300,
    staff: 30,
    password: DEMO_PASSWORD,
    via: 'direct',
  });
  const [stationA, stationB] = seeded.ids.stations as [number, number];
  const gridOf = async (stationId: number) =>
    (await t.ctx.db
      .selectFrom('grid')
      .select(['id', 'center_lon', 'center_lat'])
      .where('station_id', '=', stationId)
      .orderBy('id')
      .executeTakeFirstOrThrow()) as { id: number; center_lon: number; center_lat: number };
  const [gridA, gridB] = [await gridOf(stationA), await gridOf(stationB)];
  const insert = async (name: string, over: { station: 'A' | 'B'; uscc?: string; risk?: 'A' | 'D' }) => {
    const g = over.station === 'A' ? gridA : gridB;
    const r = await t.ctx.db
      .insertInto('entity')
      .values({
        uscc: over.uscc ?? null,
        name,
        type: 'individual',
        address: `${over.station === 'A' ? '城东' : '城西'}测试路 1 号`,
        region_code: '320500',
        grid_id: g.id,
        station_id: over.station === 'A' ? stationA : stationB,
        lon: g.center_lon,
        lat: g.center_lat,
        business_lines: json(['食品']),
        risk_class: over.risk ?? null,
        established_on: '2020-05-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  };
  const ids = {
    bbqA: await insert('老王烧烤店', {
      station: 'A',
      uscc: `92320500MA1TEXT01${usccCheckChar('92320500MA1TEXT01')}`,
      risk: 'D',
    }),
    bbqB: await insert('城西老王烧烤摊', { station: 'B', risk: 'A' }),
    formula: await insert('=HYPERLINK("x")', { station: 'A' }),
  };
  const as = async (username: string) => caller(t.app, await login(t.app, username, DEMO_PASSWORD));
  return { t, stationA, stationB, gridA: gridA.id, gridB: gridB.id, ids, as, close: () => t.close() };
}
export type EntitiesTestBed = Awaited<ReturnType<typeof startEntitiesTestBed>>;
