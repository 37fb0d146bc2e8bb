import { NOTICE_PUBLISHED_EVENT } from '@rongjian/shared/api';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { hasPermission } from '../../platform/auth/permissions.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { putInboxItem } from '../../platform/inbox/inbox.service.ts';
import { appendEvent, systemActor } from '../../platform/ledger/ledger.service.ts';
import { publishToUsers } from '../../platform/notice/notice.service.ts';
import { ESCALATION_SOURCE, dueAt, ORDER_SOURCE, orderHref } from './dispatch.receivers.ts';
import { departmentUsersWith } from './dispatch.repo.ts';

/**
 * 逾期上报 (`dispatch.escalate`, hourly): an open order whose deadline is overdue is escalated once to the heads of
 * its receiving department (所长, or whoever may approve orders there): a notice, an inbox item of priority high,
 * and the ledger event `dispatch.order.escalated`. The claim is the `update … where escalated_at is null returning`,
 * so any number of workers escalate each order exactly once. A transfer clears the mark (new department, new heads).
 * The deadline sweep (platform) has already raised 预警/逾期 to the officers themselves.
 */
export const ESCALATE_JOB = 'dispatch.escalate';
export const ESCALATE_CRON = '15 * * * *';
const BATCH = 200;

export const isHead = (permissions: string[], roles: string[]) =>
  roles.includes('station_head') || hasPermission(permissions, 'dispatch:order:approve');

export async function escalateOverdueOrders(db: Kysely<DB>, today: string = todayInChina()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (tx) => {
      const rows = await tx
        .updateTable('dispatch_order')
        .set({ escalated_at: sql`now()` })
        .where(
          'id',
          'in',
          tx
            .selectFrom('dispatch_order as o')
            .innerJoin('deadline as dl', (j) =>
              j
                .on('dl.subject_id', '=', sql<string>`cast(o.id as text)`)
                .on('dl.subject_type', '=', 'dispatch_order'),
            )
            .select('o.id')
            .where('o.status', 'in', ['pending', 'signed', 'handling'])
            .where('o.escalated_at', 'is', null)
            .where('dl.status', '=', 'running')
            .where('dl.due_on', '<', today)
            .limit(BATCH)
            .forUpdate('o')
            .skipLocked(),
        )
        .where('escalated_at', 'is', null)
        .returning(['id', 'number', 'title', 'department_id', 'due_on', 'urged_at'])
        .execute();
      const heads = new Map<number, number[]>();
      for (const o of rows) {
        const deptId = Number(o.department_id);
        if (!heads.has(deptId)) heads.set(deptId, await departmentUsersWith(tx, deptId, isHead));
        const userIds = heads.get(deptId)!;
        const clues = await tx
          .selectFrom('dispatch_order_clue')
          .select('clue_id')
          .where('order_id', '=', o.id)
          .orderBy('clue_id')
          .execute();
        for (const c of clues.length > 0 ? clues : [{ clue_id: null }]) {
          await appendEvent(tx, {
            actor: systemActor,
            subjectType: 'dispatch_order',
            subjectId: Number(o.id),
            clueId: c.clue_id === null ? null : Number(c.clue_id),
            departmentId: deptId,
            kind: 'dispatch.order.escalated',
            payload: {
              orderId: Number(o.id),
              number: o.number,
              label: '逾期上报',
              dueOn: o.due_on,
              notified: userIds.length,
            },
          });
        }
        await publishToUsers(tx, {
          title: `逾期上报：调度单 ${o.number}`,
          body: `调度单 ${o.number}（${o.title}）已于 ${o.due_on} 届满仍未办结，请督促办理。`,
          level: 'important',
          userIds,
          departmentId: deptId,
        });
        await putInboxItem(tx, {
          source: ESCALATION_SOURCE,
          sourceId: Number(o.id),
          title: `逾期未办结：调度单 ${o.number}`,
          href: orderHref(Number(o.id)),
          departmentId: deptId,
          userIds,
          permission: 'dispatch:order:read',
          dueAt: dueAt(o.due_on),
          priority: 'high',
          clueId: clues[0] ? Number(clues[0].clue_id) : null,
        });
        // The officers' own item rises to high (an urged one stays first).
        const item = await tx
          .selectFrom('dispatch_order_officer')
          .select('user_id')
          .where('order_id', '=', o.id)
          .orderBy('lead', 'desc')
          .orderBy('user_id')
          .execute();
        const full = await tx
          .selectFrom('dispatch_order')
          .select(['status', 'module'])
          .where('id', '=', o.id)
          .executeTakeFirstOrThrow();
        await putInboxItem(tx, {
          source: ORDER_SOURCE,
          sourceId: Number(o.id),
          title: `调度单 ${o.number}（已逾期）：${o.title}`,
          href: orderHref(Number(o.id)),
          departmentId: deptId,
          userIds: item.map((i) => Number(i.user_id)),
          permission: full.status === 'pending' ? 'dispatch:order:sign' : 'dispatch:order:handle',
          dueAt: dueAt(o.due_on),
          priority: o.urged_at ? 'urged' : 'high',
          clueId: clues[0] ? Number(clues[0].clue_id) : null,
        });
      }
      if (rows.length > 0) {
        await appendEvent(tx, {
          actor: systemActor,
          subjectType: 'notice',
          subjectId: 'dispatch',
          departmentId: null,
          kind: NOTICE_PUBLISHED_EVENT,
          payload: {},
        });
      }
      return rows.length;
    });
    total += n;
    if (n < BATCH) break;
  }
  return total;
}

export function registerDispatchJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: ESCALATE_JOB,
    payload: z.object({}),
    cron: ESCALATE_CRON,
    async handler(_payload, run) {
      await escalateOverdueOrders(run.ctx.db);
    },
  });
}
