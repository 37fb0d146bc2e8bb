import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

/**
 * 地图底图: the optional raster tile service behind the grid polygons. Empty = the map is drawn offline from the
 * grids alone and the browser makes no request outside the platform. Coordinates are CGCS2000/WGS-84 in Web
 * Mercator tiles (天地图's `_w` layers); GCJ-02 tile services (高德, 腾讯) would put points off by hundreds of metres.
 */
export const gisTilesSetting = defineSetting({
  key: 'gis.tiles',
  group: 'system',
  label: '地图底图（瓦片服务）',
  description:
    '留空时地图只绘制网格边界，不访问任何外部服务（离线可用）。填写瓦片地址后，在网格之下显示底图。坐标系须为 CGCS2000/WGS-84 的 Web 墨卡托瓦片（如天地图 vec_w / img_w），不可使用高德、腾讯等 GCJ-02 加偏底图。',
  schema: z.strictObject({
    url: z
      .string()
      .trim()
      .max(500, '不能超过 500 个字符')
      .refine(
        (u) =>
          u === '' ||
          (/^(https?:\/\/|\/)/.test(u) && u.includes('{z}') && u.includes('{x}') && u.includes('{y}')),
        '应为以 http(s):// 或 / 开头、包含 {z}、{x}、{y} 的瓦片地址模板',
      ),
    subdomains: z
      .string()
      .trim()
      .max(20, '不能超过 20 个字符')
      .regex(/^[0-9a-z]*$/, '子域名应为字母或数字，如 01234567'),
    tk: z.string().trim().max(64, '不能超过 64 个字符'),
    attribution: z.string().trim().max(200, '不能超过 200 个字符'),
    maxZoom: z.number().int('应为整数').min(1, '至少为 1').max(22, '不能超过 22'),
    /** A second layer drawn over the base (天地图 annotation layers cva_w / cia_w). */
    labelUrl: z
      .string()
      .trim()
      .max(500, '不能超过 500 个字符')
      .refine(
        (u) =>
          u === '' ||
          (/^(https?:\/\/|\/)/.test(u) && u.includes('{z}') && u.includes('{x}') && u.includes('{y}')),
        '应为以 http(s):// 或 / 开头、包含 {z}、{x}、{y} 的瓦片地址模板',
      ),
  }),
  default: { url: '', subdomains: '', tk: '', attribution: '', maxZoom: 18, labelUrl: '' },
  fields: {
    url: {
      label: '底图瓦片地址',
      type: 'string',
      help: '例如天地图矢量底图：https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={tk}；留空为离线模式',
    },
    labelUrl: { label: '注记瓦片地址', type: 'string', help: '可选，如天地图 cva_w 注记图层，格式同上' },
    subdomains: { label: '子域名', type: 'string', help: '替换地址中的 {s}，天地图为 01234567' },
    tk: {
      label: '天地图密钥（浏览器端）',
      type: 'string',
      help: '替换地址中的 {tk}；此密钥会发送到用户的浏览器',
    },
    attribution: { label: '版权说明', type: 'string', help: '显示在地图右下角，如 © 天地图' },
    maxZoom: { label: '最大缩放级别', type: 'number', min: 1, max: 22 },
  },
});

/** 地理编码: the online geocoder asked after the local gazetteer (group 'system'). */
export const gisGeocoderSetting = defineSetting({
  key: 'gis.geocoder',
  group: 'system',
  label: '地理编码（地址转坐标）',
  description:
    '没有坐标的经营主体先按本地地名库（由带坐标的导入数据自动生成）解析地址；启用在线服务后，本地只能定位到村社区或乡镇、或完全找不到的地址再询问天地图。天地图须使用“服务器端”密钥。',
  schema: z.strictObject({
    provider: z.enum(['none', 'tianditu']),
    baseUrl: z
      .string()
      .trim()
      .max(300, '不能超过 300 个字符')
      .regex(/^https?:\/\/\S+$/, '应为 http:// 或 https:// 开头的地址'),
    key: z.string().trim().max(64, '不能超过 64 个字符'),
    timeoutMs: z.number().int('应为整数').min(500, '不能少于 500 毫秒').max(30_000, '不能超过 30000 毫秒'),
    /** Online lookups per assignment run (a key has a daily quota). */
    maxPerRun: z.number().int('应为整数').min(0, '不能为负数').max(100_000, '不能超过 100000'),
  }),
  default: {
    provider: 'none',
    baseUrl: 'https://api.tianditu.gov.cn/geocoder',
    key: '',
    timeoutMs: 5000,
    maxPerRun: 2000,
  },
  fields: {
    provider: {
      label: '在线地理编码',
      type: 'enum',
      options: [
        { value: 'none', label: '不使用（仅本地地名库）' },
        { value: 'tianditu', label: '天地图' },
      ],
    },
    baseUrl: {
      label: '服务地址',
      type: 'string',
      help: '天地图地理编码接口，默认 https://api.tianditu.gov.cn/geocoder',
    },
    key: { label: '天地图密钥（服务器端）', type: 'string' },
    timeoutMs: { label: '超时', type: 'number', unit: '毫秒', min: 500, max: 30000 },
    maxPerRun: {
      label: '每次最多在线查询',
      type: 'number',
      unit: '条',
      min: 0,
      max: 100000,
      help: '每次落格最多向在线服务查询的地址数，避免超出密钥的每日配额',
    },
  },
});

export type GisTiles = z.infer<typeof gisTilesSetting.schema>;
export type GisGeocoderSettings = z.infer<typeof gisGeocoderSetting.schema>;

/**
 * The origins the browser may load map tiles from (Content-Security-Policy `img-src`), from the 地图底图 setting:
 * one per subdomain of each template; `'self'` alone when the map is offline.
 */
export function tileImageSources(tiles: GisTiles): string {
  const origins = new Set<string>(["'self'"]);
  const subdomains = tiles.subdomains ? [...tiles.subdomains] : [''];
  for (const template of [tiles.url, tiles.labelUrl]) {
    if (!/^https?:\/\//.test(template)) continue;
    for (const s of subdomains) {
      try {
        origins.add(new URL(template.replaceAll('{s}', s).replace(/\{[a-z]+\}/gi, '0')).origin);
      } catch {
        // An unparsable template loads nothing; the setting's own validation explains it.
      }
    }
  }
  return [...origins].join(' ');
}
