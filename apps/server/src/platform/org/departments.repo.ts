import { type Kysely, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { inDataScope } from '../auth/data-scope.ts';
import type { DB, DepartmentKind } from '../db/schema.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

export interface DepartmentRow {
  id: number;
  parent_id: number | null;
  name: string;
  kind: DepartmentKind;
  code: string;
  path: string;
  sort: number;
  region_code: string | null;
  created_at: Date;
  user_count: number;
}

/** `viewer` null: no data-scope condition (service-internal reads after a scope-checked write). */
function selectDepartments(db: Executor, viewer: Viewer | null) {
  return db
    .selectFrom('department as d')
    .select([
      'd.id',
      'd.parent_id',
      'd.name',
      'd.kind',
      'd.code',
      'd.path',
      'd.sort',
      'd.region_code',
      'd.created_at',
      (eb) =>
        eb
          .selectFrom('app_user as u')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('u.department_id', '=', 'd.id')
          .as('user_count'),
    ])
    .where((eb) => (viewer ? inDataScope(eb, viewer, { department: 'd.id' }) : sql<boolean>`true`));
}

/** Every department the viewer may see, parents before children (path order), siblings by `sort`. */
export async function listVisibleDepartments(db: Executor, viewer: Viewer): Promise<DepartmentRow[]> {
  const rows = await selectDepartments(db, viewer).orderBy('d.sort').orderBy('d.id').execute();
  return rows.map((r) => ({ ...r, user_count: Number(r.user_count ?? 0) }));
}

/** One department by id, or undefined when it does not exist or lies outside the viewer's scope (if any). */
export async function findVisibleDepartment(
  db: Executor,
  viewer: Viewer | null,
  id: number,
): Promise<DepartmentRow | undefined> {
  const row = await selectDepartments(db, viewer).where('d.id', '=', id).executeTakeFirst();
  return row && { ...row, user_count: Number(row.user_count ?? 0) };
}

export async function findDepartmentByCode(db: Executor, code: string) {
  return db.selectFrom('department').select(['id']).where('code', '=', code).executeTakeFirst();
}

export async function childKinds(db: Executor, id: number): Promise<DepartmentKind[]> {
  const rows = await db
    .selectFrom('department')
    .select('kind')
    .where('parent_id', '=', id)
    .distinct()
    .execute();
  return rows.map((r) => r.kind);
}

export async function insertDepartment(
  tx: Transaction<DB>,
  v: {
    parentId: number | null;
    parentPath: string;
    name: string;
    kind: DepartmentKind;
    code: string;
    sort: number;
    regionCode: string | null;
  },
): Promise<number> {
  // The path contains the new id, which exists only after the insert.
  const row = await tx
    .insertInto('department')
    .values({
      parent_id: v.parentId,
      name: v.name,
      kind: v.kind,
      code: v.code,
      path: '/',
      sort: v.sort,
      region_code: v.regionCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('department')
    .set({ path: `${v.parentPath}${row.id}/` })
    .where('id', '=', row.id)
    .execute();
  return row.id;
}

export async function updateDepartmentFields(
  tx: Transaction<DB>,
  id: number,
  v: { name: string; kind: DepartmentKind; code: string; sort: number; regionCode: string | null },
): Promise<void> {
  await tx
    .updateTable('department')
    .set({ name: v.name, kind: v.kind, code: v.code, sort: v.sort, region_code: v.regionCode })
    .where('id', '=', id)
    .execute();
}

/**
 * Re-parent a department: one statement rewrites the path prefix of the department and of every descendant, and
 * the department's own parent. Paths hold only digits and slashes, so the LIKE prefix needs no escaping.
 */
export async function moveSubtree(
  tx: Transaction<DB>,
  id: number,
  oldPath: string,
  newParentId: number | null,
  newPath: string,
): Promise<number> {
  const res = await sql`
    update department
       set path = ${newPath} || substr(path, ${oldPath.length + 1}),
           parent_id = case when id = ${id} then ${newParentId}::bigint else parent_id end
     where path like ${`${oldPath}%`}`.execute(tx);
  return Number(res.numAffectedRows ?? 0);
}

/** What still hangs on a department; deleting it is refused while any of these is non-zero. */
export async function departmentDependents(db: Executor, id: number) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('department')
        .select(eb.fn.countAll<number>().as('n'))
        .where('parent_id', '=', id)
        .as('children'),
      eb
        .selectFrom('app_user')
        .select(eb.fn.countAll<number>().as('n'))
        .where('department_id', '=', id)
        .as('users'),
      eb.selectFrom('grid').select(eb.fn.countAll<number>().as('n')).where('station_id', '=', id).as('grids'),
      eb
        .selectFrom('entity')
        .select(eb.fn.countAll<number>().as('n'))
        .where('station_id', '=', id)
        .as('entities'),
    ])
    .executeTakeFirstOrThrow();
  return {
    children: Number(row.children ?? 0),
    users: Number(row.users ?? 0),
    grids: Number(row.grids ?? 0),
    entities: Number(row.entities ?? 0),
  };
}

export async function deleteDepartment(tx: Transaction<DB>, id: number): Promise<void> {
  await tx.deleteFrom('department').where('id', '=', id).execute();
}
