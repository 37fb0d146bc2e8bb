import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/fixtures.ts';
import { type GridsTestBed, square, startGridsTestBed } from '../../../test/grids-support.ts';
import { caller, insertRole, insertUser } from '../../../test/roles-support.ts';
import { json } from '../../platform/db/json.ts';

let bed: GridsTestBed;
const sys = (...args: Parameters<GridsTestBed['sys']>) => bed.sys(...args);
const gridBody = (over: Record<string, unknown> = {}) => bed.gridBody(over);

beforeAll(async () => {
  bed = await startGridsTestBed();
  const role = await insertRole(
    bed.t.ctx.db,
    'grid_keeper_a',
    ['system:grid:read', 'system:grid:update'],
    'department',
  );
  await insertUser(bed.t.ctx.db, 'gridkeeper_a', bed.stationA, [role]);
  await bed.createGrid({ code: 'T0101', name: '城东第1网格' });
  await bed.createGrid({
    code: 'T0102',
    name: '城东第2网格',
    geometry: { type: 'Polygon', coordinates: [square(120.62, 31.4)] },
  });
  await bed.createGrid({
    code: 'T0201',
    name: '城西第1网格',
    stationId: bed.stationB,
    geometry: { type: 'Polygon', coordinates: [square(120.7, 31.4)] },
  });
});

afterAll(async () => {
  await bed?.close();
});

describe('grids: data scope (IDOR)', () => {
  it('a station-A keeper sees only A’s grids and gets 404 for B’s grid by id, read or write', async () => {
    const keeper = caller(bed.t.app, await login(bed.t.app, 'gridkeeper_a'));
    const list = (await keeper('GET', '/api/system/grids')).json();
    expect(list.items.map((g: { code: string }) => g.code)).toEqual(['T0101', 'T0102']);
    const features = (await keeper('GET', '/api/system/grids/geojson')).json().features;
    expect(features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual([
      'T0101',
      'T0102',
    ]);
    expect((await keeper('GET', '/api/system/grids/stations')).json().items).toEqual([
      { id: bed.stationA, name: '城东市场监管所' },
    ]);

    const b = (await sys('GET', '/api/system/grids?keyword=T0201')).json().items[0];
    const read = await keeper('GET', `/api/system/grids/${b.id}`);
    expect(read.statusCode).toBe(404);
    expect(read.json().code).toBe('NOT_FOUND');
    const edit = await keeper(
      'PUT',
      `/api/system/grids/${b.id}`,
      gridBody({ code: 'T0201', name: '被篡改', stationId: bed.stationA }),
    );
    expect(edit.statusCode).toBe(404);
    expect((await sys('GET', `/api/system/grids/${b.id}`)).json().name).toBe('城西第1网格');

    // Own grid: editable, but it cannot be handed to a 所 outside the keeper's scope; no delete permission.
    const a = list.items[0];
    const moved = await keeper(
      'PUT',
      `/api/system/grids/${a.id}`,
      gridBody({ code: 'T0101', stationId: bed.stationB }),
    );
    expect(moved.statusCode).toBe(400);
    const renamed = await keeper(
      'PUT',
      `/api/system/grids/${a.id}`,
      gridBody({ code: 'T0101', name: '城东中心网格' }),
    );
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '城东中心网格', centerLon: 120.605 });
    expect((await keeper('DELETE', `/api/system/grids/${a.id}`)).statusCode).toBe(403);
  });
});

describe('grids: delete', () => {
  it('refuses while 经营主体 are in the grid, then deletes', async () => {
    const g = await bed.createGrid({
      code: 'T0199',
      name: '待撤销网格',
      geometry: { type: 'Polygon', coordinates: [square(120.64, 31.4)] },
    });
    const e = await bed.t.ctx.db
      .insertInto('entity')
      .values({
        name: '测试商店',
        type: 'individual',
        address: '城东路1号',
        region_code: '320599',
        grid_id: g.id,
        station_id: bed.stationA,
        business_lines: json([]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const refused = await sys('DELETE', `/api/system/grids/${g.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'GRID_IN_USE' });
    expect(refused.json().message).toContain('1 个经营主体');
    const detail = (await sys('GET', `/api/system/grids/${g.id}`)).json();
    expect(detail.entityCount).toBe(1);

    await bed.t.ctx.db.updateTable('entity').set({ grid_id: null }).where('id', '=', e.id).execute();
    expect((await sys('DELETE', `/api/system/grids/${g.id}`)).statusCode).toBe(204);
    expect((await sys('GET', `/api/system/grids/${g.id}`)).statusCode).toBe(404);
  });
});
