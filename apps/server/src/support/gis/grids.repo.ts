import { type Kysely, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { GridGeometry } from './geojson.ts';
import { likeContains } from '../../platform/db/like.ts';

/**
 * SQL of 网格. Every read applies the caller's data scope to the owning 所 (`station_id`), so a grid of another
 * 所 is simply not found. Entity counts read `entity.grid_id` through its index (entity_grid_idx); when the
 * entity module grows its own service, these counts should come from it.
 */
export type Executor = Kysely<DB> | Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

export interface GridRow {
  id: number;
  code: string;
  name: string;
  station_id: number;
  station_name: string;
  center_lon: number;
  center_lat: number;
  entity_count: number;
}

export interface GridValues {
  code: string;
  name: string;
  station_id: number;
  geometry: GridGeometry;
  center_lon: number;
  center_lat: number;
}

export interface GridFilter {
  stationId?: number | undefined;
  keyword?: string | undefined;
}

function visible(db: Executor, viewer: Viewer, f: GridFilter) {
  let q = db
    .selectFrom('grid as g')
    .innerJoin('department as d', 'd.id', 'g.station_id')
    .where((eb) => inDataScope(eb, viewer, { department: 'g.station_id' }));
  if (f.stationId !== undefined) q = q.where('g.station_id', '=', f.stationId);
  if (f.keyword) {
    const like = likeContains(f.keyword);
    q = q.where((eb) => eb.or([eb('g.code', 'ilike', like), eb('g.name', 'ilike', like)]));
  }
  return q;
}

const COLUMNS = [
  'g.id',
  'g.code',
  'g.name',
  'g.station_id',
  'd.name as station_name',
  'g.center_lon',
  'g.center_lat',
  sql<string>`(select count(*) from entity e where e.grid_id = g.id)`.as('entity_count'),
] as const;

const toRow = <T extends { entity_count: string | number }>(r: T) => ({
  ...r,
  entity_count: Number(r.entity_count),
});

export async function listGrids(
  db: Executor,
  viewer: Viewer,
  f: GridFilter & { after?: number | undefined; limit: number },
): Promise<GridRow[]> {
  let q = visible(db, viewer, f).select(COLUMNS).orderBy('g.id').limit(f.limit);
  if (f.after !== undefined) q = q.where('g.id', '>', f.after);
  return (await q.execute()).map(toRow);
}

export async function countGrids(db: Executor, viewer: Viewer, f: GridFilter): Promise<number> {
  const r = await visible(db, viewer, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One grid with its geometry, or undefined when it does not exist or is outside the viewer's scope. */
export async function findGrid(db: Executor, viewer: Viewer, id: number) {
  const r = await visible(db, viewer, {})
    .select([...COLUMNS, 'g.geometry'])
    .where('g.id', '=', id)
    .executeTakeFirst();
  return r && { ...toRow(r), geometry: r.geometry as GridGeometry };
}

/** Grids with geometry for the map (a county has hundreds; a city a few thousand). */
export async function gridFeatures(db: Executor, viewer: Viewer, f: GridFilter) {
  const rows = await visible(db, viewer, f)
    .select([...COLUMNS, 'g.geometry'])
    .orderBy('g.id')
    .execute();
  return rows.map((r) => ({ ...toRow(r), geometry: r.geometry as GridGeometry }));
}

/** Locks the grid row (in scope) for the rest of the transaction. */
export async function lockGrid(tx: Transaction<DB>, viewer: Viewer, id: number) {
  return tx
    .selectFrom('grid as g')
    .select(['g.id', 'g.code', 'g.name', 'g.station_id', 'g.center_lon', 'g.center_lat', 'g.geometry'])
    .where('g.id', '=', id)
    .where((eb) => inDataScope(eb, viewer, { department: 'g.station_id' }))
    .forUpdate()
    .executeTakeFirst();
}

/** 市场监管所 within the viewer's scope. */
export async function stationsInScope(db: Executor, viewer: Viewer, id?: number) {
  let q = db
    .selectFrom('department as d')
    .select(['d.id', 'd.name'])
    .where('d.kind', '=', 'station')
    .where((eb) => inDataScope(eb, viewer, { department: 'd.id' }))
    .orderBy('d.sort')
    .orderBy('d.id');
  if (id !== undefined) q = q.where('d.id', '=', id);
  return q.execute();
}

/** Every grid's boundary but one, whatever the viewer's scope: a boundary must not overlap any of them. */
export async function otherBoundaries(db: Executor, exceptId?: number) {
  let q = db
    .selectFrom('grid as g')
    .innerJoin('department as d', 'd.id', 'g.station_id')
    .select(['g.id', 'g.name', 'd.name as station_name', 'g.geometry']);
  if (exceptId !== undefined) q = q.where('g.id', '<>', exceptId);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, geometry: r.geometry as GridGeometry }));
}

export async function gridCodeTaken(db: Executor, code: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('grid').select('id').where('code', '=', code);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertGrid(tx: Executor, v: GridValues): Promise<number> {
  const r = await tx
    .insertInto('grid')
    .values({ ...v, geometry: json(v.geometry) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateGrid(tx: Executor, id: number, v: GridValues): Promise<void> {
  await tx
    .updateTable('grid')
    .set({ ...v, geometry: json(v.geometry) })
    .where('id', '=', id)
    .execute();
}

export async function deleteGrid(tx: Executor, id: number): Promise<void> {
  await tx.deleteFrom('grid').where('id', '=', id).execute();
}

/** 经营主体 that reference the grid, whatever the viewer's scope (a delete must not orphan any of them). */
export async function countEntitiesInGrid(tx: Executor, id: number): Promise<number> {
  const r = await tx
    .selectFrom('entity')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('grid_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
