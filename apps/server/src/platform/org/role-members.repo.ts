import { sql } from 'kysely';
import { inDataScope } from '../auth/data-scope.ts';
import type { UserStatus } from '../db/schema.ts';
import { likeContains } from '../db/like.ts';
import type { Executor, Viewer } from './roles.repo.ts';

// SQL of role members: app_user rows, filtered by the caller's data scope unless a function says otherwise.

/** Every member, whoever may see them (for refusing a delete and for the last-administrator rule). */
export async function countMembers(db: Executor, roleId: number, activeOnly = false): Promise<number> {
  let q = db
    .selectFrom('user_role as ur')
    .innerJoin('app_user as u', 'u.id', 'ur.user_id')
    .where('ur.role_id', '=', roleId)
    .select((eb) => eb.fn.countAll<string>().as('n'));
  if (activeOnly) q = q.where('u.status', '=', 'active');
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export interface MemberRow {
  id: number;
  username: string;
  display_name: string;
  department_id: number;
  department_name: string;
  status: UserStatus;
}

/** Users in the viewer's scope, by id order; `roleId` + `member` selects holders or non-holders of a role. */
export async function listUsers(
  db: Executor,
  viewer: Viewer,
  opts: { roleId: number; member: boolean; keyword?: string; after?: number; limit: number },
): Promise<MemberRow[]> {
  let q = db
    .selectFrom('app_user as u')
    .innerJoin('department as d', 'd.id', 'u.department_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.department_id',
      'd.name as department_name',
      'u.status',
    ])
    .where((eb) => inDataScope(eb, viewer, { department: 'u.department_id', owner: 'u.id' }))
    .where((eb) => {
      const held = eb.exists(
        eb
          .selectFrom('user_role as ur')
          .select(sql.lit(1).as('one'))
          .whereRef('ur.user_id', '=', 'u.id')
          .where('ur.role_id', '=', opts.roleId),
      );
      return opts.member ? held : eb.not(held);
    })
    .orderBy('u.id')
    .limit(opts.limit);
  if (opts.after !== undefined) q = q.where('u.id', '>', opts.after);
  if (opts.keyword) {
    const like = likeContains(opts.keyword);
    q = q.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  return q.execute();
}

/** The given users that the viewer may see, with display names. */
export async function usersInScope(db: Executor, viewer: Viewer, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.display_name', 'u.status'])
    .where('u.id', 'in', [...ids])
    .where((eb) => inDataScope(eb, viewer, { department: 'u.department_id', owner: 'u.id' }))
    .execute();
}

/** Each user's roles (names and permissions), to check the separation of duties over a user's whole set. */
export async function rolesOfUsers(db: Executor, userIds: readonly number[]) {
  const out = new Map<number, { id: number; name: string; permissions: string[] }[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('user_role as ur')
    .innerJoin('role as r', 'r.id', 'ur.role_id')
    .select(['ur.user_id', 'r.id', 'r.name', 'r.permissions'])
    .where('ur.user_id', 'in', [...userIds])
    .execute();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ id: r.id, name: r.name, permissions: r.permissions });
    out.set(r.user_id, list);
  }
  return out;
}

/** Every member's id and name (unscoped): used to re-check the separation of duties when a role changes. */
export async function allMembers(db: Executor, roleId: number) {
  return db
    .selectFrom('user_role as ur')
    .innerJoin('app_user as u', 'u.id', 'ur.user_id')
    .select(['u.id', 'u.display_name'])
    .where('ur.role_id', '=', roleId)
    .execute();
}

export async function addMembers(tx: Executor, roleId: number, userIds: readonly number[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const rows = await tx
    .insertInto('user_role')
    .values(userIds.map((user_id) => ({ user_id, role_id: roleId })))
    .onConflict((oc) => oc.columns(['user_id', 'role_id']).doNothing())
    .returning('user_id')
    .execute();
  return rows.length;
}

export async function removeMember(tx: Executor, roleId: number, userId: number): Promise<boolean> {
  const r = await tx
    .deleteFrom('user_role')
    .where('role_id', '=', roleId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
