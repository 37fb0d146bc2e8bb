import type { Kysely, Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { inDataScope } from '../auth/data-scope.ts';
import { json } from '../db/json.ts';
import type { DataScope, DB, DepartmentKind } from '../db/schema.ts';
import { likeContains } from '../db/like.ts';

/** SQL of roles (members: role-members.repo.ts). */
export type Executor = Kysely<DB> | Transaction<DB>;
export type Viewer = Pick<SessionUser, 'id' | 'scope'>;

export interface RoleRow {
  id: number;
  code: string;
  name: string;
  data_scope: DataScope;
  scope_department_ids: number[];
  permissions: string[];
  builtin: boolean;
}

export interface RoleValues {
  code: string;
  name: string;
  data_scope: DataScope;
  scope_department_ids: number[];
  permissions: string[];
}

const ROLE_COLUMNS = [
  'r.id',
  'r.code',
  'r.name',
  'r.data_scope',
  'r.scope_department_ids',
  'r.permissions',
  'r.builtin',
] as const;

/** Roles with the number of their members the viewer may see; built-in roles first. */
export async function listRoles(
  db: Executor,
  viewer: Viewer,
  filter: { keyword?: string; id?: number } = {},
) {
  const { keyword, id } = filter;
  let q = db
    .selectFrom('role as r')
    .select(ROLE_COLUMNS)
    .select((eb) =>
      eb
        .selectFrom('user_role as ur')
        .innerJoin('app_user as u', 'u.id', 'ur.user_id')
        .whereRef('ur.role_id', '=', 'r.id')
        .where((e) => inDataScope(e, viewer, { department: 'u.department_id', owner: 'u.id' }))
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('member_count'),
    )
    .orderBy('r.builtin', 'desc')
    .orderBy('r.id')
    .limit(1000);
  if (id !== undefined) q = q.where('r.id', '=', id);
  if (keyword) {
    const like = likeContains(keyword);
    q = q.where((eb) => eb.or([eb('r.code', 'ilike', like), eb('r.name', 'ilike', like)]));
  }
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, member_count: Number(r.member_count ?? 0) }));
}

export async function findRole(db: Executor, id: number): Promise<RoleRow | undefined> {
  return db.selectFrom('role as r').select(ROLE_COLUMNS).where('r.id', '=', id).executeTakeFirst();
}

/** Locks the role row for the rest of the transaction, so concurrent edits of one role apply one after another. */
export async function lockRole(tx: Transaction<DB>, id: number): Promise<RoleRow | undefined> {
  return tx
    .selectFrom('role as r')
    .select(ROLE_COLUMNS)
    .where('r.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function roleCodeTaken(db: Executor, code: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('role').select('id').where('code', '=', code);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertRole(tx: Executor, v: RoleValues): Promise<number> {
  const row = await tx
    .insertInto('role')
    .values({
      ...v,
      scope_department_ids: json(v.scope_department_ids),
      permissions: json(v.permissions),
      builtin: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRole(tx: Executor, id: number, v: RoleValues): Promise<void> {
  await tx
    .updateTable('role')
    .set({
      ...v,
      scope_department_ids: json(v.scope_department_ids),
      permissions: json(v.permissions),
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteRole(tx: Executor, id: number): Promise<void> {
  await tx.deleteFrom('role').where('id', '=', id).where('builtin', '=', false).execute();
}

export interface DepartmentOptionRow {
  id: number;
  parent_id: number | null;
  name: string;
  kind: DepartmentKind;
}

/** Departments the viewer may see (for 指定部门), in tree order. */
export async function departmentsInScope(db: Executor, viewer: Viewer): Promise<DepartmentOptionRow[]> {
  return db
    .selectFrom('department as d')
    .select(['d.id', 'd.parent_id', 'd.name', 'd.kind'])
    .where((eb) => inDataScope(eb, viewer, { department: 'd.id' }))
    .orderBy('d.sort')
    .orderBy('d.id')
    .execute();
}

/** `%`, `_` and `\` typed by a user are literal characters in a LIKE pattern. */

export async function departmentNames(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('department')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .execute();
}

/** Every role with its permissions, for showing who holds each catalogue entry. */
export async function allRolePermissions(db: Executor) {
  return db.selectFrom('role').select(['id', 'code', 'name', 'permissions']).orderBy('id').execute();
}
