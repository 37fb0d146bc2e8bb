import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { inDataScope } from '../auth/data-scope.ts';
import type { DB } from '../db/schema.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
type Scoped = Pick<SessionUser, 'id' | 'scope'>;

export const OPEN_STATUSES = ['running', 'paused'] as const;

/** A deadline row with the names the views show. */
export function selectDeadlines(db: Executor) {
  return db
    .selectFrom('deadline as d')
    .leftJoin('department as dep', 'dep.id', 'd.department_id')
    .leftJoin('app_user as u', 'u.id', 'd.assignee_id')
    .selectAll('d')
    .select(['dep.name as department_name', 'u.display_name as assignee_name']);
}

export type DeadlineRow = Awaited<ReturnType<ReturnType<typeof selectDeadlines>['executeTakeFirstOrThrow']>>;

export async function findById(db: Executor, id: number): Promise<DeadlineRow | undefined> {
  return selectDeadlines(db).where('d.id', '=', id).executeTakeFirst();
}

/** Lock one deadline row for a change in `tx` (callers then re-read it with the names). */
export async function lock(tx: Transaction<DB>, id: number) {
  return tx.selectFrom('deadline').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Whether the deadline exists within the viewer's data scope (department; the assignee always sees his own). */
export async function isVisible(db: Executor, viewer: Scoped, id: number): Promise<boolean> {
  const r = await db
    .selectFrom('deadline as d')
    .select('d.id')
    .where('d.id', '=', id)
    .where((eb) => inDataScope(eb, viewer, { department: 'd.department_id', owner: 'd.assignee_id' }))
    .executeTakeFirst();
  return r !== undefined;
}

export interface BoardFilter {
  state: 'warning' | 'overdue' | 'running';
  departmentId?: number | undefined;
  ruleKey?: string | undefined;
  after?: { dueOn: string; id: number } | undefined;
  limit: number;
}

/**
 * The board: open deadlines by due day (earliest first), keyset on (due_on, id). 预警 = running, warning day
 * reached, due day not passed; 逾期 = running and past the due day; 进行中 = running or paused.
 */
export async function board(db: Executor, viewer: Scoped, f: BoardFilter, today: string) {
  let q = selectDeadlines(db)
    .where((eb) => inDataScope(eb, viewer, { department: 'd.department_id', owner: 'd.assignee_id' }))
    .orderBy('d.due_on')
    .orderBy('d.id')
    .limit(f.limit + 1);
  if (f.state === 'running') q = q.where('d.status', 'in', [...OPEN_STATUSES]);
  if (f.state === 'warning') {
    q = q.where('d.status', '=', 'running').where('d.due_on', '>=', today).where('d.warn_on', '<=', today);
  }
  if (f.state === 'overdue') q = q.where('d.status', '=', 'running').where('d.due_on', '<', today);
  if (f.departmentId !== undefined) q = q.where('d.department_id', '=', f.departmentId);
  if (f.ruleKey) q = q.where('d.rule_key', '=', f.ruleKey);
  if (f.after) {
    q = q.where(sql<SqlBool>`(d.due_on, d.id) > (${f.after.dueOn}::date, ${f.after.id})`);
  }
  return q.execute();
}

export async function pendingExtensions(db: Executor, deadlineIds: number[]) {
  if (deadlineIds.length === 0) return [];
  return db
    .selectFrom('deadline_extension')
    .selectAll()
    .where('deadline_id', 'in', deadlineIds)
    .where('status', '=', 'pending')
    .execute();
}

export async function extensionsOf(db: Executor, deadlineId: number) {
  return db
    .selectFrom('deadline_extension')
    .selectAll()
    .where('deadline_id', '=', deadlineId)
    .orderBy('id')
    .execute();
}

export async function pausesOf(db: Executor, deadlineId: number) {
  return db
    .selectFrom('deadline_pause')
    .selectAll()
    .where('deadline_id', '=', deadlineId)
    .orderBy('id')
    .execute();
}

export type ExtensionRow = Awaited<ReturnType<typeof extensionsOf>>[number];
export type PauseRow = Awaited<ReturnType<typeof pausesOf>>[number];

/** Active users of a department with their roles' permissions (to find who is notified without an assignee). */
export async function departmentUsersWithPermissions(db: Executor, departmentId: number) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('user_role as ur', 'ur.user_id', 'u.id')
    .leftJoin('role as r', 'r.id', 'ur.role_id')
    .select(['u.id', 'r.permissions'])
    .where('u.department_id', '=', departmentId)
    .where('u.status', '=', 'active')
    .execute();
}
