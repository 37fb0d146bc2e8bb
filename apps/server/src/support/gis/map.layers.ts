import { RISK_CLASSES } from '@rongjian/shared';
import type { MapCell, MapLayerData, MapLayerInfo } from '@rongjian/shared/api';
import { sql } from 'kysely';
import type { z } from 'zod';
import { entitiesMatching, type EntityFilter } from '../../fusion/entities/entities.repo.ts';
import { licenceWindow } from '../../fusion/entities/entities.dossier.ts';
import { licenceExpiryWarningSetting } from '../../fusion/entities/entities.settings.ts';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { AppContext } from '../../platform/context.ts';
import { entityFilterQuery, type EntityFilterQuery } from './map.schemas.ts';

/**
 * The layer registry of 一张图. A layer turns a viewport (bbox, zoom) and its own filters into features or, when
 * zoomed out or crowded, per-grid counts — all in the viewer's data scope. Clues and alarms add a layer here
 * (one object each); the routes and the web map draw every layer the same way.
 */
export interface Viewport {
  bbox: [minLon: number, minLat: number, maxLon: number, maxLat: number];
  zoom: number;
}

export interface MapLayer<F extends Record<string, unknown> = Record<string, unknown>> {
  info: MapLayerInfo;
  /** Permission to see the layer. */
  permission: string;
  /** The layer's filters (query string), validated on the route. */
  filters: z.ZodObject;
  load(viewer: SessionUser, viewport: Viewport, filters: F): Promise<MapLayerData>;
}

/** Zoomed out below this, layers answer with per-grid counts (a county fills the screen at about 11). */
export const POINT_ZOOM = 13;
/** More features than this in the viewport are answered with per-grid counts too. */
export const MAX_POINTS = 3000;

const RISK_COLORS = { A: '#52c41a', B: '#1677ff', C: '#fa8c16', D: '#f5222d' } as const;

const ENTITY_LEGEND = [
  ...(['A', 'B', 'C', 'D'] as const).map((c) => ({
    value: c,
    label: `${c} ${RISK_CLASSES[c]}`,
    color: RISK_COLORS[c],
  })),
  { value: 'none', label: '未分类', color: '#8c8c8c' },
];

/** 经营主体 coloured by 信用风险分类, filtered like the entity search (the same SQL, entitiesMatching). */
export function entityLayer(ctx: AppContext): MapLayer<EntityFilterQuery> {
  const tiers = () => ctx.settings.get(licenceExpiryWarningSetting).days;
  return {
    info: { key: 'entities', label: '经营主体', legend: ENTITY_LEGEND, linkLabel: '查看一户一档' },
    permission: 'entity:map:read',
    filters: entityFilterQuery,
    async load(viewer, { bbox, zoom }, query) {
      const { licenceStatus, ...rest } = query;
      const f: EntityFilter = licenceStatus
        ? { ...rest, licenceWindow: licenceWindow(licenceStatus, todayInChina(), tiers()) }
        : rest;
      const [minLon, minLat, maxLon, maxLat] = bbox;
      const base = entitiesMatching(ctx.db, viewer, f)
        .where('e.merged_into', 'is', null)
        .where('e.lon', '>=', minLon)
        .where('e.lon', '<=', maxLon)
        .where('e.lat', '>=', minLat)
        .where('e.lat', '<=', maxLat);
      const { n } = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const total = Number(n);

      if (zoom < POINT_ZOOM || total > MAX_POINTS) {
        const rows = await base
          .select([
            'e.grid_id',
            'g.name as grid_name',
            sql<number>`coalesce(g.center_lon, avg(e.lon))`.as('lon'),
            sql<number>`coalesce(g.center_lat, avg(e.lat))`.as('lat'),
            sql<string>`coalesce(e.risk_class, 'none')`.as('category'),
            (eb) => eb.fn.countAll<string>().as('n'),
          ])
          .groupBy([
            'e.grid_id',
            'g.name',
            'g.center_lon',
            'g.center_lat',
            sql`coalesce(e.risk_class, 'none')`,
          ])
          .execute();
        // One row per grid × category from SQL; folded into one cell per grid here.
        const cells = new Map<string, MapCell>();
        for (const r of rows) {
          const key = String(r.grid_id);
          let cell = cells.get(key);
          if (!cell) {
            cell = {
              gridId: r.grid_id === null ? null : Number(r.grid_id),
              name: r.grid_name ?? '未落格',
              lon: Number(r.lon),
              lat: Number(r.lat),
              count: 0,
              byCategory: {},
            };
            cells.set(key, cell);
          }
          cell.count += Number(r.n);
          cell.byCategory[r.category] = (cell.byCategory[r.category] ?? 0) + Number(r.n);
        }
        return { mode: 'grids', total, cells: [...cells.values()] };
      }

      const rows = await base
        .select([
          'e.id',
          'e.name',
          'e.uscc',
          'e.address',
          'e.lon',
          'e.lat',
          'e.risk_class',
          'g.name as grid_name',
          'd.name as station_name',
        ])
        .orderBy('e.id')
        .limit(MAX_POINTS)
        .execute();
      return {
        mode: 'points',
        total,
        features: rows.map((r) => ({
          id: Number(r.id),
          lon: r.lon!,
          lat: r.lat!,
          title: r.name,
          category: r.risk_class ?? 'none',
          link: `/entities/${r.id}`,
          fields: [
            { label: '统一社会信用代码', value: r.uscc ?? '—' },
            { label: '地址', value: r.address },
            {
              label: '风险分类',
              value: r.risk_class ? `${r.risk_class} ${RISK_CLASSES[r.risk_class]}` : '未分类',
            },
            { label: '网格', value: r.grid_name ?? '未落格' },
            { label: '所属所', value: r.station_name ?? '—' },
          ],
        })),
      };
    },
  };
}

/** Every layer of the map, in drawing order. */
export function mapLayers(ctx: AppContext): MapLayer[] {
  return [entityLayer(ctx) as unknown as MapLayer];
}
