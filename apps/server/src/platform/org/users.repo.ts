import type { Expression, ExpressionBuilder, Kysely, SqlBool, Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { inDataScope } from '../auth/data-scope.ts';
import type { DB, UserStatus } from '../db/schema.ts';
import { likeContains } from './org.schemas.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;
type UserScope = DB & { u: DB['app_user']; d: DB['department'] };

/** Filters of the user list and export, already resolved to column values by the service. */
export interface UserFilter {
  keyword?: string | undefined;
  departmentId?: number | undefined;
  /** Materialised path of `departmentId` when the subtree is wanted (prefix match). */
  subtreePath?: string | undefined;
  roleCode?: string | undefined;
  postId?: number | undefined;
  status?: UserStatus | undefined;
  /** ISO date: certificates valid until this day or earlier (expired ones included). */
  certExpiringBy?: string | undefined;
  phoneBidx?: string | undefined;
}

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  department_id: number;
  department_name: string;
  phone_enc: string | null;
  cert_no: string | null;
  cert_valid_until: string | null;
  status: UserStatus;
  must_change_password: boolean;
  is_demo: boolean;
  created_at: Date;
  updated_at: Date;
}

/** The data scope and every filter, as one SQL condition; user text only ever travels as bound parameters. */
function conditions(eb: ExpressionBuilder<UserScope, 'u' | 'd'>, viewer: Viewer, f: UserFilter) {
  const all: Expression<SqlBool>[] = [
    inDataScope(eb, viewer, { department: 'u.department_id', owner: 'u.id' }),
  ];
  if (f.keyword) {
    const p = likeContains(f.keyword);
    all.push(eb.or([eb('u.username', 'ilike', p), eb('u.display_name', 'ilike', p)]));
  }
  if (f.subtreePath !== undefined) all.push(eb('d.path', 'like', `${f.subtreePath}%`));
  else if (f.departmentId !== undefined) all.push(eb('u.department_id', '=', f.departmentId));
  if (f.roleCode !== undefined) {
    const code = f.roleCode;
    all.push(
      eb.exists(
        eb
          .selectFrom('user_role as ur')
          .innerJoin('role as r', 'r.id', 'ur.role_id')
          .select('ur.user_id')
          .whereRef('ur.user_id', '=', 'u.id')
          .where('r.code', '=', code),
      ),
    );
  }
  if (f.postId !== undefined) {
    const postId = f.postId;
    all.push(
      eb.exists(
        eb
          .selectFrom('user_post as up')
          .select('up.user_id')
          .whereRef('up.user_id', '=', 'u.id')
          .where('up.post_id', '=', postId),
      ),
    );
  }
  if (f.status) all.push(eb('u.status', '=', f.status));
  if (f.certExpiringBy) all.push(eb('u.cert_valid_until', '<=', f.certExpiringBy));
  if (f.phoneBidx) all.push(eb('u.phone_bidx', '=', f.phoneBidx));
  return eb.and(all);
}

function baseQuery(db: Executor) {
  return db.selectFrom('app_user as u').innerJoin('department as d', 'd.id', 'u.department_id');
}

const USER_COLUMNS = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.department_id',
  'd.name as department_name',
  'u.phone_enc',
  'u.cert_no',
  'u.cert_valid_until',
  'u.status',
  'u.must_change_password',
  'u.is_demo',
  'u.created_at',
  'u.updated_at',
] as const;

/** One keyset page (by id) of the users the viewer may see, plus the number of all matching users. */
export async function listUsers(
  db: Executor,
  viewer: Viewer,
  f: UserFilter & { after?: number | undefined; limit: number },
  opts: { withTotal?: boolean } = {},
): Promise<{ rows: UserRow[]; total: number; nextAfter: number | null }> {
  let q = baseQuery(db)
    .select(USER_COLUMNS)
    .where((eb) => conditions(eb, viewer, f));
  if (f.after !== undefined) q = q.where('u.id', '>', f.after);
  const rows = await q
    .orderBy('u.id')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  let total = 0;
  if (opts.withTotal !== false) {
    const t = await baseQuery(db)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => conditions(eb, viewer, f))
      .executeTakeFirstOrThrow();
    total = Number(t.n);
  }
  return { rows: page, total, nextAfter: rows.length > f.limit ? (page.at(-1)?.id ?? null) : null };
}

/** One user by id, or undefined when absent or outside the viewer's data scope (the route answers 404). */
export async function findUser(
  db: Executor,
  viewer: Viewer | null,
  id: number,
): Promise<UserRow | undefined> {
  return baseQuery(db)
    .select(USER_COLUMNS)
    .where('u.id', '=', id)
    .$if(viewer !== null, (q) => q.where((eb) => conditions(eb, viewer!, {})))
    .executeTakeFirst();
}

export async function findUserIdByUsername(db: Executor, username: string) {
  return db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst();
}

export async function departmentPath(db: Executor, id: number): Promise<string | undefined> {
  const r = await db.selectFrom('department').select('path').where('id', '=', id).executeTakeFirst();
  return r?.path;
}

/** Roles and posts of a page of users, in two queries. */
export async function rolesAndPosts(db: Executor, userIds: number[]) {
  const roles = new Map<number, { code: string; name: string }[]>();
  const posts = new Map<number, { id: number; code: string; name: string }[]>();
  if (userIds.length === 0) return { roles, posts };
  const rr = await db
    .selectFrom('user_role as ur')
    .innerJoin('role as r', 'r.id', 'ur.role_id')
    .select(['ur.user_id', 'r.code', 'r.name'])
    .where('ur.user_id', 'in', userIds)
    .orderBy('r.id')
    .execute();
  for (const r of rr) roles.set(r.user_id, [...(roles.get(r.user_id) ?? []), { code: r.code, name: r.name }]);
  const pp = await db
    .selectFrom('user_post as up')
    .innerJoin('post as p', 'p.id', 'up.post_id')
    .select(['up.user_id', 'p.id', 'p.code', 'p.name'])
    .where('up.user_id', 'in', userIds)
    .orderBy('p.id')
    .execute();
  for (const p of pp) {
    posts.set(p.user_id, [...(posts.get(p.user_id) ?? []), { id: p.id, code: p.code, name: p.name }]);
  }
  return { roles, posts };
}

export async function replaceRoles(tx: Transaction<DB>, userId: number, roleIds: number[]): Promise<void> {
  await tx.deleteFrom('user_role').where('user_id', '=', userId).execute();
  if (roleIds.length > 0) {
    await tx
      .insertInto('user_role')
      .values(roleIds.map((role_id) => ({ user_id: userId, role_id })))
      .execute();
  }
}

export async function replacePosts(tx: Transaction<DB>, userId: number, postIds: number[]): Promise<void> {
  await tx.deleteFrom('user_post').where('user_id', '=', userId).execute();
  if (postIds.length > 0) {
    await tx
      .insertInto('user_post')
      .values(postIds.map((post_id) => ({ user_id: userId, post_id })))
      .execute();
  }
}

/**
 * Serialise every change that could remove the last active 系统管理员 (row lock on the role), then count the ones
 * left. Called inside the changing transaction, after the change.
 */
export async function activeSysadminsAfterChange(tx: Transaction<DB>): Promise<number> {
  await tx.selectFrom('role').select('id').where('code', '=', 'sysadmin').forUpdate().execute();
  const r = await tx
    .selectFrom('app_user as u')
    .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
    .innerJoin('role as r', 'r.id', 'ur.role_id')
    .select((eb) => eb.fn.count<number>('u.id').distinct().as('n'))
    .where('r.code', '=', 'sysadmin')
    .where('u.status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** End every session of a user (disabled, or their password was reset). */
export async function endSessions(tx: Executor, userId: number): Promise<void> {
  await tx.deleteFrom('session').where('user_id', '=', userId).execute();
}

/** Accounts with these usernames, and whether each lies inside the viewer's data scope. */
export async function usersByUsername(db: Executor, viewer: Viewer, usernames: string[]) {
  const out = new Map<string, { id: number; inScope: boolean }>();
  for (let i = 0; i < usernames.length; i += 1000) {
    const chunk = usernames.slice(i, i + 1000);
    const all = await db
      .selectFrom('app_user')
      .select(['id', 'username'])
      .where('username', 'in', chunk)
      .execute();
    if (all.length === 0) continue;
    const visible = await baseQuery(db)
      .select('u.id')
      .where(
        'u.id',
        'in',
        all.map((u) => u.id),
      )
      .where((eb) => conditions(eb, viewer, {}))
      .execute();
    const inScope = new Set(visible.map((v) => v.id));
    for (const u of all) out.set(u.username, { id: u.id, inScope: inScope.has(u.id) });
  }
  return out;
}
