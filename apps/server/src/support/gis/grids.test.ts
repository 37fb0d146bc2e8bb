import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GridsTestBed, square, startGridsTestBed } from '../../../test/grids-support.ts';

let bed: GridsTestBed;
const sys = (...args: Parameters<GridsTestBed['sys']>) => bed.sys(...args);
const gridBody = (over: Record<string, unknown> = {}) => bed.gridBody(over);

beforeAll(async () => {
  bed = await startGridsTestBed();
});

afterAll(async () => {
  await bed?.close();
});

describe('grids: create, read, update', () => {
  it('creates a grid with a computed centre and area, and audits it', async () => {
    const res = await sys(
      'POST',
      '/api/system/grids',
      gridBody({ geometry: { type: 'Polygon', coordinates: [square(120.6, 31.4, 0.02)] } }),
    );
    expect(res.statusCode).toBe(200);
    const g = res.json();
    expect(g).toMatchObject({
      code: 'T0101',
      stationId: bed.stationA,
      stationName: '城东市场监管所',
      centerLon: 120.61,
      centerLat: 31.41,
      entityCount: 0,
    });
    expect(g.areaKm2).toBeGreaterThan(4);
    expect(g.geometry.coordinates[0]).toHaveLength(5);
    const audit = await bed.t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'system:grid:create')
      .executeTakeFirst();
    expect(audit).toMatchObject({ object_type: 'grid', object_id: String(g.id), result: 'success' });

    const dup = await sys('POST', '/api/system/grids', gridBody());
    expect(dup.statusCode).toBe(409);
    expect(dup.json().details).toEqual([{ path: 'code', message: '网格编码 T0101 已存在' }]);
  });

  it('explains invalid boundaries in Chinese, per coordinate', async () => {
    const cases: [unknown, string, string][] = [
      [{ type: 'LineString', coordinates: [] }, 'geometry.type', '必须为 Polygon'],
      [
        { type: 'Polygon', coordinates: [square(120.6, 31.4).slice(0, 4)] },
        'geometry.coordinates.0',
        '未闭合',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [120.6, 31.4],
              [120.61, 31.4],
              [120.6, 31.4],
            ],
          ],
        },
        'geometry.coordinates.0',
        '至少需要 4 个坐标点',
      ],
      [{ type: 'Polygon', coordinates: [square(31.4, 120.6)] }, 'geometry.coordinates.0.0', '超出中国境内'],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [120.6, 31.4],
              [120.61, 31.41],
              [120.61, 31.4],
              [120.6, 31.41],
              [120.6, 31.4],
            ],
          ],
        },
        'geometry.coordinates.0',
        '自相交',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [120.6, 31.4],
              ['a', 31.4],
              [120.61, 31.41],
              [120.6, 31.4],
            ],
          ],
        },
        'geometry.coordinates.0.1',
        '[经度, 纬度]',
      ],
    ];
    for (const [geometry, path, text] of cases) {
      const res = await sys('POST', '/api/system/grids', gridBody({ code: 'BAD1', geometry }));
      expect(res.statusCode, JSON.stringify(geometry)).toBe(400);
      const err = res.json();
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.message).toContain('网格边界无效');
      expect(err.details[0].path).toBe(path);
      expect(err.details[0].message).toContain(text);
    }
  });

  it('requires the owner to be a 市场监管所', async () => {
    const res = await sys(
      'POST',
      '/api/system/grids',
      gridBody({ code: 'BUREAU1', stationId: bed.org.bureauId }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { path: 'stationId', message: '所属市场监管所不存在或不在您的数据权限范围内' },
    ]);
  });

  it('lists with station and keyword filters, keyset pages and a total; serves GeoJSON for the map', async () => {
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
    const byStation = (await sys('GET', `/api/system/grids?stationId=${bed.stationA}`)).json();
    expect(byStation.total).toBe(2);
    expect(byStation.items.map((g: { code: string }) => g.code)).toEqual(['T0101', 'T0102']);
    const page1 = (await sys('GET', '/api/system/grids?limit=2')).json();
    expect(page1).toMatchObject({ total: 3 });
    expect(page1.items).toHaveLength(2);
    const page2 = (await sys('GET', `/api/system/grids?limit=2&after=${page1.nextAfter}`)).json();
    expect(page2.items.map((g: { code: string }) => g.code)).toEqual(['T0201']);
    expect(page2.nextAfter).toBeNull();
    const kw = (await sys('GET', `/api/system/grids?keyword=${encodeURIComponent('城西')}`)).json();
    expect(kw.items.map((g: { code: string }) => g.code)).toEqual(['T0201']);

    const fc = (await sys('GET', '/api/system/grids/geojson')).json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(3);
    expect(fc.features[0]).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Polygon' },
      properties: { code: 'T0101', stationName: '城东市场监管所', entityCount: 0 },
    });
  });

  it('answers SQL metacharacters and over-long filters without an error', async () => {
    for (const keyword of ["' OR 1=1 --", '%', '_', '\\', "'; drop table grid; --"]) {
      const res = await sys('GET', `/api/system/grids?keyword=${encodeURIComponent(keyword)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().total).toBe(0);
    }
    expect((await sys('GET', `/api/system/grids?keyword=${'网'.repeat(10_000)}`)).statusCode).toBe(400);
    expect(
      (await sys('GET', `/api/system/grids?stationId=${encodeURIComponent('1 OR 1=1')}`)).statusCode,
    ).toBe(400);
    expect((await sys('GET', '/api/system/grids')).json().total).toBe(3);
  });
});

describe('grids: boundaries do not overlap', () => {
  it('refuses a boundary overlapping another grid, of any 所, but takes a neighbour sharing an edge', async () => {
    // A 1 km-ish square far from the other tests' grids, and its eastern neighbour along the shared edge.
    const west = await bed.createGrid({
      code: 'OV01',
      name: '重叠测试西网格',
      geometry: { type: 'Polygon', coordinates: [square(121.0, 31.0, 0.01)] },
    });
    const east = await bed.createGrid({
      code: 'OV02',
      name: '重叠测试东网格',
      stationId: bed.stationB,
      geometry: { type: 'Polygon', coordinates: [square(121.01, 31.0, 0.01)] },
    });
    // The same square again, for the other 所: the whole of it overlaps.
    const copy = await sys(
      'POST',
      '/api/system/grids',
      gridBody({
        code: 'OV03',
        name: '重叠测试副本',
        stationId: bed.stationB,
        geometry: { type: 'Polygon', coordinates: [square(121.0, 31.0, 0.01)] },
      }),
    );
    expect(copy.statusCode).toBe(400);
    expect(copy.json().details).toEqual([
      {
        path: 'geometry',
        message: expect.stringMatching(/^网格边界与“重叠测试西网格”（城东市场监管所）重叠约 [\d,]+ 平方米/),
      },
    ]);
    // Moving the eastern grid half over the western one is refused too, and leaves it where it was.
    const moved = await sys(
      'PUT',
      `/api/system/grids/${east.id}`,
      gridBody({
        code: 'OV02',
        name: '重叠测试东网格',
        stationId: bed.stationB,
        geometry: { type: 'Polygon', coordinates: [square(121.005, 31.0, 0.01)] },
      }),
    );
    expect(moved.statusCode).toBe(400);
    const kept = (await sys('GET', `/api/system/grids/${east.id}`)).json();
    expect(kept.geometry.coordinates[0][0]).toEqual([121.01, 31.0]);
    expect(west.code).toBe('OV01');
  });
});
