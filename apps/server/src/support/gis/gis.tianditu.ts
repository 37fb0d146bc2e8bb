import { CHINA_BOUNDS } from './geojson.ts';
import { type GeocodeResult, type Geocoder, GeocoderError } from './gis.geocoder.ts';
import type { GazetteerPrecision } from './gis.tables.ts';

/**
 * 天地图 地理编码 (forward geocoding), the official choice for government maps:
 *   GET {baseUrl}?ds={"keyWord":"<address>"}&tk=<server key>
 *   → { "status": "0", "msg": "ok", "location": { "lon": …, "lat": …, "level": "门址", "score": … } }
 * status "0" = found, "101" = nothing found, "404" = error; lon/lat may come as strings. Coordinates are CGCS2000,
 * which the platform uses as they are (no GCJ-02 shift). A refused key answers 401/403, or a body without
 * `status` whose message names the key.
 */
export interface TiandituOptions {
  baseUrl: string;
  key: string;
  timeoutMs: number;
}

/**
 * 天地图's `level` (类别名称) → gazetteer precision; null for matches too coarse to place an entity in a grid
 * (区县, 城市, 省). Levels not listed here count as 乡镇, the coarsest usable precision.
 */
export function precisionOfLevel(level: unknown): GazetteerPrecision | null {
  const l = typeof level === 'string' ? level : '';
  if (/门址|门牌|地名地址|兴趣点|POI|楼|小区|单位/.test(l)) return 'door';
  if (/道路|交叉/.test(l)) return 'road';
  if (/村|社区/.test(l)) return 'village';
  if (/区县|县|城市|市|省|国家/.test(l)) return null;
  return 'town';
}

const KEY_HINT = /key|密钥|权限|非法|授权|tk/i;

function keyRefused(detail: string): GeocoderError {
  return new GeocoderError(
    'GEOCODER_KEY_INVALID',
    `天地图拒绝了地理编码请求${detail ? `（${detail}）` : ''}：请在 系统管理 › 参数设置 › 地理编码 中检查“服务器端”密钥是否正确、是否已开通地理编码服务`,
    { fatal: true },
  );
}

const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;

export function createTiandituGeocoder(opts: TiandituOptions): Geocoder {
  if (!opts.key) {
    throw new GeocoderError('GEOCODER_KEY_MISSING', '已启用天地图地理编码，但未填写服务器端密钥', {
      status: 400,
      fatal: true,
    });
  }
  return {
    provider: 'tianditu',
    async geocode(address: string): Promise<GeocodeResult | null> {
      // The service rejects ' and & in the keyword.
      const keyWord = address.replace(/['&]/g, ' ').trim();
      if (!keyWord) return null;
      const url = `${opts.baseUrl}?ds=${encodeURIComponent(JSON.stringify({ keyWord }))}&tk=${encodeURIComponent(opts.key)}`;
      let res: Response;
      try {
        res = await fetch(url, {
          signal: AbortSignal.timeout(opts.timeoutMs),
          headers: { accept: 'application/json' },
        });
      } catch (err) {
        const e = err as Error;
        if (e.name === 'TimeoutError' || e.name === 'AbortError') {
          throw new GeocoderError('GEOCODER_TIMEOUT', `天地图地理编码在 ${opts.timeoutMs} 毫秒内未响应`);
        }
        throw new GeocoderError('GEOCODER_UNAVAILABLE', `无法连接天地图地理编码服务：${e.message}`);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        const e = err as Error;
        if (e.name === 'TimeoutError' || e.name === 'AbortError') {
          throw new GeocoderError('GEOCODER_TIMEOUT', `天地图地理编码在 ${opts.timeoutMs} 毫秒内未响应`);
        }
        throw new GeocoderError('GEOCODER_UNAVAILABLE', `读取天地图响应失败：${e.message}`);
      }
      let body: {
        status?: unknown;
        msg?: unknown;
        message?: unknown;
        location?: Record<string, unknown>;
      } | null;
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = null;
      }
      const msg = String(body?.msg ?? body?.message ?? '').slice(0, 100);
      if (res.status === 401 || res.status === 403)
        keyRefusedThrow(`HTTP ${res.status}${msg ? `：${msg}` : ''}`);
      if (!res.ok) {
        throw new GeocoderError(
          'GEOCODER_FAILED',
          `天地图地理编码返回 HTTP ${res.status}${msg ? `：${msg}` : ''}`,
        );
      }
      if (!body || typeof body !== 'object') {
        throw new GeocoderError('GEOCODER_FAILED', '天地图地理编码返回了无法识别的内容（不是 JSON）');
      }
      const status = body.status === undefined ? null : String(body.status);
      if (status === null && KEY_HINT.test(msg)) keyRefusedThrow(msg);
      if (status === '101') return null;
      if (status !== '0') {
        throw new GeocoderError(
          'GEOCODER_FAILED',
          `天地图地理编码出错（状态 ${status ?? '无'}${msg ? `：${msg}` : ''}）`,
        );
      }
      const loc = body.location;
      const lon = num(loc?.lon);
      const lat = num(loc?.lat);
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
      const b = CHINA_BOUNDS;
      if (lon < b.minLon || lon > b.maxLon || lat < b.minLat || lat > b.maxLat) return null;
      const precision = precisionOfLevel(loc?.level);
      if (!precision) return null;
      return { lon, lat, precision, provider: 'tianditu' };
    },
  };
}

function keyRefusedThrow(detail: string): never {
  throw keyRefused(detail);
}
