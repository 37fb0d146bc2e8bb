import { json } from '../src/platform/db/json.ts';
import { createOrg, login } from './fixtures.ts';
import { square } from './grids-support.ts';
import { caller } from './roles-support.ts';
import { createTestApp } from './support.ts';

/**
 * A bureau with two 所 and a grid in each, and the people who work clues: an officer per station, a clerk at the
 * bureau, the director (全部) and a read-only analyst.
 */
export async function startCluesTestBed(env: NodeJS.ProcessEnv = {}) {
  const t = await createTestApp(env);
  const org = await createOrg(t.ctx.db);
  const [stationA, stationB] = org.stations as [number, number];
  const grid = async (code: string, name: string, stationId: number, lon: number, lat: number) =>
    Number(
      (
        await t.ctx.db
          .insertInto('grid')
          .values({
            code,
            name,
            station_id: stationId,
            geometry: json({ type: 'Polygon' as const, coordinates: [square(lon, lat)] }),
            center_lon: lon + 0.005,
            center_lat: lat + 0.005,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
  const gridA = await grid('G-A', '城东一网格', stationA, 120.6, 31.3);
  const gridB = await grid('G-B', '城西一网格', stationB, 120.5, 31.3);
  const users = {
    officerA: await org.user('officerA', 'officer', stationA),
    officerB: await org.user('officerB', 'officer', stationB),
    clerk: await org.user('clerk', 'clerk'),
    director: await org.user('director', 'director'),
    analyst: await org.user('analyst', 'analyst'),
  };
  const as = async (username: keyof typeof users) => caller(t.app, await login(t.app, username));
  return { t, org, stationA, stationB, gridA, gridB, users, as, close: () => t.close() };
}
export type CluesTestBed = Awaited<ReturnType<typeof startCluesTestBed>>;

/** A valid staff intake body; override what the test is about. */
export const phoneCall = (over: Record<string, unknown> = {}) => ({
  kind: 'complaint',
  channel: 'phone',
  content: '在城东菜市场购买的熟食有异味，商家拒绝退货。',
  request: '退货退款',
  respondent: { name: '城东熟食店', address: '城东路 8 号' },
  complainant: { name: '张三', phone: '13912345678' },
  ...over,
});
