import { entityTypeSchema, licenceStatusFilterSchema, riskClassSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import { filterText, idParams } from '../../platform/org/org.schemas.ts';
import { CHINA_BOUNDS } from './geojson.ts';

/** Request schemas of the map and location routes; Chinese messages, so a bad bbox is a readable 400. */

const NUMBER = /^-?\d+(\.\d+)?$/;

/** `bbox=minLon,minLat,maxLon,maxLat` (WGS-84), inside China and not inverted. */
export const bboxParam = z
  .string()
  .max(100, '视野范围参数过长')
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => p.trim());
    if (parts.length !== 4 || !parts.every((p) => NUMBER.test(p))) {
      ctx.addIssue({ code: 'custom', message: '视野范围应为“最小经度,最小纬度,最大经度,最大纬度”四个数字' });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = parts.map(Number) as [number, number, number, number];
    if (minLon > maxLon || minLat > maxLat) {
      ctx.addIssue({ code: 'custom', message: '视野范围的最小经纬度不能大于最大经纬度' });
      return z.NEVER;
    }
    // A viewport may reach beyond the border (the map shows some margin); a point anywhere in it must not be absurd.
    if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
      ctx.addIssue({ code: 'custom', message: '视野范围超出经纬度取值范围（经度 −180–180，纬度 −90–90）' });
      return z.NEVER;
    }
    return [minLon, minLat, maxLon, maxLat] as [number, number, number, number];
  })
  .describe('视野范围：最小经度,最小纬度,最大经度,最大纬度（WGS-84）');

export const viewportQuery = {
  bbox: bboxParam,
  zoom: z.coerce
    .number({ message: '缩放级别应为数字' })
    .int('缩放级别应为整数')
    .min(0, '缩放级别不能小于 0')
    .max(22, '缩放级别不能大于 22'),
};

/** The entity search's filters (the same meaning as `/api/entities`), for the entity layer. */
export const entityFilterQuery = z.strictObject({
  q: filterText(64).optional().describe('名称片段'),
  uscc: filterText(18).optional().describe('统一社会信用代码前缀'),
  address: filterText(100).optional().describe('地址片段'),
  gridId: idParams.shape.id.optional(),
  stationId: idParams.shape.id.optional(),
  type: entityTypeSchema.optional(),
  businessLine: filterText(40).optional().describe('业务条线'),
  riskClass: riskClassSchema.optional(),
  licenceStatus: licenceStatusFilterSchema.optional(),
});
export type EntityFilterQuery = z.infer<typeof entityFilterQuery>;

/** Blank text filters mean "no filter" (a cleared search box sends `q=`). */
export function cleanFilter<T extends Record<string, unknown>>(f: T): T {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as T;
}

const lon = z
  .number({ message: '经度应为数字' })
  .min(CHINA_BOUNDS.minLon, `经度应在 ${CHINA_BOUNDS.minLon}–${CHINA_BOUNDS.maxLon} 之间（中国境内）`)
  .max(CHINA_BOUNDS.maxLon, `经度应在 ${CHINA_BOUNDS.minLon}–${CHINA_BOUNDS.maxLon} 之间（中国境内）`);
const lat = z
  .number({ message: '纬度应为数字' })
  .min(CHINA_BOUNDS.minLat, `纬度应在 ${CHINA_BOUNDS.minLat}–${CHINA_BOUNDS.maxLat} 之间（中国境内）`)
  .max(CHINA_BOUNDS.maxLat, `纬度应在 ${CHINA_BOUNDS.minLat}–${CHINA_BOUNDS.maxLat} 之间（中国境内）`);

export const relocateBody = z.strictObject({
  lon,
  lat,
  reason: z.string().trim().min(2, '请填写校正原因（至少 2 个字）').max(200, '校正原因最多 200 个字'),
});
export type RelocateInput = z.infer<typeof relocateBody>;

export const geocodeBody = z.strictObject({
  address: z.string().trim().min(2, '请输入地址').max(200, '地址最多 200 个字'),
});
