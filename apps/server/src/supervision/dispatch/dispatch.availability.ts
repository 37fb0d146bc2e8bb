import {
  type DispatchOfficer,
  type OfficerConflict,
  type OfficerConflictInput,
  type OfficerLeave,
  type OfficerLeaveInput,
  officerConflictInputSchema,
  officerLeaveInputSchema,
} from '@rongjian/shared/api';
import type { Kysely } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';
import { departmentOfficers } from './dispatch.routing.ts';

/**
 * 人员可用性 (page `/dispatch/availability`): officers' leave (请假) and 回避 (an officer who must not handle an entity's
 * matters). Both feed the officer suggestion. Within the manager's data scope: a 所长 manages his 所's people.
 */
type Executor = Kysely<DB>;
const actorOf = (u: SessionUser) => ({ id: u.id, name: u.displayName });

async function scopedUser(db: Executor, viewer: SessionUser, userId: number) {
  const u = await db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.department_id', 'u.display_name'])
    .where('u.id', '=', userId)
    .where((eb) => inDataScope(eb, viewer, { department: 'u.department_id' }))
    .executeTakeFirst();
  if (!u)
    throw new AppError('VALIDATION_FAILED', '人员不存在或不在管理范围内', {
      details: [{ path: 'userId', message: '无效' }],
    });
  return u;
}

export async function listOfficers(
  db: Executor,
  viewer: SessionUser,
  departmentId: number,
): Promise<DispatchOfficer[]> {
  const d = await db
    .selectFrom('department as d')
    .select('d.id')
    .where('d.id', '=', departmentId)
    .where((eb) => inDataScope(eb, viewer, { department: 'd.id' }))
    .executeTakeFirst();
  if (!d) throw notFound('部门');
  return departmentOfficers(db, departmentId, { day: todayInChina(), entityIds: [] });
}

export async function listLeaves(
  db: Executor,
  viewer: SessionUser,
  opts: { current: boolean },
): Promise<OfficerLeave[]> {
  let q = db
    .selectFrom('officer_leave as l')
    .innerJoin('app_user as u', 'u.id', 'l.user_id')
    .innerJoin('department as d', 'd.id', 'u.department_id')
    .selectAll('l')
    .select(['u.display_name', 'd.name as department_name'])
    .where((eb) => inDataScope(eb, viewer, { department: 'u.department_id' }));
  if (opts.current) q = q.where('l.to_on', '>=', todayInChina());
  const rows = await q.orderBy('l.from_on', 'desc').orderBy('l.id', 'desc').limit(500).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    userName: r.display_name,
    departmentName: r.department_name,
    fromOn: r.from_on,
    toOn: r.to_on,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

export async function addLeave(
  db: Executor,
  viewer: SessionUser,
  raw: OfficerLeaveInput,
): Promise<OfficerLeave> {
  const input = officerLeaveInputSchema.parse(raw);
  const u = await scopedUser(db, viewer, input.userId);
  const id = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('officer_leave')
      .values({
        user_id: input.userId,
        from_on: input.fromOn,
        to_on: input.toOn,
        reason: input.reason,
        created_by: viewer.displayName,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(tx, {
      actor: actorOf(viewer),
      subjectType: 'officer_leave',
      subjectId: row.id,
      departmentId: Number(u.department_id),
      kind: 'dispatch.leave.added',
      payload: { userId: input.userId, fromOn: input.fromOn, toOn: input.toOn },
    });
    return Number(row.id);
  });
  return (await listLeaves(db, viewer, { current: false })).find((l) => l.id === id)!;
}

export async function removeLeave(db: Executor, viewer: SessionUser, id: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('officer_leave as l')
      .innerJoin('app_user as u', 'u.id', 'l.user_id')
      .select(['l.id', 'u.department_id'])
      .where('l.id', '=', id)
      .where((eb) => inDataScope(eb, viewer, { department: 'u.department_id' }))
      .executeTakeFirst();
    if (!row) throw notFound('请假记录');
    await tx.deleteFrom('officer_leave').where('id', '=', id).execute();
    await appendEvent(tx, {
      actor: actorOf(viewer),
      subjectType: 'officer_leave',
      subjectId: id,
      departmentId: Number(row.department_id),
      kind: 'dispatch.leave.removed',
      payload: {},
    });
  });
}

export async function listConflicts(db: Executor, viewer: SessionUser): Promise<OfficerConflict[]> {
  const rows = await db
    .selectFrom('officer_conflict as c')
    .innerJoin('app_user as u', 'u.id', 'c.user_id')
    .innerJoin('department as d', 'd.id', 'u.department_id')
    .innerJoin('entity as e', 'e.id', 'c.entity_id')
    .selectAll('c')
    .select(['u.display_name', 'd.name as department_name', 'e.name as entity_name'])
    .where((eb) => inDataScope(eb, viewer, { department: 'u.department_id' }))
    .orderBy('c.id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    userName: r.display_name,
    departmentName: r.department_name,
    entityId: Number(r.entity_id),
    entityName: r.entity_name,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

export async function addConflict(
  db: Executor,
  viewer: SessionUser,
  raw: OfficerConflictInput,
): Promise<OfficerConflict> {
  const input = officerConflictInputSchema.parse(raw);
  const u = await scopedUser(db, viewer, input.userId);
  const e = await db.selectFrom('entity').select('id').where('id', '=', input.entityId).executeTakeFirst();
  if (!e)
    throw new AppError('VALIDATION_FAILED', '经营主体不存在', {
      details: [{ path: 'entityId', message: '不存在' }],
    });
  const id = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('officer_conflict')
      .values({
        user_id: input.userId,
        entity_id: input.entityId,
        reason: input.reason,
        created_by: viewer.displayName,
      })
      .onConflict((oc) => oc.columns(['user_id', 'entity_id']).doUpdateSet({ reason: input.reason }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(tx, {
      actor: actorOf(viewer),
      subjectType: 'officer_conflict',
      subjectId: row.id,
      departmentId: Number(u.department_id),
      kind: 'dispatch.conflict.added',
      payload: { userId: input.userId, entityId: input.entityId },
    });
    return Number(row.id);
  });
  return (await listConflicts(db, viewer)).find((c) => c.id === id)!;
}

export async function removeConflict(db: Executor, viewer: SessionUser, id: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('officer_conflict as c')
      .innerJoin('app_user as u', 'u.id', 'c.user_id')
      .select(['c.id', 'u.department_id'])
      .where('c.id', '=', id)
      .where((eb) => inDataScope(eb, viewer, { department: 'u.department_id' }))
      .executeTakeFirst();
    if (!row) throw notFound('回避记录');
    await tx.deleteFrom('officer_conflict').where('id', '=', id).execute();
    await appendEvent(tx, {
      actor: actorOf(viewer),
      subjectType: 'officer_conflict',
      subjectId: id,
      departmentId: Number(row.department_id),
      kind: 'dispatch.conflict.removed',
      payload: {},
    });
  });
}
