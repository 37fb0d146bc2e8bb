import { type Kysely, sql } from 'kysely';
import type { DataScopeView } from '../../platform/auth/auth.service.ts';
import type { DB, EntityType } from '../../platform/db/schema.ts';

/**
 * County overview counts, filtered by the caller's data scope in SQL: `all` counts everything; otherwise only
 * what belongs to the departments in scope (a 所's officer sees his 所's 主体, grids and staff).
 * Entities are counted in one scan with grouping sets; the big screen will read maintained counters instead.
 * An entity absorbed by a merge (`merged_into`) is not counted: it is part of its survivor.
 */
type Executor = Kysely<DB>;

/** Null when the scope reaches no department at all: every count is zero. */
function departmentFilter(scope: DataScopeView): number[] | 'all' | null {
  if (scope.all) return 'all';
  return scope.departmentIds.length ? scope.departmentIds : null;
}

export interface EntityCounts {
  total: number;
  byType: Map<EntityType, number>;
  byStation: Map<number, number>;
  byRisk: Map<'A' | 'B' | 'C' | 'D' | null, number>;
}

export async function countEntities(db: Executor, scope: DataScopeView): Promise<EntityCounts> {
  const counts: EntityCounts = { total: 0, byType: new Map(), byStation: new Map(), byRisk: new Map() };
  const ids = departmentFilter(scope);
  if (ids === null) return counts;
  const where = ids === 'all' ? sql`true` : sql`station_id in (${sql.join(ids)})`;
  const { rows } = await sql<{
    type: EntityType | null;
    station_id: number | null;
    risk_class: 'A' | 'B' | 'C' | 'D' | null;
    g_type: number;
    g_station: number;
    g_risk: number;
    n: number;
  }>`
    select type, station_id, risk_class,
      grouping(type) as g_type, grouping(station_id) as g_station, grouping(risk_class) as g_risk,
      count(*) as n
    from entity
    where merged_into is null and ${where}
    group by grouping sets ((type), (station_id), (risk_class), ())
  `.execute(db);
  for (const r of rows) {
    const n = Number(r.n);
    const [gType, gStation, gRisk] = [Number(r.g_type), Number(r.g_station), Number(r.g_risk)];
    if (gType && gStation && gRisk) counts.total = n;
    else if (!gType) counts.byType.set(r.type!, n);
    else if (!gStation) {
      if (r.station_id !== null) counts.byStation.set(Number(r.station_id), n);
    } else counts.byRisk.set(r.risk_class, n);
  }
  return counts;
}

/** The 市场监管所 in scope, in display order. */
export async function listStationsInScope(
  db: Executor,
  scope: DataScopeView,
): Promise<{ id: number; name: string }[]> {
  const ids = departmentFilter(scope);
  if (ids === null) return [];
  let q = db.selectFrom('department').select(['id', 'name']).where('kind', '=', 'station');
  if (ids !== 'all') q = q.where('id', 'in', ids);
  return q.orderBy('sort').orderBy('id').execute();
}

export interface OrgCounts {
  departments: number;
  stations: number;
  grids: number;
  staff: number;
}

export async function countOrg(db: Executor, scope: DataScopeView): Promise<OrgCounts> {
  const ids = departmentFilter(scope);
  if (ids === null) return { departments: 0, stations: 0, grids: 0, staff: 0 };
  const inDept = (col: string) => (ids === 'all' ? sql`true` : sql`${sql.ref(col)} in (${sql.join(ids)})`);
  const { rows } = await sql<{ departments: number; stations: number; grids: number; staff: number }>`
    select
      (select count(*) from department where ${inDept('id')}) as departments,
      (select count(*) from department where kind = 'station' and ${inDept('id')}) as stations,
      (select count(*) from grid where ${inDept('station_id')}) as grids,
      (select count(*) from app_user where status = 'active' and ${inDept('department_id')}) as staff
  `.execute(db);
  const r = rows[0]!;
  return {
    departments: Number(r.departments),
    stations: Number(r.stations),
    grids: Number(r.grids),
    staff: Number(r.staff),
  };
}
