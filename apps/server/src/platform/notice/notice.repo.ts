import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { inDataScope } from '../auth/data-scope.ts';
import type { DB } from '../db/schema.ts';
import { likeContains } from '../db/like.ts';
import type { NoticeKind, NoticeStatus } from './notice.tables.ts';

type Executor = Kysely<DB> | Transaction<DB>;
type Scoped = Pick<SessionUser, 'id' | 'scope'>;

export const noticeColumns = [
  'n.id',
  'n.title',
  'n.body',
  'n.kind',
  'n.level',
  'n.status',
  'n.target_all',
  'n.target_department_ids',
  'n.author_name',
  'n.published_at',
  'n.created_at',
  'n.updated_at',
] as const;

export interface AdminFilter {
  keyword?: string | undefined;
  status?: NoticeStatus | undefined;
  kind?: NoticeKind | undefined;
}

function adminQuery(db: Executor, user: Scoped, f: AdminFilter) {
  let q = db
    .selectFrom('notice as n')
    .where((eb) => inDataScope(eb, user, { department: 'n.department_id', owner: 'n.author_id' }));
  if (f.keyword) q = q.where('n.title', 'ilike', likeContains(f.keyword));
  if (f.status) q = q.where('n.status', '=', f.status);
  if (f.kind) q = q.where('n.kind', '=', f.kind);
  return q;
}

/** Administrators' list, newest first, keyset on id, within the caller's data scope. */
export async function findForAdmin(
  db: Executor,
  user: Scoped,
  f: AdminFilter,
  page: { after?: number | undefined; limit: number },
) {
  let q = adminQuery(db, user, f)
    .select(noticeColumns)
    .select((eb) =>
      eb
        .selectFrom('notice_read as r')
        .whereRef('r.notice_id', '=', 'n.id')
        .select(sql<number>`count(*)::int`.as('c'))
        .as('read_count'),
    )
    .orderBy('n.id', 'desc')
    .limit(page.limit + 1);
  if (page.after !== undefined) q = q.where('n.id', '<', page.after);
  const rows = await q.execute();
  const total = await adminQuery(db, user, f)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

/** One notice by id for an administrator; undefined when it does not exist or is outside the data scope. */
export async function findOneForAdmin(db: Executor, user: Scoped, id: number) {
  return adminQuery(db, user, {})
    .select(noticeColumns)
    .select((eb) =>
      eb
        .selectFrom('notice_read as r')
        .whereRef('r.notice_id', '=', 'n.id')
        .select(sql<number>`count(*)::int`.as('c'))
        .as('read_count'),
    )
    .where('n.id', '=', id)
    .executeTakeFirst();
}

export type AdminNoticeRow = NonNullable<Awaited<ReturnType<typeof findOneForAdmin>>>;

export async function departmentNames(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('department').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function existingDepartments(db: Executor, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('department').select('id').where('id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

/** The user's department and every department above it (targeting a department reaches its whole subtree). */
export async function ancestorsOf(db: Executor, departmentId: number): Promise<number[]> {
  const row = await db
    .selectFrom('department')
    .select('path')
    .where('id', '=', departmentId)
    .executeTakeFirst();
  const ids = (row?.path ?? '').split('/').filter(Boolean).map(Number).filter(Number.isSafeInteger);
  return ids.includes(departmentId) ? ids : [...ids, departmentId];
}

/** Published notices addressed to a user (by id, when given) whose department and ancestors are `departments`. */
function visibleTo(db: Executor, departments: number[], userId?: number) {
  return db
    .selectFrom('notice as n')
    .where('n.status', '=', 'published')
    .where((eb) =>
      eb.or([
        eb('n.target_all', '=', true),
        ...departments.map((d) => sql<SqlBool>`n.target_department_ids @> ${JSON.stringify([d])}::jsonb`),
        ...(userId === undefined
          ? []
          : [sql<SqlBool>`n.target_user_ids @> ${JSON.stringify([userId])}::jsonb`]),
      ]),
    );
}

export async function findForUser(
  db: Executor,
  userId: number,
  departments: number[],
  page: { after?: { at: Date; id: number } | undefined; limit: number; unreadOnly?: boolean | undefined },
) {
  let q = visibleTo(db, departments, userId)
    .leftJoin('notice_read as r', (j) => j.onRef('r.notice_id', '=', 'n.id').on('r.user_id', '=', userId))
    .select(['n.id', 'n.title', 'n.body', 'n.kind', 'n.level', 'n.author_name', 'n.published_at'])
    .select(sql<boolean>`r.user_id is not null`.as('read'))
    .orderBy('n.published_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(page.limit + 1);
  if (page.unreadOnly) q = q.where('r.user_id', 'is', null);
  if (page.after) {
    const { at, id } = page.after;
    q = q.where(sql<SqlBool>`(n.published_at, n.id) < (${at.toISOString()}::timestamptz, ${id})`);
  }
  return q.execute();
}

export async function countUnread(db: Executor, userId: number, departments: number[]): Promise<number> {
  const r = await visibleTo(db, departments, userId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notice_read as r')
            .select('r.notice_id')
            .whereRef('r.notice_id', '=', 'n.id')
            .where('r.user_id', '=', userId),
        ),
      ),
    )
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function isVisibleTo(
  db: Executor,
  id: number,
  departments: number[],
  userId?: number,
): Promise<boolean> {
  const r = await visibleTo(db, departments, userId).select('n.id').where('n.id', '=', id).executeTakeFirst();
  return r !== undefined;
}

/** Mark every published notice addressed to the user read, in one statement; returns how many were new. */
export async function markAllRead(db: Executor, userId: number, departments: number[]): Promise<number> {
  const r = await db
    .insertInto('notice_read')
    .columns(['notice_id', 'user_id'])
    .expression(
      visibleTo(db, departments, userId).select(['n.id', sql<number>`${userId}::bigint`.as('user_id')]),
    )
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/** Every department as a tree node for the audience picker. */
export async function departmentOptions(db: Executor) {
  const rows = await db
    .selectFrom('department')
    .select(['id', 'parent_id', 'name'])
    .orderBy('sort')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, name: r.name }));
}
