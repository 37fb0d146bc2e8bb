import { BUSINESS_LINES } from '@rongjian/shared';
import { type DispatchRule, type DispatchRuleInput, dispatchRuleInputSchema } from '@rongjian/shared/api';
import type { Kysely } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';

/** 路由规则 as data: list, create, update, delete (page `/dispatch/rules`). */

type Executor = Kysely<DB>;

function selectRules(db: Executor) {
  return db
    .selectFrom('dispatch_rule as r')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .leftJoin('grid as g', 'g.id', 'r.grid_id')
    .leftJoin('department as s', 's.id', 'r.station_id')
    .selectAll('r')
    .select(['d.name as department_name', 'g.name as grid_name', 's.name as station_name']);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectRules>['executeTakeFirstOrThrow']>>;

function toRule(r: Row): DispatchRule {
  return {
    id: Number(r.id),
    name: r.name,
    businessLine: r.business_line,
    gridId: r.grid_id === null ? null : Number(r.grid_id),
    gridName: r.grid_name,
    stationId: r.station_id === null ? null : Number(r.station_id),
    stationName: r.station_name,
    module: r.module,
    departmentId: Number(r.department_id),
    departmentName: r.department_name,
    priority: r.priority,
    enabled: r.enabled,
    note: r.note,
    updatedAt: new Date(r.updated_at).toISOString(),
    updatedBy: r.updated_by,
  };
}

export async function listRules(db: Executor): Promise<DispatchRule[]> {
  const rows = await selectRules(db)
    .orderBy('r.module')
    .orderBy('r.priority', 'desc')
    .orderBy('r.id')
    .execute();
  return rows.map(toRule);
}

async function checkRefs(db: Executor, input: ReturnType<typeof dispatchRuleInputSchema.parse>) {
  const dept = await db
    .selectFrom('department')
    .select('id')
    .where('id', '=', input.departmentId)
    .executeTakeFirst();
  if (!dept) {
    throw new AppError('VALIDATION_FAILED', '接收部门不存在', {
      details: [{ path: 'departmentId', message: '不存在' }],
    });
  }
  if (input.gridId !== null) {
    const g = await db.selectFrom('grid').select('id').where('id', '=', input.gridId).executeTakeFirst();
    if (!g)
      throw new AppError('VALIDATION_FAILED', '网格不存在', {
        details: [{ path: 'gridId', message: '不存在' }],
      });
  }
  if (input.stationId !== null) {
    const s = await db
      .selectFrom('department')
      .select('kind')
      .where('id', '=', input.stationId)
      .executeTakeFirst();
    if (s?.kind !== 'station') {
      throw new AppError('VALIDATION_FAILED', '所选的所不存在', {
        details: [{ path: 'stationId', message: '不是市场监管所' }],
      });
    }
  }
  if (input.businessLine !== null && !(BUSINESS_LINES as readonly string[]).includes(input.businessLine)) {
    throw new AppError('VALIDATION_FAILED', '业务条线无效', {
      details: [{ path: 'businessLine', message: '无效' }],
    });
  }
}

const actorOf = (u: SessionUser) => ({ id: u.id, name: u.displayName });

export async function createRule(
  db: Executor,
  viewer: SessionUser,
  raw: DispatchRuleInput,
): Promise<DispatchRule> {
  const input = dispatchRuleInputSchema.parse(raw);
  await checkRefs(db, input);
  const id = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('dispatch_rule')
      .values({
        name: input.name,
        business_line: input.businessLine,
        grid_id: input.gridId,
        station_id: input.stationId,
        module: input.module,
        department_id: input.departmentId,
        priority: input.priority,
        enabled: input.enabled,
        note: input.note,
        updated_by: viewer.displayName,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(tx, {
      actor: actorOf(viewer),
      subjectType: 'dispatch_rule',
      subjectId: row.id,
      kind: 'dispatch.rule.created',
      payload: { ...input },
    });
    return Number(row.id);
  });
  return toRule(await selectRules(db).where('r.id', '=', id).executeTakeFirstOrThrow());
}

export async function updateRule(
  db: Executor,
  viewer: SessionUser,
  id: number,
  raw: DispatchRuleInput,
): Promise<DispatchRule> {
  const input = dispatchRuleInputSchema.parse(raw);
  await checkRefs(db, input);
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('dispatch_rule')
      .set({
        name: input.name,
        business_line: input.businessLine,
        grid_id: input.gridId,
        station_id: input.stationId,
        module: input.module,
        department_id: input.departmentId,
        priority: input.priority,
        enabled: input.enabled,
        note: input.note,
        updated_by: viewer.displayName,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('路由规则');
    await appendEvent(tx, {
      actor: actorOf(viewer),
      subjectType: 'dispatch_rule',
      subjectId: id,
      kind: 'dispatch.rule.updated',
      payload: { ...input },
    });
  });
  return toRule(await selectRules(db).where('r.id', '=', id).executeTakeFirstOrThrow());
}

export async function deleteRule(db: Executor, viewer: SessionUser, id: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom('dispatch_rule')
      .where('id', '=', id)
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!row) throw notFound('路由规则');
    await appendEvent(tx, {
      actor: actorOf(viewer),
      subjectType: 'dispatch_rule',
      subjectId: id,
      kind: 'dispatch.rule.deleted',
      payload: { name: row.name },
    });
  });
}
