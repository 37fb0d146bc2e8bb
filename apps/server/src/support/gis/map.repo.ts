import type { UnlocatedReason } from '@rongjian/shared/api';
import { sql } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { Executor } from './grids.repo.ts';

/** SQL of 未落格 (entities in no grid) and of entity locations, in the viewer's data scope on the entity's 所. */
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

const PENDING = sql<boolean>`(e.located_lon is distinct from e.lon or e.located_lat is distinct from e.lat)`;

const REASON = sql<UnlocatedReason>`case when e.lon is null then 'no_point'
  when ${PENDING} then 'pending' else 'outside' end`;

function unlocated(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('entity as e')
    .leftJoin('department as d', 'd.id', 'e.station_id')
    .where('e.grid_id', 'is', null)
    .where('e.merged_into', 'is', null)
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }));
}

export async function listUnlocated(
  db: Executor,
  viewer: Viewer,
  q: { reason?: UnlocatedReason | undefined; after?: number | undefined; limit: number },
) {
  let query = unlocated(db, viewer)
    .select([
      'e.id',
      'e.name',
      'e.uscc',
      'e.address',
      'd.name as station_name',
      'e.lon',
      'e.lat',
      REASON.as('reason'),
    ])
    .orderBy('e.id')
    .limit(q.limit);
  if (q.reason) query = query.where(REASON, '=', q.reason);
  if (q.after !== undefined) query = query.where('e.id', '>', q.after);
  return query.execute();
}

export async function countUnlocated(db: Executor, viewer: Viewer) {
  const r = await unlocated(db, viewer)
    .select([
      sql<string>`count(*) filter (where e.lon is null)`.as('no_point'),
      sql<string>`count(*) filter (where e.lon is not null and ${PENDING})`.as('pending'),
      sql<string>`count(*) filter (where e.lon is not null and not ${PENDING})`.as('outside'),
    ])
    .executeTakeFirstOrThrow();
  return { noPoint: Number(r.no_point), pending: Number(r.pending), outside: Number(r.outside) };
}

/** The latest assignment run that did something. */
export async function lastAssignmentRun(db: Executor) {
  return db
    .selectFrom('gis_assignment_run')
    .select(['id', 'trigger', 'finished_at', 'counts'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** One entity's point, source and grid (with its boundary), or undefined when missing or out of scope. */
export async function findLocation(db: Executor, viewer: Viewer, id: number) {
  return db
    .selectFrom('entity as e')
    .leftJoin('grid as g', 'g.id', 'e.grid_id')
    .leftJoin('department as d', 'd.id', 'e.station_id')
    .select([
      'e.id',
      'e.name',
      'e.lon',
      'e.lat',
      'e.geo_source',
      'e.geo_provider',
      'e.geo_precision',
      'e.grid_id',
      'g.name as grid_name',
      'd.name as station_name',
      'e.station_id',
      'e.located_at',
      'g.geometry as grid_geometry',
    ])
    .where('e.id', '=', id)
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }))
    .executeTakeFirst();
}
