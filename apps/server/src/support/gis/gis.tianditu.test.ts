import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Geocoder, GeocoderError } from './gis.geocoder.ts';
import { type FakeTianditu, startFakeTianditu } from './gis.test-support.ts';
import { createTiandituGeocoder } from './gis.tianditu.ts';

/** The 天地图 adapter against a fake server that answers in the service's shape. */
let fake: FakeTianditu;
let tianditu: Geocoder;

beforeAll(async () => {
  fake = await startFakeTianditu({
    示范县城厢镇人民南路12号: { lon: 120.6123, lat: 31.4056, level: '门址' },
    示范县城厢镇: { lon: 120.61, lat: 31.41, level: '乡镇' },
    示范县: { lon: 120.7, lat: 31.4, level: '区县' },
  });
  tianditu = createTiandituGeocoder({ baseUrl: fake.url, key: 'good-key', timeoutMs: 800 });
});

afterAll(async () => {
  await fake?.close();
});

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GeocoderError);
  return e as GeocoderError;
};

describe('天地图 geocoder adapter', () => {
  it('sends the address as ds={"keyWord":…} with the key, and reads the point and its precision', async () => {
    await expect(tianditu.geocode('示范县城厢镇人民南路12号')).resolves.toEqual({
      lon: 120.6123,
      lat: 31.4056,
      precision: 'door',
      provider: 'tianditu',
    });
    expect(fake.requests.at(-1)).toEqual({ keyWord: '示范县城厢镇人民南路12号', tk: 'good-key' });
    await expect(tianditu.geocode('示范县城厢镇')).resolves.toMatchObject({ precision: 'town' });
  });

  it('answers null for "no result" and for a match too coarse to place an entity (区县)', async () => {
    await expect(tianditu.geocode('火星路1号')).resolves.toBeNull();
    await expect(tianditu.geocode('示范县')).resolves.toBeNull();
  });

  it('gives up after the timeout with a clear error', async () => {
    const e = await failure(tianditu.geocode('慢吞吞路1号'));
    expect(e.code).toBe('GEOCODER_TIMEOUT');
    expect(e.message).toBe('天地图地理编码在 800 毫秒内未响应');
    expect(e.fatal).toBe(false);
  });

  it('reports a refused key as a fatal error that names the setting to fix', async () => {
    const bad = createTiandituGeocoder({ baseUrl: fake.url, key: 'bad', timeoutMs: 800 });
    const e = await failure(bad.geocode('示范县城厢镇人民南路12号'));
    expect(e.code).toBe('GEOCODER_KEY_INVALID');
    expect(e.message).toContain('非法Key');
    expect(e.message).toContain('参数设置 › 地理编码');
    expect(e.fatal).toBe(true);
  });

  it('refuses to start without a key, and reports a body that is not JSON', async () => {
    expect(() => createTiandituGeocoder({ baseUrl: fake.url, key: '', timeoutMs: 800 })).toThrow(
      '未填写服务器端密钥',
    );
    const e = await failure(tianditu.geocode('乱码路1号'));
    expect(e.code).toBe('GEOCODER_FAILED');
    expect(e.message).toContain('不是 JSON');
  });

  it('reports an unreachable service', async () => {
    const gone = createTiandituGeocoder({ baseUrl: 'http://127.0.0.1:9/geocoder', key: 'k', timeoutMs: 800 });
    const e = await failure(gone.geocode('示范县城厢镇人民南路12号'));
    expect(['GEOCODER_UNAVAILABLE', 'GEOCODER_TIMEOUT']).toContain(e.code);
  });
});
