import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EntitiesTestBed, startEntitiesTestBed } from '../../../test/entities-support.ts';
import { login } from '../../../test/fixtures.ts';
import { caller, insertRole, insertUser } from '../../../test/roles-support.ts';
import { json } from '../../platform/db/json.ts';
import { gisTilesSetting } from './gis.settings.ts';

/** 一张图 and locations over the demo county (300 entities, 40 grids) plus the entity test bed's own rows. */
let bed: EntitiesTestBed;
const COUNTY = '120.4,31.2,121,31.6';
type Feature = { id: number; category: string; title: string; link: string; fields: { label: string }[] };
type Cell = { gridId: number | null; name: string; count: number; byCategory: Record<string, number> };

const stationOf = async (ids: number[]) =>
  new Set(
    (await bed.t.ctx.db.selectFrom('entity').select('station_id').where('id', 'in', ids).execute()).map((r) =>
      Number(r.station_id),
    ),
  );

async function entity(values: { name: string; station: number | null; lon?: number; lat?: number }) {
  const r = await bed.t.ctx.db
    .insertInto('entity')
    .values({
      name: values.name,
      type: 'individual',
      address: '地址不详',
      region_code: '320599',
      station_id: values.station,
      lon: values.lon ?? null,
      lat: values.lat ?? null,
      business_lines: json([]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

beforeAll(async () => {
  bed = await startEntitiesTestBed();
});

afterAll(async () => {
  await bed?.close();
});

describe('map config', () => {
  it('is offline by default and lists only the layers the caller may see', async () => {
    const director = await bed.as('director');
    const cfg = (await director('GET', '/api/map/config')).json();
    expect(cfg.tiles).toBeNull();
    expect(cfg.layers.map((l: { key: string }) => l.key)).toEqual(['entities']);
    expect(cfg.layers[0].legend.map((l: { value: string }) => l.value)).toEqual(['A', 'B', 'C', 'D', 'none']);
    const admin = await bed.as('admin');
    expect((await admin('GET', '/api/map/config')).json().layers).toEqual([]);
  });

  it('serves the tile template with the key filled in once a tile service is set', async () => {
    await bed.t.ctx.settings.set({ id: null, name: '测试' }, gisTilesSetting, {
      url: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={tk}',
      labelUrl: '',
      subdomains: '01234567',
      tk: 'browser-key',
      attribution: '© 天地图',
      maxZoom: 18,
    });
    const director = await bed.as('director');
    const res = await director('GET', '/api/map/config');
    // The browser may now load images from the tile hosts, and only from those.
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(
      /img-src 'self' data: blob: 'self' https:\/\/t0\.tianditu\.gov\.cn .*https:\/\/t7\.tianditu\.gov\.cn/,
    );
    expect(res.json().tiles).toEqual({
      url: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=browser-key',
      labelUrl: null,
      subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'],
      attribution: '© 天地图',
      maxZoom: 18,
    });
    await bed.t.ctx.settings.set({ id: null, name: '测试' }, gisTilesSetting, gisTilesSetting.default);
    const offline = await director('GET', '/api/map/config');
    expect(String(offline.headers['content-security-policy'])).not.toContain('tianditu');
  });
});

describe('entity layer', () => {
  it('shows points with popup facts when zoomed in, within the viewer’s data scope', async () => {
    const director = await bed.as('director');
    const all = (await director('GET', `/api/map/layers/entities?bbox=${COUNTY}&zoom=14`)).json();
    expect(all.mode).toBe('points');
    expect(all.total).toBe(303);
    const bbq = all.features.find((f: Feature) => f.id === bed.ids.bbqA);
    expect(bbq).toMatchObject({ title: '老王烧烤店', category: 'D', link: `/entities/${bed.ids.bbqA}` });
    expect(bbq.fields.map((f: { label: string }) => f.label)).toEqual([
      '统一社会信用代码',
      '地址',
      '风险分类',
      '网格',
      '所属所',
    ]);

    const officer = await bed.as('officer1');
    const mine = (await officer('GET', `/api/map/layers/entities?bbox=${COUNTY}&zoom=14`)).json();
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.total).toBeLessThan(all.total);
    expect(await stationOf(mine.features.map((f: Feature) => f.id))).toEqual(new Set([bed.stationA]));
    expect(mine.features.map((f: Feature) => f.id)).not.toContain(bed.ids.bbqB);
  });

  it('filters like the entity search: risk class, grid, type, name, licence status', async () => {
    const director = await bed.as('director');
    const get = async (q: string) =>
      (await director('GET', `/api/map/layers/entities?bbox=${COUNTY}&zoom=14&${q}`)).json();
    const d = await get('riskClass=D');
    expect(d.total).toBeGreaterThan(0);
    expect(d.features.every((f: Feature) => f.category === 'D')).toBe(true);
    const g = await get(`gridId=${bed.gridA}`);
    expect(g.features.map((f: Feature) => f.id)).toContain(bed.ids.bbqA);
    expect(g.features.every((f: Feature) => f.fields.length === 5)).toBe(true);
    expect(
      (
        await bed.t.ctx.db
          .selectFrom('entity')
          .select('grid_id')
          .where(
            'id',
            'in',
            g.features.map((f: Feature) => f.id),
          )
          .execute()
      ).every((r) => Number(r.grid_id) === bed.gridA),
    ).toBe(true);
    const named = await get(`q=${encodeURIComponent('烧烤')}&type=individual`);
    const titles: string[] = named.features.map((f: Feature) => f.title);
    expect(titles).toEqual(expect.arrayContaining(['城西老王烧烤摊', '老王烧烤店']));
    expect(titles.every((t) => t.includes('烧烤'))).toBe(true);
    expect((await get('licenceStatus=expired&q=')).mode).toBe('points');
    // A viewport away from the county holds nothing.
    expect((await director('GET', '/api/map/layers/entities?bbox=100,30,100.1,30.1&zoom=15')).json()).toEqual(
      {
        mode: 'points',
        total: 0,
        features: [],
      },
    );
  });

  it('answers with per-grid counts when zoomed out, adding up to the same total', async () => {
    const director = await bed.as('director');
    const r = (await director('GET', `/api/map/layers/entities?bbox=${COUNTY}&zoom=10`)).json();
    expect(r.mode).toBe('grids');
    expect(r.total).toBe(303);
    expect(r.cells.reduce((s: number, c: Cell) => s + c.count, 0)).toBe(303);
    const cellA = r.cells.find((c: Cell) => c.gridId === bed.gridA);
    expect(cellA.name).toMatch(/网格/);
    expect(Object.values(cellA.byCategory as Record<string, number>).reduce((s, n) => s + n, 0)).toBe(
      cellA.count,
    );
  });

  it('answers bad viewports and filters with {code, message}, never a 500', async () => {
    const director = await bed.as('director');
    const cases: [string, string][] = [
      ['bbox=1,2,3&zoom=12', '视野范围'],
      ['bbox=121,31,120,32&zoom=12', '最小经纬度不能大于最大经纬度'],
      ['bbox=120,31,121,95&zoom=12', '超出经纬度取值范围'],
      ['bbox=a,b,c,d&zoom=12', '视野范围'],
      [`bbox=${COUNTY}&zoom=abc`, '缩放级别'],
      [`bbox=${COUNTY}&zoom=40`, '缩放级别'],
      ['zoom=12', 'bbox'],
      [`bbox=${COUNTY}&zoom=12&riskClass=E`, 'riskClass'],
      [`bbox=${COUNTY}&zoom=12&gridId=0`, 'gridId'],
      [`bbox=${COUNTY}&zoom=12&color=red`, ''],
      [`bbox=${COUNTY}&zoom=12&q=${'长'.repeat(65)}`, '不能超过 64 个字符'],
    ];
    for (const [q, text] of cases) {
      const res = await director('GET', `/api/map/layers/entities?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code, q).toBe('VALIDATION_FAILED');
      expect(res.json().message, q).toContain(text);
    }
  });

  it('needs 一张图 permission: the system administrator is refused', async () => {
    const admin = await bed.as('admin');
    const res = await admin('GET', `/api/map/layers/entities?bbox=${COUNTY}&zoom=14`);
    expect(res.statusCode).toBe(403);
    expect((await admin('GET', '/api/map/grids')).statusCode).toBe(403);
  });

  it('serves the viewer’s grids with their boundaries', async () => {
    const officer = await bed.as('officer1');
    const fc = (await officer('GET', '/api/map/grids')).json();
    expect(fc.features.length).toBeGreaterThan(0);
    expect(
      fc.features.every(
        (f: { properties: { stationId: number } }) => f.properties.stationId === bed.stationA,
      ),
    ).toBe(true);
    const director = await bed.as('director');
    expect((await director('GET', '/api/map/grids')).json().features).toHaveLength(40);
  });
});

describe('未落格', () => {
  it('lists entities in no grid by reason, in the viewer’s scope, with the last run', async () => {
    const noPoint = await entity({ name: '无坐标的店', station: bed.stationA });
    const outside = await entity({ name: '县外的店', station: bed.stationA, lon: 121.5, lat: 31.0 });
    const otherStation = await entity({ name: '城西无坐标的店', station: bed.stationB });
    const nobody = await entity({ name: '无主的店', station: null });

    const director = await bed.as('director');
    const pending = (await director('GET', '/api/map/unlocated')).json();
    expect(pending.counts).toEqual({ noPoint: 3, outside: 0, pending: 1 });
    expect(pending.items.find((i: { id: number }) => i.id === outside).reason).toBe('pending');

    const run = await director('POST', '/api/gis/locate', {});
    expect(run.statusCode).toBe(403); // a system task: 系统管理员 only
    const admin = await bed.as('admin');
    const queued = await admin('POST', '/api/gis/locate', {});
    expect(queued.statusCode, queued.body).toBe(200);
    await bed.t.ctx.jobs.claimAndRun(bed.t.ctx, 10);

    const after = (await director('GET', '/api/map/unlocated')).json();
    expect(after.counts).toEqual({ noPoint: 3, outside: 1, pending: 0 });
    expect(after.lastRun).toMatchObject({ trigger: 'manual' });
    expect(after.items.map((i: { id: number }) => i.id).sort()).toEqual(
      [noPoint, outside, otherStation, nobody].sort(),
    );
    const onlyOutside = (await director('GET', '/api/map/unlocated?reason=outside')).json();
    expect(onlyOutside).toMatchObject({
      total: 1,
      items: [{ id: outside, name: '县外的店', reason: 'outside' }],
    });

    const officer = await bed.as('officer1');
    const mine = (await officer('GET', '/api/map/unlocated')).json();
    expect(mine.items.map((i: { id: number }) => i.id).sort()).toEqual([noPoint, outside].sort());
    expect(mine.counts).toEqual({ noPoint: 1, outside: 1, pending: 0 });
    expect((await officer('GET', '/api/map/unlocated?reason=lost')).statusCode).toBe(400);
  });
});

describe('manual relocation', () => {
  const gridCenter = async (id: number) =>
    bed.t.ctx.db
      .selectFrom('grid')
      .select(['center_lon', 'center_lat', 'name', 'station_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('moves the point, assigns the grid at once, and records the reason in the audit log and on the timeline', async () => {
    const director = await bed.as('director');
    const target = await gridCenter(bed.gridB);
    const res = await director('PUT', `/api/gis/entities/${bed.ids.bbqA}/location`, {
      lon: target.center_lon,
      lat: target.center_lat,
      reason: '现场核实：已搬迁至城西',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      entityId: bed.ids.bbqA,
      lon: target.center_lon,
      source: 'manual',
      precision: 'point',
      gridId: bed.gridB,
      gridName: target.name,
    });
    expect(res.json().gridGeometry.type).toMatch(/Polygon/);
    expect((await stationOf([bed.ids.bbqA])).has(Number(target.station_id))).toBe(true);

    const audit = await bed.t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'object_type', 'object_id', 'result', 'detail'])
      .where('action', '=', 'entity:map:locate')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      object_type: 'entity',
      object_id: String(bed.ids.bbqA),
      result: 'success',
    });
    expect(audit.detail).toContain('现场核实：已搬迁至城西');

    const profile = (await director('GET', `/api/entities/${bed.ids.bbqA}`)).json();
    const located = profile.timeline.find((e: { kind: string }) => e.kind === 'entity.located');
    expect(located.payload).toMatchObject({
      reason: '现场核实：已搬迁至城西',
      before: { gridId: bed.gridA },
      after: { gridId: bed.gridB },
    });
    const location = (await director('GET', `/api/gis/entities/${bed.ids.bbqA}/location`)).json();
    expect(location).toMatchObject({ source: 'manual', gridId: bed.gridB });
  });

  it('refuses without permission, outside the caller’s scope, and with a bad point or no reason', async () => {
    const officer = await bed.as('officer1');
    const body = { lon: 120.6, lat: 31.4, reason: '核实' };
    const refused = await officer('PUT', `/api/gis/entities/${bed.ids.formula}/location`, body);
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'FORBIDDEN']);
    expect((await officer('GET', `/api/gis/entities/${bed.ids.bbqB}/location`)).statusCode).toBe(404);

    // A station-A locator may not move an entity into another 所's grid.
    const role = await insertRole(
      bed.t.ctx.db,
      'locator_a',
      ['entity:profile:read', 'entity:map:*'],
      'department',
    );
    await insertUser(bed.t.ctx.db, 'locator_a', bed.stationA, [role]);
    const locator = caller(bed.t.app, await login(bed.t.app, 'locator_a'));
    const b = await gridCenter(bed.gridB);
    const out = await locator('PUT', `/api/gis/entities/${bed.ids.formula}/location`, {
      lon: b.center_lon,
      lat: b.center_lat,
      reason: '核实',
    });
    expect([out.statusCode, out.json().code]).toEqual([403, 'LOCATION_OUT_OF_SCOPE']);
    expect((await locator('PUT', `/api/gis/entities/${bed.ids.bbqB}/location`, body)).statusCode).toBe(404);

    const director = await bed.as('director');
    for (const bad of [
      { lon: 12, lat: 31.4, reason: '核实' },
      { lon: 120.6, lat: 'north', reason: '核实' },
      { lon: 120.6, lat: 31.4, reason: ' ' },
      { lon: 120.6, lat: 31.4 },
      { lon: 120.6, lat: 31.4, reason: '核实', gridId: 1 },
    ]) {
      const res = await director('PUT', `/api/gis/entities/${bed.ids.formula}/location`, bad);
      expect([res.statusCode, res.json().code], JSON.stringify(bad)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await director('PUT', '/api/gis/entities/abc/location', body)).statusCode).toBe(400);
  });
});
