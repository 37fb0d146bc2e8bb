import {
  CLUE_STATUS_LABELS,
  type ClueStatus,
  DISPATCH_MODULE_LABELS,
  DISPATCH_OUTCOME_LABELS,
  type DispatchModule,
  type DispatchOutcome,
} from '@rongjian/shared/api';
import { sql, type Transaction } from 'kysely';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { createDeadlineService } from '../../platform/deadlines/deadlines.service.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { completeInboxItem, putInboxItem } from '../../platform/inbox/inbox.service.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { edgeFor } from '../clues/clues.machine.ts';
import { createClueService } from '../clues/clues.service.ts';
import { isOpen } from './dispatch.machine.ts';
import { departmentOfficers, MIN_ON_SITE_OFFICERS } from './dispatch.routing.ts';
import { dispatchLimitsSetting } from './dispatch.settings.ts';
import type { DispatchOverride, DispatchStatusCode } from './dispatch.tables.ts';

/**
 * The work-order interface (issue 6 item 9): dispatch creates the receiving module's work order through
 * `createInspectionOrder` (监管) or `createCaseSourceOrder` (执法 案源核查), inside the caller's transaction, and the
 * module reports back through `completeDispatchOrder`. Until the inspection and enforcement modules exist, the
 * default receiver is this module's simple form (the order page records the result). A later module calls
 * `registerOrderReceiver` once at import time and nothing in dispatch changes.
 */
export const ORDER_SOURCE = 'dispatch.order';
export const RETURNED_SOURCE = 'dispatch.returned';
export const TRANSFER_SOURCE = 'dispatch.transfer';
export const EXTENSION_SOURCE = 'dispatch.extension';
export const ESCALATION_SOURCE = 'dispatch.escalation';
export const orderHref = (id: number) => `/dispatch/orders/${id}`;
export const ruleKeyOf = (module: DispatchModule) => `dispatch.${module}`;

export interface OrderPayload {
  /** The clues the order covers (待调度, or 待分拣 — then moved to 待调度 first); the first one leads. */
  clueIds: number[];
  /** The versions the dispatcher saw (optimistic lock), same order as `clueIds`. */
  clueVersions?: number[];
  departmentId: number;
  /** ≥ 2 officers of the department, each with a valid 执法证, not on leave, not in 回避. The first leads. */
  officerIds: number[];
  instructions?: string;
  /** The respondent (default: the lead clue's). */
  entityId?: number | null;
  businessLine?: string | null;
  judgmentId?: number | null;
  ruleId?: number | null;
  /** Set when the dispatcher changed the suggested department or officers. */
  override?: DispatchOverride | null;
  actor: Actor;
}
/** 监管: an inspection task for the department. */
export type InspectionOrderPayload = OrderPayload;
/** 执法: a case source (案源) to verify within the 线索核查 limit. */
export type CaseSourceOrderPayload = OrderPayload;

export interface CreatedOrder {
  id: number;
  number: string;
  module: DispatchModule;
  departmentId: number;
  officerIds: number[];
  clueIds: number[];
  entityId: number | null;
  businessLine: string | null;
  dueOn: string | null;
  instructions: string;
}

export interface OrderResult {
  outcome: DispatchOutcome;
  summary: string;
  attachments?: { name: string; ref: string }[];
}

export interface OrderReceiver {
  name: string;
  /** True for the default receiver: the order page offers the simple result form. */
  simpleForm: boolean;
  /** In the creating transaction, after the order is written: create the module's own task. */
  accept?(tx: Transaction<DB>, ctx: AppContext, order: CreatedOrder): Promise<void>;
}

const SIMPLE_FORM: OrderReceiver = { name: '简易办理（登记结果并办结）', simpleForm: true };
const receivers = new Map<DispatchModule, OrderReceiver>();

/** A module takes over its orders (called once when the module is imported). */
export function registerOrderReceiver(module: DispatchModule, receiver: OrderReceiver): void {
  receivers.set(module, receiver);
}
export const receiverOf = (module: DispatchModule): OrderReceiver => receivers.get(module) ?? SIMPLE_FORM;

/** The 409 a dispatcher sees when someone else acted on the clue first, with its current state. */
export function dispatchConflict(message: string, state?: string): AppError {
  return new AppError('DISPATCH_CONFLICT', message, {
    status: 409,
    ...(state ? { details: [{ path: 'status', message: state }] } : {}),
  });
}

/** `DD` + the day + 4 digits; the counter row's lock makes it unique across API nodes. */
export async function nextOrderNumber(tx: Transaction<DB>, day: string): Promise<string> {
  const row = await tx
    .insertInto('dispatch_day_counter')
    .values({ day, last: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet({ last: sql`dispatch_day_counter.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `DD${day.replace(/-/g, '')}${String(row.last).padStart(4, '0')}`;
}

/** The limit in force on `day` for a module, ready for the deadline service. */
export function limitOf(ctx: Pick<AppContext, 'settings'>, module: DispatchModule, day: string) {
  const v = ctx.settings.getAt(dispatchLimitsSetting, day);
  const effectiveFrom = ctx.settings.effectiveFromAt(dispatchLimitsSetting.key, day) ?? 'default';
  return module === 'inspection'
    ? {
        ruleKey: ruleKeyOf(module),
        label: '监管检查',
        regulation: v.inspectionRegulation,
        ruleEffectiveFrom: effectiveFrom,
        days: v.inspectionDays,
        dayKind: v.inspectionDayKind,
        maxExtensionDays: v.inspectionExtensionDays,
        extensionAfterDue: v.inspectionExtensionAfterDue,
      }
    : {
        ruleKey: ruleKeyOf(module),
        label: '执法线索核查',
        regulation: v.enforcementRegulation,
        ruleEffectiveFrom: effectiveFrom,
        days: v.enforcementDays,
        dayKind: v.enforcementDayKind,
        maxExtensionDays: v.enforcementExtensionDays,
        extensionAfterDue: v.enforcementExtensionAfterDue,
      };
}

/** Check a set of officers for a department: its handlers, available, at least two. Returns them in order. */
export async function checkOfficers(
  tx: Transaction<DB>,
  departmentId: number,
  officerIds: number[],
  entityIds: number[],
): Promise<{ id: number; name: string }[]> {
  const unique = [...new Set(officerIds)];
  if (unique.length !== officerIds.length) {
    throw new AppError('VALIDATION_FAILED', '承办人员不能重复', {
      details: [{ path: 'officerIds', message: '重复' }],
    });
  }
  const all = await departmentOfficers(tx, departmentId, { day: todayInChina(), entityIds });
  const byId = new Map(all.map((o) => [o.id, o]));
  const out: { id: number; name: string }[] = [];
  for (const id of unique) {
    const o = byId.get(id);
    if (!o) {
      throw new AppError('VALIDATION_FAILED', '所选人员不是承办部门有办理权限的在岗人员', {
        details: [{ path: 'officerIds', message: `人员 ${id} 不属于承办部门` }],
      });
    }
    if (o.unavailable.length > 0) {
      throw new AppError('VALIDATION_FAILED', `${o.name}不能承办：${o.unavailable.join('；')}`, {
        details: [{ path: 'officerIds', message: o.unavailable.join('；') }],
      });
    }
    out.push({ id, name: o.name });
  }
  if (out.length < MIN_ON_SITE_OFFICERS) {
    throw new AppError(
      'VALIDATION_FAILED',
      `现场检查和执法核查须由至少 ${MIN_ON_SITE_OFFICERS} 名持有效执法证的人员承办`,
      { details: [{ path: 'officerIds', message: `至少 ${MIN_ON_SITE_OFFICERS} 人` }] },
    );
  }
  return out;
}

async function departmentName(tx: Transaction<DB>, id: number): Promise<string> {
  const d = await tx.selectFrom('department').select('name').where('id', '=', id).executeTakeFirst();
  if (!d) {
    throw new AppError('VALIDATION_FAILED', '承办部门不存在', {
      details: [{ path: 'departmentId', message: '部门不存在' }],
    });
  }
  return d.name;
}

async function createOrder(
  tx: Transaction<DB>,
  ctx: AppContext,
  module: DispatchModule,
  p: OrderPayload,
): Promise<CreatedOrder> {
  const clueIds = [...new Set(p.clueIds)];
  if (clueIds.length === 0 || clueIds.length !== p.clueIds.length) {
    throw new AppError('VALIDATION_FAILED', '线索不能为空或重复', {
      details: [{ path: 'clueIds', message: '无效' }],
    });
  }
  // Lock the clues (in id order, so two dispatchers never deadlock): the second waits, then sees the first's result.
  const locked = await tx
    .selectFrom('clue')
    .selectAll()
    .where(
      'id',
      'in',
      [...clueIds].sort((a, b) => a - b),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
  if (locked.length !== clueIds.length) throw notFound('线索');
  const clues = clueIds.map((id) => locked.find((c) => Number(c.id) === id)!);
  for (const [i, c] of clues.entries()) {
    const status = c.status as ClueStatus;
    const seen = p.clueVersions?.[i];
    if (status !== 'dispatching' && status !== 'sorting') {
      const active = await tx
        .selectFrom('dispatch_order_clue as oc')
        .innerJoin('dispatch_order as o', 'o.id', 'oc.order_id')
        .select(['o.number', 'o.created_by_name'])
        .where('oc.clue_id', '=', Number(c.id))
        .where('oc.active', '=', true)
        .executeTakeFirst();
      throw dispatchConflict(
        `线索 ${c.number} 当前状态为“${CLUE_STATUS_LABELS[status]}”${
          active ? `，已由${active.created_by_name}派出调度单 ${active.number}` : ''
        }，不能再次派单，请刷新后查看`,
        CLUE_STATUS_LABELS[status],
      );
    }
    if (seen !== undefined && seen !== c.version) {
      throw dispatchConflict(
        `线索 ${c.number} 已被他人处理（当前状态“${CLUE_STATUS_LABELS[status]}”），请刷新后重试`,
        CLUE_STATUS_LABELS[status],
      );
    }
  }
  const lead = clues[0]!;
  const entityId = p.entityId ?? (lead.entity_id === null ? null : Number(lead.entity_id));
  const entityIds = [
    ...new Set(
      [entityId, ...clues.map((c) => (c.entity_id === null ? null : Number(c.entity_id)))].filter(
        (x): x is number => x !== null,
      ),
    ),
  ];
  const deptName = await departmentName(tx, p.departmentId);
  const officers = await checkOfficers(tx, p.departmentId, p.officerIds, entityIds);
  const day = todayInChina();
  const number = await nextOrderNumber(tx, day);
  const title =
    clues.length > 1 ? `${lead.title}（等 ${clues.length} 条线索）` : lead.title || `线索 ${lead.number}`;
  const order = await tx
    .insertInto('dispatch_order')
    .values({
      number,
      module,
      status: 'pending',
      title,
      department_id: p.departmentId,
      judgment_id: p.judgmentId ?? null,
      entity_id: entityId,
      business_line: p.businessLine ?? lead.business_line,
      grid_id: lead.grid_id,
      lng: lead.lng,
      lat: lead.lat,
      instructions: p.instructions ?? '',
      rule_id: p.ruleId ?? null,
      override: json(p.override ?? null),
      due_on: null,
      pending_transfer: json(null),
      result: json(null),
      outcome: null,
      return_reason: null,
      urges: json([]),
      urged_at: null,
      escalated_at: null,
      signed_at: null,
      completed_at: null,
      created_by: p.actor.id,
      created_by_name: p.actor.name,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const orderId = Number(order.id);
  try {
    await tx
      .insertInto('dispatch_order_clue')
      .values(clueIds.map((clue_id) => ({ order_id: orderId, clue_id })))
      .execute();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw dispatchConflict('线索已有办理中的调度单，不能重复派单，请刷新后查看');
    }
    throw err;
  }
  await tx
    .insertInto('dispatch_order_officer')
    .values(officers.map((o, i) => ({ order_id: orderId, user_id: o.id, lead: i === 0 })))
    .execute();

  // The clues: 待分拣 → 待调度 first (same transaction), then 办理中.
  const clueService = createClueService(ctx);
  for (const c of clues) {
    if (c.status === 'sorting') {
      await clueService.transitionInternal(tx, p.actor, Number(c.id), {
        action: 'toDispatch',
        note: `派单 ${number}`,
      });
    }
    await clueService.transitionInternal(tx, p.actor, Number(c.id), {
      action: 'startHandling',
      note: `调度单 ${number}：${DISPATCH_MODULE_LABELS[module]}，承办部门 ${deptName}`,
    });
  }

  const limit = limitOf(ctx, module, day);
  const deadline = await createDeadlineService(ctx).start(tx, {
    subjectType: 'dispatch_order',
    subjectId: orderId,
    subjectLabel: `调度单 ${number}`,
    clueId: Number(lead.id),
    departmentId: p.departmentId,
    assigneeId: officers[0]!.id,
    startOn: day,
    ...limit,
  });
  await tx.updateTable('dispatch_order').set({ due_on: deadline.dueOn }).where('id', '=', orderId).execute();

  for (const c of clues) {
    await appendEvent(tx, {
      actor: p.actor,
      subjectType: 'dispatch_order',
      subjectId: orderId,
      clueId: Number(c.id),
      departmentId: p.departmentId,
      kind: 'dispatch.order.created',
      payload: {
        orderId,
        number,
        module,
        label: `派单（${DISPATCH_MODULE_LABELS[module]}）`,
        departmentName: deptName,
        officerNames: officers.map((o) => o.name),
        dueOn: deadline.dueOn,
        text: `${DISPATCH_MODULE_LABELS[module]} → ${deptName}（${officers.map((o) => o.name).join('、')}）`,
        ...(p.override ? { reason: p.override.reason } : {}),
        ...(p.instructions ? { note: p.instructions } : {}),
      },
    });
  }
  await putInboxItem(tx, {
    source: ORDER_SOURCE,
    sourceId: orderId,
    title: `调度单 ${number}（${DISPATCH_MODULE_LABELS[module]}）：${title}`,
    href: orderHref(orderId),
    departmentId: p.departmentId,
    userIds: officers.map((o) => o.id),
    permission: 'dispatch:order:sign',
    dueAt: dueAt(deadline.dueOn),
    priority: 'normal',
    clueId: Number(lead.id),
  });
  // A clue re-dispatched after a 退回: the dispatchers' item about the returned order is done.
  const returned = await tx
    .selectFrom('dispatch_order_clue as oc')
    .innerJoin('dispatch_order as o', 'o.id', 'oc.order_id')
    .select('o.id')
    .where('oc.clue_id', 'in', clueIds)
    .where('o.status', '=', 'returned')
    .execute();
  for (const r of returned) await completeInboxItem(tx, RETURNED_SOURCE, Number(r.id), p.actor.id);

  const created: CreatedOrder = {
    id: orderId,
    number,
    module,
    departmentId: p.departmentId,
    officerIds: officers.map((o) => o.id),
    clueIds,
    entityId,
    businessLine: p.businessLine ?? lead.business_line,
    dueOn: deadline.dueOn,
    instructions: p.instructions ?? '',
  };
  await receiverOf(module).accept?.(tx, ctx, created);
  return created;
}

/** The end of the due day in China (23:59:59 +08:00), for the inbox's due time. */
export const dueAt = (day: string | null) => (day ? new Date(`${day}T23:59:59+08:00`) : null);

/** 监管: create an inspection order (调度单 → 检查任务) in the caller's transaction. */
export function createInspectionOrder(
  tx: Transaction<DB>,
  ctx: AppContext,
  payload: InspectionOrderPayload,
): Promise<CreatedOrder> {
  return createOrder(tx, ctx, 'inspection', payload);
}

/** 执法: create a case-source order (调度单 → 案源登记/核查) in the caller's transaction. */
export function createCaseSourceOrder(
  tx: Transaction<DB>,
  ctx: AppContext,
  payload: CaseSourceOrderPayload,
): Promise<CreatedOrder> {
  return createOrder(tx, ctx, 'enforcement', payload);
}

/**
 * The receiving module reports the order done: the result goes back to every clue of the order (`recordResult` →
 * 待反馈), the deadline is met, the officers' inbox item is done, and the ledger gets `dispatch.order.completed` per
 * clue (`{ orderId, number, module, outcome, summary }`, read by the review report).
 */
export async function completeDispatchOrder(
  tx: Transaction<DB>,
  ctx: AppContext,
  orderId: number,
  result: OrderResult,
  actor: Actor,
): Promise<void> {
  const order = await tx
    .selectFrom('dispatch_order')
    .selectAll()
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!order) throw notFound('调度单');
  if (!isOpen(order.status as DispatchStatusCode)) {
    throw new AppError('DISPATCH_STATE_CONFLICT', `调度单 ${order.number} 已结束，不能再登记结果`, {
      status: 409,
    });
  }
  const summary = result.summary.trim();
  const now = new Date();
  await tx
    .updateTable('dispatch_order')
    .set({
      status: 'completed',
      outcome: result.outcome,
      result: json({
        outcome: result.outcome,
        summary,
        ...(result.attachments ? { attachments: result.attachments } : {}),
        completedBy: actor.name,
        completedAt: now.toISOString(),
      }),
      pending_transfer: json(null),
      completed_at: now,
      updated_at: now,
      version: order.version + 1,
    })
    .where('id', '=', orderId)
    .execute();
  const links = await tx
    .updateTable('dispatch_order_clue')
    .set({ active: false })
    .where('order_id', '=', orderId)
    .returning('clue_id')
    .execute();
  await createDeadlineService(ctx).stop(
    tx,
    { subjectType: 'dispatch_order', subjectId: orderId, ruleKey: ruleKeyOf(order.module) },
    actor,
    'met',
  );
  const outcomeLabel = DISPATCH_OUTCOME_LABELS[result.outcome];
  const clueService = createClueService(ctx);
  const recordable = edgeFor('recordResult').from;
  for (const l of links) {
    const clueId = Number(l.clue_id);
    const clue = await tx.selectFrom('clue').select('status').where('id', '=', clueId).executeTakeFirst();
    if (clue && recordable.includes(clue.status as ClueStatus)) {
      await clueService.transitionInternal(tx, actor, clueId, {
        action: 'recordResult',
        result: `【调度单 ${order.number} · ${outcomeLabel}】${summary}`.slice(0, 5000),
      });
    }
    await appendEvent(tx, {
      actor,
      subjectType: 'dispatch_order',
      subjectId: orderId,
      clueId,
      departmentId: order.department_id,
      kind: 'dispatch.order.completed',
      payload: {
        orderId,
        number: order.number,
        module: order.module,
        outcome: result.outcome,
        summary,
        label: `调度单办结：${outcomeLabel}`,
      },
    });
  }
  await completeInboxItem(tx, ORDER_SOURCE, orderId, actor.id);
  await completeInboxItem(tx, ESCALATION_SOURCE, orderId, actor.id);
  await completeInboxItem(tx, TRANSFER_SOURCE, orderId, actor.id);
}
