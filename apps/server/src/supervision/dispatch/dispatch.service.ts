import {
  CLUE_STATUS_LABELS,
  type ClueStatus,
  DISPATCH_MODULE_LABELS,
  DISPATCH_STATUS_LABELS,
  type DispatchActionInput,
  type DispatchBoard,
  type DispatchBoardQuery,
  type DispatchModule,
  type DispatchOrderCreate,
  type DispatchOrderDetail,
  type DispatchOrderStatus,
  type DispatchQueue,
  type DispatchSuggestion,
  dispatchOrderCreateSchema,
} from '@rongjian/shared/api';
import { sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import { hasPermission } from '../../platform/auth/permissions.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import { likeContains } from '../../platform/db/like.ts';
import type { DB } from '../../platform/db/schema.ts';
import { createDeadlineService } from '../../platform/deadlines/deadlines.service.ts';
import * as deadlineRules from '../../platform/deadlines/deadlines.rules.ts';
import { deadlineWarningSetting } from '../../platform/deadlines/deadlines.settings.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { completeInboxItem, type InboxPriority, putInboxItem } from '../../platform/inbox/inbox.service.ts';
import { type Actor, appendEvent, subjectTimeline } from '../../platform/ledger/ledger.service.ts';
import { publishToUsers } from '../../platform/notice/notice.service.ts';
import { registerClueHooks } from '../clues/clues.hooks.ts';
import { visibleClues } from '../clues/clues.repo.ts';
import { createClueService } from '../clues/clues.service.ts';
import { DISPATCH_EDGES, dispatchEdge } from './dispatch.machine.ts';
import { boardCounts, boardPage, visibleOrders } from './dispatch.repo.ts';
import {
  checkOfficers,
  completeDispatchOrder,
  createCaseSourceOrder,
  createInspectionOrder,
  dispatchConflict,
  dueAt,
  EXTENSION_SOURCE,
  ESCALATION_SOURCE,
  limitOf,
  ORDER_SOURCE,
  orderHref,
  RETURNED_SOURCE,
  receiverOf,
  ruleKeyOf,
  TRANSFER_SOURCE,
} from './dispatch.receivers.ts';
import { departmentOfficers, MIN_ON_SITE_OFFICERS, rankOfficers, routeClue } from './dispatch.routing.ts';
import { dispatchTransferSetting } from './dispatch.settings.ts';

// A clue in 办理中 goes back to 待调度 only through its order's 退回 while an order is open (the clue page's own
// 退回待调度 serves clues handled without an order). The reason is recorded on the clue's event.
registerClueHooks({
  name: 'dispatch',
  actions: {
    async returnToDispatch(tx, _ctx, { clue, input }) {
      const open = await tx
        .selectFrom('dispatch_order_clue as oc')
        .innerJoin('dispatch_order as o', 'o.id', 'oc.order_id')
        .select('o.number')
        .where('oc.clue_id', '=', Number(clue.id))
        .where('oc.active', '=', true)
        .executeTakeFirst();
      if (open) {
        throw new AppError('CLUE_STATE_CONFLICT', `线索正由调度单 ${open.number} 办理，请在调度单上“退回”`, {
          status: 409,
        });
      }
      return { payload: { reason: input.reason }, resolution: { returnReason: input.reason } };
    },
  },
});

type OrderRow = Awaited<ReturnType<typeof loadOrder>>;

async function loadOrder(tx: Transaction<DB>, viewer: SessionUser | null, id: number) {
  if (viewer) {
    const visible = await visibleOrders(tx, viewer).select('o.id').where('o.id', '=', id).executeTakeFirst();
    if (!visible) throw notFound('调度单');
  }
  const row = await tx
    .selectFrom('dispatch_order')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('调度单');
  return row;
}

const actorOf = (u: SessionUser): Actor => ({ id: u.id, name: u.displayName });

export function createDispatchService(ctx: AppContext) {
  const { db } = ctx;
  const deadlines = createDeadlineService(ctx);

  async function orderClues(tx: Transaction<DB> | AppContext['db'], orderId: number) {
    return tx
      .selectFrom('dispatch_order_clue as oc')
      .innerJoin('clue as c', 'c.id', 'oc.clue_id')
      .select(['c.id', 'c.number', 'c.status', 'c.title'])
      .where('oc.order_id', '=', orderId)
      .orderBy('c.id')
      .execute();
  }

  async function officerIdsOf(tx: Transaction<DB>, orderId: number): Promise<number[]> {
    const rows = await tx
      .selectFrom('dispatch_order_officer')
      .select('user_id')
      .where('order_id', '=', orderId)
      .orderBy('lead', 'desc')
      .orderBy('user_id')
      .execute();
    return rows.map((r) => Number(r.user_id));
  }

  const priorityOf = (o: { urged_at: Date | null; escalated_at: Date | null }): InboxPriority =>
    o.urged_at ? 'urged' : o.escalated_at ? 'high' : 'normal';

  /** The officers' inbox item for an open order (upsert: state, due day and priority follow the order). */
  async function putOrderItem(tx: Transaction<DB>, orderId: number) {
    const o = await tx
      .selectFrom('dispatch_order')
      .selectAll()
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    const clues = await orderClues(tx, orderId);
    await putInboxItem(tx, {
      source: ORDER_SOURCE,
      sourceId: orderId,
      title: `调度单 ${o.number}（${DISPATCH_MODULE_LABELS[o.module]}·${DISPATCH_STATUS_LABELS[o.status]}）：${o.title}`,
      href: orderHref(orderId),
      departmentId: Number(o.department_id),
      userIds: await officerIdsOf(tx, orderId),
      permission: o.status === 'pending' ? 'dispatch:order:sign' : 'dispatch:order:handle',
      dueAt: dueAt(o.due_on),
      priority: priorityOf(o),
      clueId: clues[0] ? Number(clues[0].id) : null,
    });
  }

  /** One ledger event per clue of the order (so each clue's timeline shows it); the order's page dedupes. */
  async function orderEvent(
    tx: Transaction<DB>,
    actor: Actor,
    o: { id: number; number: string; department_id: number },
    kind: string,
    payload: Record<string, unknown>,
    clueIds?: number[],
  ) {
    const ids = clueIds ?? (await orderClues(tx, Number(o.id))).map((c) => Number(c.id));
    for (const clueId of ids.length > 0 ? ids : [null]) {
      await appendEvent(tx, {
        actor,
        subjectType: 'dispatch_order',
        subjectId: Number(o.id),
        clueId,
        departmentId: Number(o.department_id),
        kind,
        payload: { orderId: Number(o.id), number: o.number, ...payload },
      });
    }
  }

  async function openDeadline(tx: Transaction<DB>, o: OrderRow) {
    const all = await deadlines.forSubject(tx, 'dispatch_order', Number(o.id));
    return all
      .filter((d) => d.ruleKey === ruleKeyOf(o.module) && (d.status === 'running' || d.status === 'paused'))
      .at(-1);
  }

  async function applyTransfer(
    tx: Transaction<DB>,
    o: OrderRow,
    to: { departmentId: number; officerIds: number[] | null; reason: string },
    actor: Actor,
  ) {
    if (to.departmentId === Number(o.department_id)) {
      throw new AppError('VALIDATION_FAILED', '转办的部门应与当前承办部门不同', {
        details: [{ path: 'departmentId', message: '与当前部门相同' }],
      });
    }
    const dept = await tx
      .selectFrom('department')
      .select('name')
      .where('id', '=', to.departmentId)
      .executeTakeFirst();
    if (!dept) {
      throw new AppError('VALIDATION_FAILED', '转办的部门不存在', {
        details: [{ path: 'departmentId', message: '不存在' }],
      });
    }
    const entityIds = o.entity_id === null ? [] : [Number(o.entity_id)];
    let officerIds = to.officerIds;
    if (!officerIds) {
      const ranked = rankOfficers(
        await departmentOfficers(tx, to.departmentId, { day: todayInChina(), entityIds }),
      );
      officerIds = ranked.slice(0, MIN_ON_SITE_OFFICERS).map((x) => x.id);
    }
    const officers = await checkOfficers(tx, to.departmentId, officerIds, entityIds);
    const from = await tx
      .selectFrom('department')
      .select('name')
      .where('id', '=', o.department_id)
      .executeTakeFirst();
    await tx
      .updateTable('dispatch_order')
      .set({
        department_id: to.departmentId,
        status: 'pending',
        signed_at: null,
        pending_transfer: json(null),
        escalated_at: null,
        updated_at: new Date(),
      })
      .where('id', '=', o.id)
      .execute();
    await tx.deleteFrom('dispatch_order_officer').where('order_id', '=', o.id).execute();
    await tx
      .insertInto('dispatch_order_officer')
      .values(officers.map((x, i) => ({ order_id: Number(o.id), user_id: x.id, lead: i === 0 })))
      .execute();
    // The limit keeps running (a transfer does not restart the clock); it now belongs to the new department.
    await deadlines.reassign(
      tx,
      { subjectType: 'dispatch_order', subjectId: Number(o.id) },
      { departmentId: to.departmentId, assigneeId: officers[0]!.id },
      actor,
    );
    await orderEvent(tx, actor, { ...o, department_id: to.departmentId }, 'dispatch.order.transferred', {
      label: `转办：${from?.name ?? ''} → ${dept.name}`,
      fromDepartmentName: from?.name ?? null,
      departmentName: dept.name,
      officerNames: officers.map((x) => x.name),
      reason: to.reason,
    });
    await completeInboxItem(tx, TRANSFER_SOURCE, Number(o.id), actor.id);
    await completeInboxItem(tx, ESCALATION_SOURCE, Number(o.id), actor.id);
    await putOrderItem(tx, Number(o.id));
  }

  async function act(viewer: SessionUser, id: number, input: DispatchActionInput): Promise<void> {
    const actor = actorOf(viewer);
    await db.transaction().execute(async (tx) => {
      const o = await loadOrder(tx, viewer, id);
      const status = o.status as DispatchOrderStatus;
      const edge = dispatchEdge(input.action);
      if (!hasPermission(viewer.permissions, edge.permission)) {
        throw new AppError('FORBIDDEN', `没有“${edge.label}”的权限`);
      }
      if (!edge.from.includes(status)) {
        throw new AppError(
          'DISPATCH_STATE_CONFLICT',
          `调度单当前状态为“${DISPATCH_STATUS_LABELS[status]}”，不能${edge.label}`,
          { status: 409, details: [{ path: 'status', message: DISPATCH_STATUS_LABELS[status] }] },
        );
      }
      if (o.version !== input.version) {
        throw new AppError(
          'VERSION_CONFLICT',
          `调度单已被他人处理（当前状态“${DISPATCH_STATUS_LABELS[status]}”），请刷新后重试`,
          { details: [{ path: 'status', message: DISPATCH_STATUS_LABELS[status] }] },
        );
      }
      for (const field of edge.requires ?? []) {
        const v = (input as Record<string, unknown>)[field];
        if (v === undefined || v === '') {
          throw new AppError('VALIDATION_FAILED', `${edge.label}需要填写${FIELD_LABELS[field] ?? field}`, {
            details: [{ path: field, message: '必填' }],
          });
        }
      }
      // Every action moves the version: two people acting on the same order at once → one wins.
      await tx
        .updateTable('dispatch_order')
        .set({ version: o.version + 1, updated_at: new Date() })
        .where('id', '=', o.id)
        .execute();
      const orderId = Number(o.id);
      switch (input.action) {
        case 'sign': {
          await tx
            .updateTable('dispatch_order')
            .set({ status: 'signed', signed_at: new Date() })
            .where('id', '=', orderId)
            .execute();
          await orderEvent(tx, actor, o, 'dispatch.order.signed', { label: '签收调度单' });
          await putOrderItem(tx, orderId);
          return;
        }
        case 'start': {
          await tx
            .updateTable('dispatch_order')
            .set({ status: 'handling' })
            .where('id', '=', orderId)
            .execute();
          await orderEvent(tx, actor, o, 'dispatch.order.started', { label: '开始办理' });
          await putOrderItem(tx, orderId);
          return;
        }
        case 'complete': {
          const receiver = receiverOf(o.module);
          if (!receiver.simpleForm) {
            throw new AppError(
              'DISPATCH_STATE_CONFLICT',
              `该调度单由“${receiver.name}”办理，结果由其回传，不能在此登记`,
              { status: 409 },
            );
          }
          await completeDispatchOrder(
            tx,
            ctx,
            orderId,
            { outcome: input.outcome!, summary: input.summary! },
            actor,
          );
          return;
        }
        case 'return': {
          const reason = input.reason!;
          await tx
            .updateTable('dispatch_order')
            .set({ status: 'returned', return_reason: reason, pending_transfer: json(null) })
            .where('id', '=', orderId)
            .execute();
          const links = await tx
            .updateTable('dispatch_order_clue')
            .set({ active: false })
            .where('order_id', '=', orderId)
            .returning('clue_id')
            .execute();
          await deadlines.stop(
            tx,
            { subjectType: 'dispatch_order', subjectId: orderId, ruleKey: ruleKeyOf(o.module) },
            actor,
            'cancelled',
          );
          const clueService = createClueService(ctx);
          for (const l of links) {
            const c = await tx
              .selectFrom('clue')
              .select('status')
              .where('id', '=', l.clue_id)
              .executeTakeFirst();
            if (c?.status === 'handling') {
              await clueService.transitionInternal(tx, actor, Number(l.clue_id), {
                action: 'returnToDispatch',
                reason: `调度单 ${o.number} 退回：${reason}`.slice(0, 1000),
              });
            }
          }
          const dept = await tx
            .selectFrom('department')
            .select('name')
            .where('id', '=', o.department_id)
            .executeTakeFirst();
          await orderEvent(
            tx,
            actor,
            o,
            'dispatch.order.returned',
            { label: '调度单退回', reason, departmentName: dept?.name ?? null },
            links.map((l) => Number(l.clue_id)),
          );
          for (const s of [ORDER_SOURCE, TRANSFER_SOURCE, ESCALATION_SOURCE]) {
            await completeInboxItem(tx, s, orderId, actor.id);
          }
          await putInboxItem(tx, {
            source: RETURNED_SOURCE,
            sourceId: orderId,
            title: `调度单 ${o.number} 被${dept?.name ?? ''}退回，请重新调度`,
            href: orderHref(orderId),
            departmentId: null,
            permission: 'dispatch:order:create',
            priority: 'high',
            clueId: links[0] ? Number(links[0].clue_id) : null,
          });
          return;
        }
        case 'transfer': {
          if (o.pending_transfer) throw conflict('已有待审批的转办申请，请等待审批结果');
          const to = {
            departmentId: input.departmentId!,
            officerIds: input.officerIds ?? null,
            reason: input.reason!,
          };
          if (!ctx.settings.get(dispatchTransferSetting).enabled) {
            await applyTransfer(tx, o, to, actor);
            return;
          }
          if (to.departmentId === Number(o.department_id)) {
            throw new AppError('VALIDATION_FAILED', '转办的部门应与当前承办部门不同', {
              details: [{ path: 'departmentId', message: '与当前部门相同' }],
            });
          }
          const dept = await tx
            .selectFrom('department')
            .select('name')
            .where('id', '=', to.departmentId)
            .executeTakeFirst();
          if (!dept) {
            throw new AppError('VALIDATION_FAILED', '转办的部门不存在', {
              details: [{ path: 'departmentId', message: '不存在' }],
            });
          }
          await tx
            .updateTable('dispatch_order')
            .set({
              pending_transfer: json({
                toDepartmentId: to.departmentId,
                officerIds: to.officerIds,
                reason: to.reason,
                requestedById: actor.id,
                requestedBy: actor.name,
                requestedAt: new Date().toISOString(),
              }),
            })
            .where('id', '=', orderId)
            .execute();
          await orderEvent(tx, actor, o, 'dispatch.order.transfer_requested', {
            label: `申请转办至${dept.name}`,
            departmentName: dept.name,
            reason: to.reason,
          });
          await putInboxItem(tx, {
            source: TRANSFER_SOURCE,
            sourceId: orderId,
            title: `转办审批：调度单 ${o.number} 申请转至${dept.name}`,
            href: orderHref(orderId),
            departmentId: Number(o.department_id),
            permission: 'dispatch:order:approve',
            priority: 'high',
            clueId: null,
          });
          return;
        }
        case 'approveTransfer':
        case 'rejectTransfer': {
          const pending = o.pending_transfer;
          if (!pending) throw conflict('没有待审批的转办申请');
          if (pending.requestedById !== null && pending.requestedById === actor.id) {
            throw new AppError('SELF_APPROVAL', '转办申请须由申请人以外的人员审批', { status: 403 });
          }
          if (input.action === 'approveTransfer') {
            await applyTransfer(
              tx,
              o,
              {
                departmentId: pending.toDepartmentId,
                officerIds: pending.officerIds,
                reason: pending.reason,
              },
              actor,
            );
          } else {
            await tx
              .updateTable('dispatch_order')
              .set({ pending_transfer: json(null) })
              .where('id', '=', orderId)
              .execute();
            await orderEvent(tx, actor, o, 'dispatch.order.transfer_rejected', {
              label: '转办被驳回',
              note: input.note ?? input.reason ?? '',
            });
            await completeInboxItem(tx, TRANSFER_SOURCE, orderId, actor.id);
          }
          return;
        }
        case 'extend': {
          const d = await openDeadline(tx, o);
          if (!d) throw conflict('调度单没有进行中的办理时限');
          const ext = await deadlines.requestExtension(tx, d.id, actor, {
            days: input.days!,
            reason: input.reason!,
          });
          await putInboxItem(tx, {
            source: EXTENSION_SOURCE,
            sourceId: ext.id,
            title: `延期审批：调度单 ${o.number} 申请延长 ${ext.days} 天`,
            href: orderHref(orderId),
            departmentId: Number(o.department_id),
            permission: 'dispatch:order:approve',
            priority: 'high',
            clueId: null,
          });
          return;
        }
        case 'decideExtension': {
          const d = await openDeadline(tx, o);
          if (!d || d.pendingExtension?.id !== input.extensionId) throw notFound('延期申请');
          const after = await deadlines.decideExtension(
            tx,
            input.extensionId!,
            actor,
            input.approve!,
            input.note ?? '',
          );
          await tx
            .updateTable('dispatch_order')
            .set({ due_on: after.dueOn })
            .where('id', '=', orderId)
            .execute();
          await completeInboxItem(tx, EXTENSION_SOURCE, input.extensionId!, actor.id);
          await putOrderItem(tx, orderId);
          return;
        }
        case 'urge': {
          const message = input.message!;
          const urges = [...(o.urges ?? []), { at: new Date().toISOString(), by: actor.name, message }];
          await tx
            .updateTable('dispatch_order')
            .set({ urges: json(urges), urged_at: new Date() })
            .where('id', '=', orderId)
            .execute();
          await orderEvent(tx, actor, o, 'dispatch.order.urged', { label: '督办', text: message });
          await publishToUsers(tx, {
            title: `督办：调度单 ${o.number}`,
            body: `${actor.name}督办调度单 ${o.number}（${o.title}）：${message}`,
            level: 'important',
            userIds: await officerIdsOf(tx, orderId),
            departmentId: Number(o.department_id),
            authorName: actor.name,
          });
          await putOrderItem(tx, orderId);
          return;
        }
      }
    });
  }

  return {
    machine() {
      return {
        states: (Object.keys(DISPATCH_STATUS_LABELS) as DispatchOrderStatus[]).map((value) => ({
          value,
          label: DISPATCH_STATUS_LABELS[value],
        })),
        edges: DISPATCH_EDGES.map((e) => ({
          action: e.action,
          label: e.label,
          from: [...e.from],
          to: e.to,
          permission: e.permission,
        })),
      };
    },

    /** Department (by the routing rules) and officers (available, least loaded first) for a clue. */
    async suggest(
      viewer: SessionUser,
      q: { clueId: number; module: DispatchModule; departmentId?: number },
    ): Promise<DispatchSuggestion> {
      const clue = await visibleClues(db, viewer)
        .select(['c.id', 'c.business_line', 'c.grid_id', 'c.station_id', 'c.department_id', 'c.entity_id'])
        .where('c.id', '=', q.clueId)
        .executeTakeFirst();
      if (!clue) throw notFound('线索');
      const route = await routeClue(
        db,
        {
          businessLine: clue.business_line,
          gridId: clue.grid_id === null ? null : Number(clue.grid_id),
          stationId: clue.station_id === null ? null : Number(clue.station_id),
          departmentId: clue.department_id === null ? null : Number(clue.department_id),
        },
        q.module,
      );
      const why = [...route.why];
      const departmentId = q.departmentId ?? route.departmentId;
      if (q.departmentId && q.departmentId !== route.departmentId)
        why.push('已手动改选承办部门（派单时须说明原因）');
      const day = todayInChina();
      const limit = limitOf(ctx, q.module, day);
      const s = await deadlineRules.schedule(ctx.calendar, {
        startOn: day,
        days: limit.days,
        dayKind: limit.dayKind,
        extendedDays: 0,
        pauses: [],
        ratio: ctx.settings.get(deadlineWarningSetting),
      });
      const dept =
        departmentId === null
          ? undefined
          : await db
              .selectFrom('department')
              .select(['id', 'name'])
              .where('id', '=', departmentId)
              .executeTakeFirst();
      if (departmentId !== null && !dept) {
        throw new AppError('VALIDATION_FAILED', '承办部门不存在', {
          details: [{ path: 'departmentId', message: '不存在' }],
        });
      }
      const all = dept
        ? await departmentOfficers(db, Number(dept.id), {
            day,
            entityIds: clue.entity_id === null ? [] : [Number(clue.entity_id)],
          })
        : [];
      const ranked = rankOfficers(all);
      const minOfficers = MIN_ON_SITE_OFFICERS;
      return {
        clueId: Number(clue.id),
        module: q.module,
        department: dept ? { id: Number(dept.id), name: dept.name } : null,
        routedDepartmentId: route.departmentId,
        rule: route.rule,
        why,
        officers: ranked.map((o, i) => ({
          ...o,
          why: `执法证有效（至 ${o.certValidUntil}），在办调度单 ${o.openOrders} 件${i < minOfficers ? '，工作量最少' : ''}`,
        })),
        skipped: all
          .filter((o) => o.unavailable.length > 0)
          .map((o) => ({ id: o.id, name: o.name, reasons: o.unavailable })),
        minOfficers,
        enough: ranked.length >= minOfficers,
        limit: {
          label: limit.label,
          regulation: limit.regulation,
          days: limit.days,
          dayKind: limit.dayKind,
          maxExtensionDays: limit.maxExtensionDays,
          dueOn: s.dueOn,
        },
      };
    },

    /** 派单: from the dialog (a judgment's clues, or clues straight from intake). */
    async create(viewer: SessionUser, raw: DispatchOrderCreate): Promise<{ id: number; number: string }> {
      const input = dispatchOrderCreateSchema.parse(raw);
      if (input.clueVersions && input.clueVersions.length !== input.clueIds.length) {
        throw new AppError('VALIDATION_FAILED', '线索版本号与线索数量不一致', {
          details: [{ path: 'clueVersions', message: '数量不一致' }],
        });
      }
      // Clues outside the dispatcher's scope do not exist for him.
      const visible = await visibleClues(db, viewer)
        .select('c.id')
        .where('c.id', 'in', input.clueIds)
        .execute();
      if (visible.length !== new Set(input.clueIds).size) throw notFound('线索');
      const suggestion = await this.suggest(viewer, { clueId: input.clueIds[0]!, module: input.module });
      const suggestedOfficers = suggestion.officers.slice(0, suggestion.minOfficers).map((o) => o.id);
      const sameOfficers =
        suggestedOfficers.length === input.officerIds.length &&
        [...suggestedOfficers].sort().join() === [...input.officerIds].sort().join();
      const overridden = suggestion.department?.id !== input.departmentId || !sameOfficers;
      if (overridden && !input.overrideReason) {
        // Someone may have dispatched the clue meanwhile (the suggestion moved with his order): that is the answer.
        const taken = await db
          .selectFrom('clue')
          .select(['number', 'status'])
          .where('id', 'in', input.clueIds)
          .where('status', 'not in', ['dispatching', 'sorting'])
          .executeTakeFirst();
        if (taken) {
          const label = CLUE_STATUS_LABELS[taken.status as ClueStatus];
          throw dispatchConflict(
            `线索 ${taken.number} 当前状态为“${label}”，已被他人处理，请刷新后查看`,
            label,
          );
        }
        throw new AppError('VALIDATION_FAILED', '改变了建议的承办部门或人员，请填写调整原因', {
          details: [{ path: 'overrideReason', message: '必填' }],
        });
      }
      const payload = {
        clueIds: input.clueIds,
        clueVersions: input.clueVersions,
        departmentId: input.departmentId,
        officerIds: input.officerIds,
        instructions: input.instructions,
        judgmentId: input.judgmentId ?? null,
        ruleId: suggestion.department?.id === input.departmentId ? (suggestion.rule?.id ?? null) : null,
        override: overridden
          ? {
              reason: input.overrideReason!,
              suggestedDepartmentId: suggestion.department?.id ?? null,
              suggestedOfficerIds: suggestedOfficers,
            }
          : null,
        actor: actorOf(viewer),
      };
      const created = await db
        .transaction()
        .execute((tx) =>
          input.module === 'inspection'
            ? createInspectionOrder(tx, ctx, payload)
            : createCaseSourceOrder(tx, ctx, payload),
        );
      return { id: created.id, number: created.number };
    },

    act,

    async board(viewer: SessionUser, f: DispatchBoardQuery): Promise<DispatchBoard> {
      const today = todayInChina();
      const limit = f.limit ?? 50;
      const [rows, counts] = await Promise.all([
        boardPage(db, viewer, f, today),
        boardCounts(db, viewer, f, today),
      ]);
      const items = rows.slice(0, limit);
      return {
        items,
        nextAfter: rows.length > limit ? (items.at(-1)?.id ?? null) : null,
        counts,
        today,
      };
    },

    /** 待调度 queue: clues in dispatching within the viewer's scope, newest first. */
    async queue(
      viewer: SessionUser,
      f: { q?: string; after?: number; limit: number },
    ): Promise<DispatchQueue> {
      let q = visibleClues(db, viewer).where('c.status', '=', 'dispatching');
      if (f.after) q = q.where('c.id', '<', f.after);
      if (f.q) {
        const text = f.q;
        q = q.where((eb) =>
          eb.or([
            eb('c.number', '=', text.toUpperCase()),
            eb('c.respondent_name', 'like', likeContains(text)),
            eb('c.title', 'like', likeContains(text)),
          ]),
        );
      }
      const rows = await q
        .select([
          'c.id',
          'c.number',
          'c.title',
          'c.kind',
          'c.business_line',
          'c.received_at',
          'd.name as department_name',
          'g.name as grid_name',
          'c.respondent_name',
          'c.lng',
          'c.lat',
          'c.version',
          sql<
            string | null
          >`(select o.return_reason from dispatch_order_clue oc join dispatch_order o on o.id = oc.order_id
            where oc.clue_id = c.id and o.status = 'returned' order by o.id desc limit 1)`.as(
            'returned_reason',
          ),
        ])
        .orderBy('c.id', 'desc')
        .limit(f.limit + 1)
        .execute();
      const items = rows.slice(0, f.limit).map((r) => ({
        id: Number(r.id),
        number: r.number,
        title: r.title,
        kind: r.kind,
        businessLine: r.business_line,
        receivedAt: new Date(r.received_at).toISOString(),
        departmentName: r.department_name,
        gridName: r.grid_name,
        respondentName: r.respondent_name,
        location: r.lng !== null && r.lat !== null ? { lng: Number(r.lng), lat: Number(r.lat) } : null,
        version: r.version,
        returnedReason: r.returned_reason,
      }));
      return { items, nextAfter: rows.length > f.limit ? (items.at(-1)?.id ?? null) : null };
    },

    async get(viewer: SessionUser, id: number): Promise<DispatchOrderDetail> {
      const today = todayInChina();
      const rows = await boardPage(db, viewer, { status: 'all', limit: 1, id }, today);
      const summary = rows[0];
      if (!summary) throw notFound('调度单');
      const o = await db
        .selectFrom('dispatch_order as o')
        .leftJoin('entity as e', 'e.id', 'o.entity_id')
        .leftJoin('dispatch_rule as r', 'r.id', 'o.rule_id')
        .selectAll('o')
        .select(['e.name as entity_name', 'r.name as rule_name'])
        .where('o.id', '=', id)
        .executeTakeFirstOrThrow();
      const [officers, clues, deadlineList, events] = await Promise.all([
        db
          .selectFrom('dispatch_order_officer as oo')
          .innerJoin('app_user as u', 'u.id', 'oo.user_id')
          .select(['u.id', 'u.display_name', 'u.cert_no', 'oo.lead'])
          .where('oo.order_id', '=', id)
          .orderBy('oo.lead', 'desc')
          .orderBy('u.id')
          .execute(),
        db
          .selectFrom('dispatch_order_clue as oc')
          .innerJoin('clue as c', 'c.id', 'oc.clue_id')
          .select([
            'c.id',
            'c.number',
            'c.title',
            'c.status',
            'c.business_line',
            'c.respondent_name',
            'c.lng',
            'c.lat',
          ])
          .where('oc.order_id', '=', id)
          .orderBy('c.id')
          .execute(),
        deadlines.forSubject(db, 'dispatch_order', id),
        subjectTimeline(db, 'dispatch_order', id, { limit: 1000 }),
      ]);
      const names = async (ids: number[]) =>
        ids.length === 0
          ? []
          : (
              await db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', ids).execute()
            ).map((u) => u.display_name);
      const deptName = async (deptId: number | null) =>
        deptId === null
          ? null
          : ((await db.selectFrom('department').select('name').where('id', '=', deptId).executeTakeFirst())
              ?.name ?? null);
      // One event per clue for multi-clue orders: the order's own timeline shows each once.
      const seen = new Set<string>();
      const timeline = events.filter((e) => {
        const key = `${e.kind}|${e.occurredAt}|${e.actorName}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const receiver = receiverOf(o.module);
      const status = o.status as DispatchOrderStatus;
      const actions = DISPATCH_EDGES.filter(
        (e) =>
          e.from.includes(status) &&
          hasPermission(viewer.permissions, e.permission) &&
          !(e.action === 'complete' && !receiver.simpleForm) &&
          !((e.action === 'approveTransfer' || e.action === 'rejectTransfer') && !o.pending_transfer) &&
          !(e.action === 'transfer' && o.pending_transfer),
      ).map((e) => ({ action: e.action, label: e.label }));
      const deadline =
        deadlineList.filter((d) => d.ruleKey === ruleKeyOf(o.module)).at(-1) ?? deadlineList.at(-1) ?? null;
      const pt = o.pending_transfer;
      return {
        ...summary,
        instructions: o.instructions,
        judgmentId: o.judgment_id === null ? null : Number(o.judgment_id),
        entityId: o.entity_id === null ? null : Number(o.entity_id),
        entityName: o.entity_name,
        ruleName: o.rule_name,
        override: o.override
          ? {
              reason: o.override.reason,
              suggestedDepartmentName: await deptName(o.override.suggestedDepartmentId),
              suggestedOfficerNames: await names(o.override.suggestedOfficerIds),
            }
          : null,
        officers: officers.map((u) => ({
          id: Number(u.id),
          name: u.display_name,
          certNo: u.cert_no,
          lead: u.lead,
        })),
        clues: clues.map((c) => ({
          id: Number(c.id),
          number: c.number,
          title: c.title,
          status: c.status as ClueStatus,
          businessLine: c.business_line,
          respondentName: c.respondent_name,
          location: c.lng !== null && c.lat !== null ? { lng: Number(c.lng), lat: Number(c.lat) } : null,
        })),
        deadline,
        pendingTransfer: pt
          ? {
              toDepartmentId: pt.toDepartmentId,
              toDepartmentName: (await deptName(pt.toDepartmentId)) ?? '',
              reason: pt.reason,
              requestedBy: pt.requestedBy,
              requestedAt: pt.requestedAt,
            }
          : null,
        result: o.result
          ? {
              outcome: o.result.outcome,
              summary: o.result.summary,
              completedBy: o.result.completedBy,
              completedAt: o.result.completedAt,
            }
          : null,
        returnReason: o.return_reason,
        urges: o.urges ?? [],
        receiver: { name: receiver.name, simpleForm: receiver.simpleForm },
        timeline: timeline.map((e) => ({
          id: e.id,
          occurredAt: e.occurredAt,
          actorName: e.actorName,
          kind: e.kind,
          payload: e.payload,
        })),
        actions,
        version: o.version,
      };
    },
  };
}

export type DispatchService = ReturnType<typeof createDispatchService>;

const conflict = (message: string) => new AppError('DISPATCH_STATE_CONFLICT', message, { status: 409 });

const FIELD_LABELS: Record<string, string> = {
  outcome: '办理结果',
  summary: '办理情况',
  reason: '原因',
  departmentId: '转办部门',
  days: '延长天数',
  extensionId: '延期申请',
  approve: '审批意见',
  message: '督办意见',
};
