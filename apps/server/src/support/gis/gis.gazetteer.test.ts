import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { json } from '../../platform/db/json.ts';
import { createLocalGeocoder } from './gis.geocoder.ts';
import { assignLocations } from './gis.locate.ts';
import { gisGeocoderSetting } from './gis.settings.ts';
import { type FakeTianditu, startFakeTianditu } from './gis.test-support.ts';

/**
 * The local gazetteer, learnt from entities that carry their own coordinates, and the provider chain (local first,
 * then 天地图 behind a fake server) as assignLocations runs them. No grids: every point stays 未落格, which is
 * beside the point here.
 */
let t: TestContext;
let fake: FakeTianditu;
const ids: Record<string, number> = {};
const admin = { id: null, name: '测试' };

async function entity(name: string, address: string, point?: [number, number]) {
  const r = await t.ctx.db
    .insertInto('entity')
    .values({
      name,
      type: 'individual',
      address,
      region_code: '320599',
      lon: point?.[0] ?? null,
      lat: point?.[1] ?? null,
      business_lines: json([]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids[name] = Number(r.id);
}

const located = (name: string) =>
  t.ctx.db
    .selectFrom('entity')
    .select(['lon', 'lat', 'geo_source', 'geo_provider', 'geo_precision', 'geo_tried_address'])
    .where('id', '=', ids[name]!)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestContext();
  fake = await startFakeTianditu({
    示范县沙溪镇白云路1号: { lon: 120.7011, lat: 31.4511, level: '门址' },
    示范县城厢镇新建路1号: { lon: 120.6071, lat: 31.4071, level: '道路' },
  });
  // Address points: two houses on one road and one house in a village.
  await entity('g1', '江苏省苏州市示范县城厢镇人民南路12号', [120.6021, 31.4021]);
  await entity('g2', '示范县城厢镇人民南路30号', [120.6041, 31.4041]);
  await entity('g3', '示范县城厢镇电站村3组5号', [120.6101, 31.4181]);
  // Entities without a point, each matching one level less precisely.
  await entity('door', '城厢镇人民南路12号501室', undefined);
  await entity('road', '示范县城厢镇人民南路99号', undefined);
  await entity('village', '示范县城厢镇电站村7组1号', undefined);
  await entity('town', '示范县城厢镇新建路1号', undefined);
  await entity('unknown', '示范县沙溪镇白云路1号', undefined);
});

afterAll(async () => {
  await fake?.close();
  await t?.close();
});

describe('local gazetteer', () => {
  it('places entities by the most precise key it knows: 门牌, then 道路, 村社区, 乡镇', async () => {
    const r = await assignLocations(t.ctx);
    expect(r).toMatchObject({ gazetteerUpdated: 3, geocoded: 4, notGeocoded: 1 });
    expect(await located('door')).toMatchObject({
      lon: 120.6021,
      lat: 31.4021,
      geo_source: 'geocoder',
      geo_provider: 'local',
      geo_precision: 'door',
    });
    const road = await located('road');
    expect(road).toMatchObject({ geo_precision: 'road' });
    expect(road.lon).toBeCloseTo(120.6031, 6);
    expect(road.lat).toBeCloseTo(31.4031, 6);
    expect(await located('village')).toMatchObject({ lon: 120.6101, lat: 31.4181, geo_precision: 'village' });
    const town = await located('town');
    expect(town.geo_precision).toBe('town');
    expect(town.lon).toBeCloseTo((120.6021 + 120.6041 + 120.6101) / 3, 6);
    expect(await located('unknown')).toMatchObject({ lon: null, geo_source: null });
  });

  it('learns only from own coordinates: geocoded points never feed it, a moved source point updates it', async () => {
    const points = await t.ctx.db.selectFrom('gis_address_point').select('entity_id').execute();
    expect(points.map((p) => Number(p.entity_id)).sort()).toEqual([ids.g1, ids.g2, ids.g3].sort());

    // The source moves house 30 (an import): the road's mean follows on the next run.
    await t.ctx.db
      .updateTable('entity')
      .set({ lon: 120.6061, lat: 31.4061 })
      .where('id', '=', ids.g2!)
      .execute();
    await assignLocations(t.ctx);
    const local = createLocalGeocoder(t.ctx.db);
    const hit = await local.geocode('城厢镇人民南路500号');
    expect(hit).toMatchObject({ precision: 'road', provider: 'local' });
    expect(hit!.lon).toBeCloseTo((120.6021 + 120.6061) / 2, 6);
    // A key no address point carries any more disappears.
    await t.ctx.db
      .updateTable('entity')
      .set({ address: '示范县城厢镇人民南路14号' })
      .where('id', '=', ids.g1!)
      .execute();
    await assignLocations(t.ctx);
    expect(await local.geocode('城厢镇人民南路12号')).toMatchObject({ precision: 'road' });
  });
});

describe('provider chain with 天地图', () => {
  it('asks 天地图 only for what the gazetteer could not place precisely, once per address', async () => {
    // Reset the coarse one so that the chain runs for it again.
    await t.ctx.db.updateTable('entity').set({ lon: null, lat: null }).where('id', '=', ids.town!).execute();
    await t.ctx.settings.set(admin, gisGeocoderSetting, {
      provider: 'tianditu',
      baseUrl: fake.url,
      key: 'good-key',
      timeoutMs: 2000,
      maxPerRun: 100,
    });
    await t.ctx.db
      .insertInto('entity')
      .values({
        name: 'nobody-knows',
        type: 'individual',
        address: '示范县某某镇无名路1号',
        region_code: '320599',
        business_lines: json([]),
      })
      .execute();
    const before = fake.requests.length;
    const r = await assignLocations(t.ctx);
    const asked = fake.requests
      .slice(before)
      .map((q) => q.keyWord)
      .sort();
    expect(asked).toEqual(['示范县城厢镇新建路1号', '示范县某某镇无名路1号', '示范县沙溪镇白云路1号'].sort());
    expect(r).toMatchObject({ geocoded: 2, notGeocoded: 1 });
    // 天地图 knew the road: better than the gazetteer's 乡镇.
    expect(await located('town')).toMatchObject({
      lon: 120.6071,
      geo_provider: 'tianditu',
      geo_precision: 'road',
    });
    expect(await located('unknown')).toMatchObject({
      lon: 120.7011,
      geo_provider: 'tianditu',
      geo_precision: 'door',
    });

    // The address 天地图 did not know is not asked again until it changes.
    const again = fake.requests.length;
    await assignLocations(t.ctx);
    expect(fake.requests.length).toBe(again);
  });

  it('stops asking after the key is refused, and says why in the run summary', async () => {
    await t.ctx.settings.set(admin, gisGeocoderSetting, {
      provider: 'tianditu',
      baseUrl: fake.url,
      key: 'bad',
      timeoutMs: 2000,
      maxPerRun: 100,
    });
    for (const n of [1, 2, 3]) {
      await t.ctx.db
        .insertInto('entity')
        .values({
          name: `new-${n}`,
          type: 'individual',
          address: `示范县浮桥镇港城大道${n}号`,
          region_code: '320599',
          business_lines: json([]),
        })
        .execute();
    }
    const before = fake.requests.length;
    const r = await assignLocations(t.ctx);
    expect(fake.requests.length - before).toBe(1);
    expect(r.geocoderError).toContain('天地图拒绝了地理编码请求');
    const run = await t.ctx.db
      .selectFrom('gis_assignment_run')
      .select('counts')
      .where('id', '=', r.runId!)
      .executeTakeFirstOrThrow();
    expect(run.counts.geocoderError).toContain('密钥');
  });
});
