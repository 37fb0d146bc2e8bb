import type { ClueStatus } from '@rongjian/shared/api';
import type { Transaction } from 'kysely';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import {
  type ComplaintRuleKey,
  createDeadlineService,
  type DeadlineService,
} from '../../platform/deadlines/deadlines.service.ts';
import type { Actor } from '../../platform/ledger/ledger.service.ts';
import { type ClueRow, registerClueHooks } from './clues.hooks.ts';

/**
 * The legal limits of a clue (DOMAIN.md §1), started and stopped as the clue moves — always with the rule version
 * in force on the day of receipt, whatever day the step happens:
 *   投诉: 受理决定 from receipt until the decision (accepted, refused, transferred, answered);
 *         调解 from acceptance (转调度) until the result is recorded.
 *   举报: 核查 from receipt until the result is recorded; 告知 of a real-name informant from the result until
 *         the clue is closed (the reply is part of closing).
 * 并案 cancels the merged clue's limits: the surviving clue carries the duty.
 */
const services = new WeakMap<AppContext, DeadlineService>();
function deadlines(ctx: AppContext): DeadlineService {
  let s = services.get(ctx);
  if (!s) {
    s = createDeadlineService({ db: ctx.db, calendar: ctx.calendar, settings: ctx.settings });
    services.set(ctx, s);
  }
  return s;
}

const ALL_KEYS: ComplaintRuleKey[] = [
  'complaint.accept',
  'complaint.mediation',
  'report.verify',
  'report.reply',
];
const DECIDED: readonly ClueStatus[] = ['analysing', 'dispatching', 'direct', 'rejected', 'transferred'];
const ENDED: readonly ClueStatus[] = ['direct', 'rejected', 'transferred', 'closed'];

async function start(
  tx: Transaction<DB>,
  ctx: AppContext,
  clue: ClueRow,
  key: ComplaintRuleKey,
  startOn: string,
) {
  const svc = deadlines(ctx);
  await svc.open(tx, {
    subjectType: 'clue',
    subjectId: clue.id,
    subjectLabel: clue.number,
    clueId: Number(clue.id),
    departmentId: clue.department_id === null ? null : Number(clue.department_id),
    startOn,
    // The rule of the receipt day, also for limits that start later.
    ...svc.complaintRule(key, clue.receipt_day),
  });
}

const stop = (
  tx: Transaction<DB>,
  ctx: AppContext,
  clue: ClueRow,
  key: ComplaintRuleKey,
  actor: Actor,
  outcome: 'met' | 'cancelled',
) => deadlines(ctx).stop(tx, { subjectType: 'clue', subjectId: clue.id, ruleKey: key }, actor, outcome);

registerClueHooks({
  name: 'deadlines',
  async afterIntake(tx, ctx, clue) {
    if (clue.kind === 'complaint') await start(tx, ctx, clue, 'complaint.accept', clue.receipt_day);
    if (clue.kind === 'report') await start(tx, ctx, clue, 'report.verify', clue.receipt_day);
  },
  async afterTransition(tx, ctx, { before, after, actor }) {
    const from = before.status as ClueStatus;
    const to = after.status as ClueStatus;
    const today = todayInChina();
    if (to === 'merged') {
      for (const key of ALL_KEYS) await stop(tx, ctx, after, key, actor, 'cancelled');
      return;
    }
    if ((from === 'registering' || from === 'sorting') && DECIDED.includes(to)) {
      await stop(tx, ctx, after, 'complaint.accept', actor, 'met');
      if (after.kind === 'complaint' && to === 'dispatching') {
        await start(tx, ctx, after, 'complaint.mediation', today);
      }
    }
    if (from === 'analysing' && to === 'dispatching' && after.kind === 'complaint') {
      await start(tx, ctx, after, 'complaint.mediation', today);
    }
    if (to === 'feedback') {
      await stop(tx, ctx, after, 'complaint.mediation', actor, 'met');
      await stop(tx, ctx, after, 'report.verify', actor, 'met');
      if (after.kind === 'report' && (await hasRealNameInformant(tx, Number(after.id)))) {
        await start(tx, ctx, after, 'report.reply', today);
      }
    }
    if (ENDED.includes(to)) {
      for (const key of ALL_KEYS) await stop(tx, ctx, after, key, actor, 'met');
    }
    if (to === 'sorting' && from !== 'registering' && after.kind === 'complaint') {
      // 重新办理 after an unsatisfied callback: a fresh decision is due, counted from today.
      await start(tx, ctx, after, 'complaint.accept', today);
    }
  },
});

async function hasRealNameInformant(tx: Transaction<DB>, clueId: number): Promise<boolean> {
  const r = await tx
    .selectFrom('clue_party')
    .select('id')
    .where('clue_id', '=', clueId)
    .where('role', '=', 'informant')
    .where('real_name', '=', true)
    .executeTakeFirst();
  return !!r;
}
