import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GridsTestBed, square, startGridsTestBed } from '../../../test/grids-support.ts';
import { json } from '../../platform/db/json.ts';
import type { Position } from './geojson.ts';
import { assignLocations } from './gis.locate.ts';

/**
 * Point-in-polygon assignment on the real database. Around (120.6, 31.4):
 *   A  square 120.60–120.62 × 31.40–31.42 with a hole 120.605–120.615 × 31.405–31.415 (所 A)
 *   H  a smaller square inside A's hole, 120.607–120.613 × 31.407–31.413 (所 B)
 *   M  MultiPolygon of two squares, 120.63–120.64 and 120.65–120.66 × 31.40–31.41 (所 B)
 */
let bed: GridsTestBed;
const grid = { A: 0, H: 0, M: 0 };
const ids: Record<string, number> = {};

const ring = (minLon: number, minLat: number, maxLon: number, maxLat: number): Position[] => [
  [minLon, minLat],
  [maxLon, minLat],
  [maxLon, maxLat],
  [minLon, maxLat],
  [minLon, minLat],
];
const withHole = (hole: Position[]) => ({
  type: 'Polygon',
  coordinates: [square(120.6, 31.4, 0.02), hole],
});

async function entity(
  name: string,
  lon: number | null,
  lat: number | null,
  opts: { gridId?: number; address?: string } = {},
) {
  const r = await bed.t.ctx.db
    .insertInto('entity')
    .values({
      name,
      type: 'individual',
      address: opts.address ?? `示范县浏河镇郑和路${Object.keys(ids).length + 1}号`,
      region_code: '320599',
      lon,
      lat,
      grid_id: opts.gridId ?? null,
      business_lines: json([]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids[name] = Number(r.id);
}

const row = (name: string) =>
  bed.t.ctx.db
    .selectFrom('entity')
    .select(['grid_id', 'station_id', 'geo_source', 'geo_precision', 'located_at'])
    .where('id', '=', ids[name]!)
    .executeTakeFirstOrThrow();

const gridOf = async (name: string) => {
  const r = await row(name);
  return r.grid_id === null ? null : Number(r.grid_id);
};

beforeAll(async () => {
  bed = await startGridsTestBed();
  grid.A = (
    await bed.createGrid({
      code: 'A',
      name: '带洞网格',
      geometry: withHole(ring(120.605, 31.405, 120.615, 31.415)),
    })
  ).id;
  grid.H = (
    await bed.createGrid({
      code: 'H',
      name: '洞内网格',
      stationId: bed.stationB,
      geometry: { type: 'Polygon', coordinates: [ring(120.607, 31.407, 120.613, 31.413)] },
    })
  ).id;
  grid.M = (
    await bed.createGrid({
      code: 'M',
      name: '两块的网格',
      stationId: bed.stationB,
      geometry: {
        type: 'MultiPolygon',
        coordinates: [[ring(120.63, 31.4, 120.64, 31.41)], [ring(120.65, 31.4, 120.66, 31.41)]],
      },
    })
  ).id;
  // The grids' own reassignment jobs find no entities yet.
  await bed.t.ctx.jobs.claimAndRun(bed.t.ctx, 10);
  await entity('inA', 120.602, 31.402);
  await entity('inHoleAndH', 120.61, 31.41);
  await entity('inHoleOnly', 120.606, 31.406);
  await entity('inSecondPart', 120.655, 31.405);
  await entity('nowhere', 120.7, 31.45);
  await entity('wrongGrid', 120.635, 31.405, { gridId: grid.A });
  // An address the gazetteer cannot read, so that it stays without a point.
  await entity('noPoint', null, null, { address: '地址不详' });
});

afterAll(async () => {
  await bed?.close();
});

describe('assignLocations: point in polygon', () => {
  it('puts each point in its grid and 所 — holes, MultiPolygon parts — and leaves points in no grid 未落格', async () => {
    const r = await assignLocations(bed.t.ctx, { trigger: 'manual' });
    expect(await gridOf('inA')).toBe(grid.A);
    expect(await gridOf('inHoleAndH')).toBe(grid.H);
    expect(await gridOf('inHoleOnly')).toBeNull();
    expect(await gridOf('inSecondPart')).toBe(grid.M);
    expect(await gridOf('nowhere')).toBeNull();
    expect(await gridOf('wrongGrid')).toBe(grid.M);
    expect(await gridOf('noPoint')).toBeNull();
    expect(Number((await row('inA')).station_id)).toBe(bed.stationA);
    expect(Number((await row('inSecondPart')).station_id)).toBe(bed.stationB);
    // Points written by anyone but support/gis count as the source's own coordinates.
    expect(await row('inA')).toMatchObject({ geo_source: 'import', geo_precision: 'point' });

    expect(r).toMatchObject({ checked: 6, assigned: 4, moved: 1, outside: 2, geocoded: 0, notGeocoded: 1 });
    expect(r.runId).not.toBeNull();
    const events = await bed.t.ctx.db
      .selectFrom('ledger_event')
      .select(['subject_type', 'subject_id', 'payload'])
      .where('kind', '=', 'gis.assigned')
      .execute();
    expect(events).toEqual([
      {
        subject_type: 'gis_assignment',
        subject_id: String(r.runId),
        payload: expect.objectContaining({ trigger: 'manual', checked: 6, assigned: 4, outside: 2 }),
      },
    ]);
  });

  it('is idempotent: a second run has nothing to do and writes no event', async () => {
    const r = await assignLocations(bed.t.ctx);
    expect(r).toMatchObject({ runId: null, checked: 0, assigned: 0 });
    const n = await bed.t.ctx.db
      .selectFrom('ledger_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'gis.assigned')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('re-tests a point that moved since it was placed', async () => {
    // An import moves the shop from A into M's first part.
    await bed.t.ctx.db
      .updateTable('entity')
      .set({ lon: 120.635, lat: 31.405 })
      .where('id', '=', ids.inA!)
      .execute();
    const r = await assignLocations(bed.t.ctx);
    expect(r).toMatchObject({ checked: 1, assigned: 1, moved: 1 });
    expect(await gridOf('inA')).toBe(grid.M);
    expect(Number((await row('inA')).station_id)).toBe(bed.stationB);
    await bed.t.ctx.db
      .updateTable('entity')
      .set({ lon: 120.602, lat: 31.402 })
      .where('id', '=', ids.inA!)
      .execute();
    await assignLocations(bed.t.ctx);
    expect(await gridOf('inA')).toBe(grid.A);
  });
});

describe('reassignment after a grid edit', () => {
  it('a new boundary queues a job that moves the entities it now covers', async () => {
    // A's hole shrinks to exactly H: the point that sat in the hole outside H now lies in A.
    const res = await bed.sys(
      'PUT',
      `/api/system/grids/${grid.A}`,
      bed.gridBody({
        code: 'A',
        name: '带洞网格',
        geometry: withHole(ring(120.607, 31.407, 120.613, 31.413)),
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const queued = await bed.t.ctx.db
      .selectFrom('job')
      .select(['name', 'payload'])
      .where('name', '=', 'gis.grids.reassign')
      .where('status', '=', 'pending')
      .execute();
    expect(queued).toHaveLength(1);
    expect(queued[0]!.payload).toMatchObject({ gridId: grid.A });

    expect(await bed.t.ctx.jobs.claimAndRun(bed.t.ctx, 10)).toBeGreaterThan(0);
    expect(await gridOf('inHoleOnly')).toBe(grid.A);
    expect(Number((await row('inHoleOnly')).station_id)).toBe(bed.stationA);
    expect(await gridOf('inHoleAndH')).toBe(grid.H);
    const run = await bed.t.ctx.db
      .selectFrom('gis_assignment_run')
      .select(['trigger', 'counts'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ trigger: 'grid', counts: expect.objectContaining({ assigned: 1 }) });
  });

  it('a grid handed to another 所 takes its entities along, with or without a point', async () => {
    await bed.t.ctx.db
      .updateTable('entity')
      .set({ grid_id: grid.M, station_id: bed.stationB })
      .where('id', '=', ids.noPoint!)
      .execute();
    const res = await bed.sys(
      'PUT',
      `/api/system/grids/${grid.M}`,
      bed.gridBody({
        code: 'M',
        name: '两块的网格',
        stationId: bed.stationA,
        geometry: {
          type: 'MultiPolygon',
          coordinates: [[ring(120.63, 31.4, 120.64, 31.41)], [ring(120.65, 31.4, 120.66, 31.41)]],
        },
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    await bed.t.ctx.jobs.claimAndRun(bed.t.ctx, 10);
    for (const name of ['inSecondPart', 'wrongGrid', 'noPoint']) {
      expect(Number((await row(name)).station_id), name).toBe(bed.stationA);
    }
  });

  it('a name-only edit queues nothing', async () => {
    const before = await bed.t.ctx.db
      .selectFrom('job')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('name', '=', 'gis.grids.reassign')
      .executeTakeFirstOrThrow();
    const res = await bed.sys(
      'PUT',
      `/api/system/grids/${grid.H}`,
      bed.gridBody({
        code: 'H',
        name: '洞内网格（改名）',
        stationId: bed.stationB,
        geometry: { type: 'Polygon', coordinates: [ring(120.607, 31.407, 120.613, 31.413)] },
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const after = await bed.t.ctx.db
      .selectFrom('job')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('name', '=', 'gis.grids.reassign')
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
