import type { EntityLocation, PolygonGeometry, UnlocatedPage, UnlocatedReason } from '@rongjian/shared/api';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';
import { createLocalGeocoder, type Geocoder, geocodeInChain } from './gis.geocoder.ts';
import { LOCATE_JOB } from './gis.jobs.ts';
import { loadGridIndex } from './gis.locate.ts';
import { gisGeocoderSetting } from './gis.settings.ts';
import { createTiandituGeocoder } from './gis.tianditu.ts';
import type { RelocateInput } from './map.schemas.ts';
import * as repo from './map.repo.ts';

/** Entity locations (support/gis): read one, correct one by hand, list 未落格, run the locator on demand. */
type Located = NonNullable<Awaited<ReturnType<typeof repo.findLocation>>>;

function toLocation(r: Located): EntityLocation {
  return {
    entityId: Number(r.id),
    name: r.name,
    lon: r.lon,
    lat: r.lat,
    source: r.geo_source,
    provider: r.geo_provider,
    precision: r.geo_precision,
    gridId: r.grid_id === null ? null : Number(r.grid_id),
    gridName: r.grid_name,
    stationName: r.station_name,
    locatedAt: r.located_at ? new Date(r.located_at).toISOString() : null,
    gridGeometry: (r.grid_geometry as PolygonGeometry | null) ?? null,
  };
}

/** What the audit record and the ledger keep of a location. */
const summary = (r: Located) => ({
  lon: r.lon,
  lat: r.lat,
  source: r.geo_source,
  gridId: r.grid_id === null ? null : Number(r.grid_id),
  gridName: r.grid_name,
});

export function createGisService(ctx: AppContext) {
  const { db } = ctx;

  async function location(viewer: SessionUser, id: number): Promise<EntityLocation> {
    const r = await repo.findLocation(db, viewer, id);
    if (!r) throw notFound('经营主体');
    return toLocation(r);
  }

  return {
    location,

    /**
     * A person puts the entity's point where it really is (a click on the profile map): the point becomes the
     * entity's own (source `manual`, which also teaches the gazetteer), the grid is assigned at once, and the
     * entity's timeline gets `entity.located` with the reason.
     */
    async relocate(viewer: SessionUser, id: number, input: RelocateInput) {
      const result = await db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom('entity as e')
          .select(['e.id', 'e.merged_into'])
          .where('e.id', '=', id)
          .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }))
          .forUpdate()
          .executeTakeFirst();
        if (!row) throw notFound('经营主体');
        if (row.merged_into !== null) {
          throw new AppError('ENTITY_MERGED', '该经营主体已并入其他主体，请校正合并后主体的位置', {
            status: 409,
          });
        }
        const before = (await repo.findLocation(tx, viewer, id))!;
        const grid = (await loadGridIndex(tx)).locate(input.lon, input.lat);
        if (grid && !viewer.scope.all && !viewer.scope.departmentIds.includes(grid.stationId)) {
          throw new AppError(
            'LOCATION_OUT_OF_SCOPE',
            '该位置所在网格属于其他市场监管所，不在您的数据权限范围内；请联系该所或局机关校正',
            { status: 403 },
          );
        }
        await tx
          .updateTable('entity')
          .set((eb) => ({
            lon: input.lon,
            lat: input.lat,
            geo_source: 'manual',
            geo_provider: null,
            geo_precision: 'point',
            geo_updated_at: new Date(),
            grid_id: grid?.id ?? null,
            station_id: grid ? grid.stationId : eb.ref('station_id'),
            located_lon: input.lon,
            located_lat: input.lat,
            located_at: new Date(),
            updated_at: new Date(),
          }))
          .where('id', '=', id)
          .execute();
        const after = (await repo.findLocation(tx, viewer, id))!;
        await appendEvent(tx, {
          actor: { id: viewer.id, name: viewer.displayName },
          subjectType: 'entity',
          subjectId: id,
          departmentId: after.station_id === null ? null : Number(after.station_id),
          kind: 'entity.located',
          payload: { reason: input.reason, before: summary(before), after: summary(after) },
        });
        return { before: summary(before), after: summary(after), location: toLocation(after) };
      });
      return result;
    },

    async unlocated(
      viewer: SessionUser,
      q: { reason?: UnlocatedReason | undefined; after?: number | undefined; limit: number },
    ): Promise<UnlocatedPage> {
      const [rows, counts, run] = await Promise.all([
        repo.listUnlocated(db, viewer, { ...q, limit: q.limit + 1 }),
        repo.countUnlocated(db, viewer),
        repo.lastAssignmentRun(db),
      ]);
      const items = rows.slice(0, q.limit).map((r) => ({
        id: Number(r.id),
        name: r.name,
        uscc: r.uscc,
        address: r.address,
        stationName: r.station_name,
        reason: r.reason,
        lon: r.lon,
        lat: r.lat,
      }));
      const total = q.reason
        ? counts[q.reason === 'no_point' ? 'noPoint' : q.reason]
        : counts.noPoint + counts.outside + counts.pending;
      return {
        items,
        total,
        counts,
        nextAfter: rows.length > q.limit ? items[items.length - 1]!.id : null,
        lastRun: run
          ? {
              id: Number(run.id),
              trigger: run.trigger,
              finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
              counts: run.counts as Record<string, number | string>,
            }
          : null,
      };
    },

    /** Queue a locator run now (the nightly one runs anyway). */
    async requestLocate(): Promise<{ jobId: number | null }> {
      return { jobId: await ctx.jobs.enqueue(db, LOCATE_JOB, { trigger: 'manual' }) };
    },

    /** One address through the configured provider chain, for checking the settings (errors are the service's). */
    async geocode(address: string) {
      const s = ctx.settings.get(gisGeocoderSetting);
      const chain: Geocoder[] = [createLocalGeocoder(db)];
      if (s.provider === 'tianditu') {
        chain.push(createTiandituGeocoder({ baseUrl: s.baseUrl, key: s.key, timeoutMs: s.timeoutMs }));
      }
      return { result: await geocodeInChain(chain, address) };
    },
  };
}
export type GisService = ReturnType<typeof createGisService>;
