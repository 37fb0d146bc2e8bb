import { type Kysely, sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { appendEvent, systemActor } from '../../platform/ledger/ledger.service.ts';
import type { GridGeometry } from './geojson.ts';
import { noTouchedKeys, recomputeEntries, refreshAddressPoints } from './gis.gazetteer.ts';
import {
  createLocalGeocoder,
  type Geocoder,
  GeocoderError,
  type GeocodeResult,
  goodEnough,
  morePrecise,
} from './gis.geocoder.ts';
import { buildGridIndex, type GridIndex } from './gis.pip.ts';
import { gisGeocoderSetting } from './gis.settings.ts';
import type { AssignmentCounts, AssignmentTrigger } from './gis.tables.ts';
import { createTiandituGeocoder } from './gis.tianditu.ts';
import type { Executor } from './grids.repo.ts';

/**
 * Locating entities (support/gis), in three set-based passes over keyset batches, each batch its own
 * transaction so that a million rows never sit in one:
 *   1. the gazetteer learns from entities whose point is their own (source record or manual);
 *   2. entities without a point are geocoded: the local gazetteer for a whole batch in one query, then the online
 *      service (天地图) for what stayed coarse or unfound, within the per-run quota;
 *   3. every point that is new, moved, or marked by a grid change is tested against the grids (R-tree of
 *      bounding boxes + exact point-in-polygon) and gets the grid and its 所; a point in no grid is 未落格.
 * One summary ledger event per run that did anything, never one per entity.
 */
export interface AssignOptions {
  /** The exchange run that triggered this (runAfterImport). */
  runId?: number;
  trigger?: AssignmentTrigger;
  /** Pass 2 can be skipped (a grid edit only needs pass 3). */
  geocode?: boolean;
  batchSize?: number;
}

export interface AssignResult extends AssignmentCounts {
  /** gis_assignment_run id, null when there was nothing to do. */
  runId: number | null;
}

const BATCH = 5000;
/** Consecutive failures (timeouts…) after which the online geocoder is left alone for the rest of the run. */
const MAX_CONSECUTIVE_FAILURES = 3;

const zero = (): AssignmentCounts => ({
  geocoded: 0,
  notGeocoded: 0,
  checked: 0,
  assigned: 0,
  moved: 0,
  outside: 0,
  unchanged: 0,
  gazetteerUpdated: 0,
});

export async function loadGridIndex(db: Executor): Promise<GridIndex> {
  const rows = await db.selectFrom('grid').select(['id', 'station_id', 'geometry']).execute();
  return buildGridIndex(
    rows.map((r) => ({
      id: Number(r.id),
      stationId: Number(r.station_id),
      geometry: r.geometry as GridGeometry,
    })),
  );
}

async function refreshGazetteer(db: Kysely<DB>, batch: number, counts: AssignmentCounts) {
  const touched = noTouchedKeys();
  for (let after = 0; ; ) {
    const r = await db.transaction().execute((tx) => refreshAddressPoints(tx, after, batch, touched));
    if (r.lastId === null) break;
    counts.gazetteerUpdated += r.written;
    after = r.lastId;
  }
  await recomputeEntries(db, touched);
}

/** The online geocoder the settings ask for, or null; a misconfiguration is reported in the counts. */
function onlineGeocoder(ctx: AppContext, counts: AssignmentCounts): Geocoder | null {
  const s = ctx.settings.get(gisGeocoderSetting);
  if (s.provider !== 'tianditu' || s.maxPerRun === 0) return null;
  try {
    return createTiandituGeocoder({ baseUrl: s.baseUrl, key: s.key, timeoutMs: s.timeoutMs });
  } catch (err) {
    if (err instanceof GeocoderError) {
      counts.geocoderError = err.message;
      return null;
    }
    throw err;
  }
}

interface Placed extends GeocodeResult {
  id: number;
}

async function writeGeocoded(tx: Executor, placed: Placed[], asked: { id: number; address: string }[]) {
  if (placed.length > 0) {
    const values = sql.join(
      placed.map(
        (p) =>
          sql`(${p.id}::bigint, ${p.lon}::float8, ${p.lat}::float8, ${p.provider}::text, ${p.precision}::text)`,
      ),
    );
    // `lon is null`: an import that delivered a point meanwhile wins over the guess.
    await sql`
      update entity as e set lon = v.lon, lat = v.lat, geo_source = 'geocoder', geo_provider = v.provider,
        geo_precision = v.precision, geo_updated_at = clock_timestamp(), updated_at = now()
      from (values ${values}) as v(id, lon, lat, provider, precision)
      where e.id = v.id and e.lon is null
    `.execute(tx);
  }
  if (asked.length > 0) {
    const values = sql.join(asked.map((a) => sql`(${a.id}::bigint, ${a.address}::text)`));
    await sql`
      update entity as e set geo_tried_address = v.address
      from (values ${values}) as v(id, address) where e.id = v.id
    `.execute(tx);
  }
}

async function geocodeMissing(ctx: AppContext, batch: number, counts: AssignmentCounts) {
  const db = ctx.db;
  const local = createLocalGeocoder(db);
  let online = onlineGeocoder(ctx, counts);
  let quota = ctx.settings.get(gisGeocoderSetting).maxPerRun;
  let failures = 0;
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('entity')
      .select(['id', 'address', 'geo_tried_address'])
      .where('lon', 'is', null)
      .where('merged_into', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]!.id);
    await local.prefetch(rows.map((r) => r.address));
    const placed: Placed[] = [];
    const asked: { id: number; address: string }[] = [];
    for (const r of rows) {
      let best = local.cached(r.address);
      // The online service is asked once per address: again only when the address changes.
      if (!goodEnough(best) && online && quota > 0 && r.geo_tried_address !== r.address && r.address.trim()) {
        quota--;
        try {
          best = morePrecise(best, await online.geocode(r.address));
          asked.push({ id: Number(r.id), address: r.address });
          failures = 0;
        } catch (err) {
          if (!(err instanceof GeocoderError)) throw err;
          failures++;
          if (err.fatal || failures >= MAX_CONSECUTIVE_FAILURES) {
            counts.geocoderError = err.message;
            online = null;
          }
        }
      }
      if (best) placed.push({ id: Number(r.id), ...best });
      else counts.notGeocoded++;
    }
    await db.transaction().execute((tx) => writeGeocoded(tx, placed, asked));
    counts.geocoded += placed.length;
  }
}

/** Pass 3's work list: a point that is new or moved since its grid was assigned (entity_locate_pending_idx, 0015). */
const LOCATE_PENDING = sql<boolean>`lon is not null and (located_lon is distinct from lon or located_lat is distinct from lat)`;

interface PendingPoint {
  id: number;
  lon: number | null;
  lat: number | null;
  grid_id: number | null;
}

/** Point-in-polygon for the rows and one `update … from (values …)`: grid, its 所 (kept when outside), the point. */
async function writeAssignments(
  ex: Executor,
  index: GridIndex,
  rows: readonly PendingPoint[],
  counts: AssignmentCounts,
): Promise<void> {
  const values = rows.map((r) => {
    const grid = index.locate(r.lon!, r.lat!);
    const before = r.grid_id === null ? null : Number(r.grid_id);
    counts.checked++;
    if (!grid) counts.outside++;
    else if (grid.id === before) counts.unchanged++;
    else {
      counts.assigned++;
      if (before !== null) counts.moved++;
    }
    return sql`(${Number(r.id)}::bigint, ${grid?.id ?? null}::bigint, ${grid?.stationId ?? null}::bigint,
      ${r.lon}::float8, ${r.lat}::float8)`;
  });
  // `e.lon = v.lon`: a point moved while this batch was computed stays pending for the next run.
  await sql`
    update entity as e set grid_id = v.grid_id, station_id = coalesce(v.station_id, e.station_id),
      located_lon = v.lon, located_lat = v.lat, located_at = now(),
      updated_at = case when e.grid_id is distinct from v.grid_id or e.station_id is distinct from
        coalesce(v.station_id, e.station_id) then now() else e.updated_at end
    from (values ${sql.join(values)}) as v(id, grid_id, station_id, lon, lat)
    where e.id = v.id and e.lon = v.lon and e.lat = v.lat
  `.execute(ex);
}

async function assignPoints(db: Kysely<DB>, batch: number, counts: AssignmentCounts) {
  const index = await loadGridIndex(db);
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('entity')
      .select(['id', 'lon', 'lat', 'grid_id'])
      .where('id', '>', after)
      .where(LOCATE_PENDING)
      .where('lat', 'is not', null)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]!.id);
    await writeAssignments(db, index, rows, counts);
  }
}

/**
 * Pass 3 for a few entities, now, in the caller's transaction: those of `ids` whose point is new or moved get the
 * grid it lies in and that grid's 所 (a point in no grid: no grid, 所 kept — 未落格). For requests that move a point
 * (merge, un-merge), so that the right 所 sees the entity at once, not after the nightly run. No run row, no ledger
 * event: the request's own event says what happened. Returns the counts.
 */
export async function locateEntities(ex: Executor, ids: readonly number[]): Promise<AssignmentCounts> {
  const counts = zero();
  if (ids.length === 0) return counts;
  const rows = await ex
    .selectFrom('entity')
    .select(['id', 'lon', 'lat', 'grid_id'])
    .where('id', 'in', [...ids])
    .where(LOCATE_PENDING)
    .where('lat', 'is not', null)
    .execute();
  if (rows.length > 0) await writeAssignments(ex, await loadGridIndex(ex), rows, counts);
  return counts;
}

/**
 * Geocode, then assign grids to every entity that needs it; idempotent (a second run finds nothing to do).
 * Called after each import (runAfterImport), by the nightly `gis.locate` job, and after a grid edit.
 */
export async function assignLocations(ctx: AppContext, opts: AssignOptions = {}): Promise<AssignResult> {
  const db = ctx.db;
  const batch = opts.batchSize ?? BATCH;
  const counts = zero();
  const startedAt = new Date();
  await refreshGazetteer(db, batch, counts);
  if (opts.geocode !== false) await geocodeMissing(ctx, batch, counts);
  await assignPoints(db, batch, counts);

  const didSomething =
    counts.checked + counts.geocoded + counts.gazetteerUpdated > 0 || counts.geocoderError !== undefined;
  if (!didSomething) return { ...counts, runId: null };
  const trigger = opts.trigger ?? (opts.runId ? 'import' : 'manual');
  const runId = await db.transaction().execute(async (tx) => {
    const run = await tx
      .insertInto('gis_assignment_run')
      .values({
        trigger,
        exchange_run_id: opts.runId ?? null,
        started_at: startedAt,
        finished_at: new Date(),
        counts: json(counts),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(tx, {
      actor: systemActor,
      subjectType: 'gis_assignment',
      subjectId: run.id,
      kind: 'gis.assigned',
      payload: { trigger, exchangeRunId: opts.runId ?? null, ...counts },
    });
    return Number(run.id);
  });
  return { ...counts, runId };
}

/**
 * After a grid's boundary or 所 changed: its entities, and every point inside its old or new bounding box, are
 * assigned again; entities of the grid that have no point follow the grid's 所.
 */
export async function reassignAfterGridChange(
  ctx: AppContext,
  change: { gridId: number; bboxes: [number, number, number, number][] },
): Promise<AssignResult> {
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('entity')
      .set({ located_lon: null, located_lat: null })
      .where('lon', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('grid_id', '=', change.gridId),
          ...change.bboxes.map(([minLon, minLat, maxLon, maxLat]) =>
            eb.and([
              eb('lon', '>=', minLon),
              eb('lon', '<=', maxLon),
              eb('lat', '>=', minLat),
              eb('lat', '<=', maxLat),
            ]),
          ),
        ]),
      )
      .execute();
    await tx
      .updateTable('entity')
      .set((eb) => ({
        station_id: eb.selectFrom('grid').select('grid.station_id').where('grid.id', '=', change.gridId),
      }))
      .where('grid_id', '=', change.gridId)
      .where('lon', 'is', null)
      .execute();
  });
  return assignLocations(ctx, { trigger: 'grid', geocode: false });
}
