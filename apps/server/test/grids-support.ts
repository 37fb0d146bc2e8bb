import { expect } from 'vitest';
import type { Position } from '../src/support/gis/geojson.ts';
import { createOrg, login } from './fixtures.ts';
import { caller } from './roles-support.ts';
import { createTestApp } from './support.ts';

/** A square ring of `d` degrees with its south-west corner at (lon, lat). */
export const square = (lon: number, lat: number, d = 0.01): Position[] => [
  [lon, lat],
  [lon + d, lat],
  [lon + d, lat + d],
  [lon, lat + d],
  [lon, lat],
];

/** The app with an org (two stations) and a signed-in system administrator, for grid tests. */
export async function startGridsTestBed() {
  const t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  const [stationA, stationB] = org.stations as [number, number];
  await org.user('sys', 'sysadmin');
  const sys = caller(t.app, await login(t.app, 'sys'));
  const gridBody = (over: Record<string, unknown> = {}) => ({
    code: 'T0101',
    name: '城东第1网格',
    stationId: stationA,
    geometry: { type: 'Polygon', coordinates: [square(120.6, 31.4)] },
    ...over,
  });
  return {
    t,
    org,
    stationA,
    stationB,
    sys,
    gridBody,
    async createGrid(over: Record<string, unknown>) {
      const res = await sys('POST', '/api/system/grids', gridBody(over));
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { id: number; code: string; stationId: number };
    },
    close: () => t.close(),
  };
}

export type GridsTestBed = Awaited<ReturnType<typeof startGridsTestBed>>;
