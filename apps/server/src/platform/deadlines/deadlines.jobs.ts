import { NOTICE_PUBLISHED_EVENT } from '@rongjian/shared/api';
import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { hasPermission } from '../auth/permissions.ts';
import { todayInChina } from '../calendar/calendar.rules.ts';
import type { AppContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { appendEvent, systemActor } from '../ledger/ledger.service.ts';
import { publishToUsers } from '../notice/notice.service.ts';
import * as repo from './deadlines.repo.ts';

/**
 * The sweep (`deadlines.sweep`, hourly): marks 预警 once the warning day is reached and 逾期 once the due day has
 * passed — each exactly once per due day, whatever the number of workers: the marking `update … where warned_at is
 * null returning` is the claim, so a row is reported by the one worker whose update changed it. Each mark appends
 * `deadline.warning` / `deadline.overdue` to the ledger (with the clue, so it shows on the clue's timeline) and
 * notifies the assignee — or, without one, the department's users who may see the deadline board.
 */
export const SWEEP_JOB = 'deadlines.sweep';
export const SWEEP_CRON = '5 * * * *';
/** Who is notified when a deadline has no assignee. */
export const BOARD_PERMISSION = 'clue:deadline:read';
const BATCH = 200;

const SUBJECT_NAMES: Record<string, string> = {
  clue: '线索',
  dispatch_order: '调度单',
  inspection_task: '检查任务',
  case: '案件',
};

type Marked = {
  id: number;
  subject_type: string;
  subject_id: string;
  subject_label: string | null;
  clue_id: number | null;
  department_id: number | null;
  assignee_id: number | null;
  rule_key: string;
  label: string;
  regulation: string;
  due_on: string;
};

const returned = [
  'id',
  'subject_type',
  'subject_id',
  'subject_label',
  'clue_id',
  'department_id',
  'assignee_id',
  'rule_key',
  'label',
  'regulation',
  'due_on',
] as const;

export function subjectName(r: Pick<Marked, 'subject_type' | 'subject_id' | 'subject_label'>): string {
  return r.subject_label ?? `${SUBJECT_NAMES[r.subject_type] ?? r.subject_type} ${r.subject_id}`;
}

async function recipients(
  tx: Transaction<DB>,
  r: Marked,
  byDepartment: Map<number, number[]>,
): Promise<number[]> {
  if (r.assignee_id !== null) return [r.assignee_id];
  if (r.department_id === null) return [];
  const cached = byDepartment.get(r.department_id);
  if (cached) return cached;
  const rows = await repo.departmentUsersWithPermissions(tx, r.department_id);
  const grants = new Map<number, string[]>();
  for (const u of rows) grants.set(u.id, [...(grants.get(u.id) ?? []), ...(u.permissions ?? [])]);
  const ids = [...grants].filter(([, p]) => hasPermission(p, BOARD_PERMISSION)).map(([id]) => id);
  byDepartment.set(r.department_id, ids);
  return ids;
}

async function report(
  tx: Transaction<DB>,
  kind: 'warning' | 'overdue',
  rows: Marked[],
  byDepartment: Map<number, number[]>,
): Promise<number> {
  let notices = 0;
  for (const r of rows) {
    await appendEvent(tx, {
      actor: systemActor,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      clueId: r.clue_id,
      departmentId: r.department_id,
      kind: kind === 'warning' ? 'deadline.warning' : 'deadline.overdue',
      payload: { deadlineId: r.id, ruleKey: r.rule_key, label: r.label, dueOn: r.due_on },
    });
    const what = `${subjectName(r)}的“${r.label}”时限`;
    const id = await publishToUsers(tx, {
      title: `${kind === 'warning' ? '时限预警' : '时限逾期'}：${r.label}（${subjectName(r)}）`,
      body:
        kind === 'warning'
          ? `${what}将于 ${r.due_on} 到期，请及时办理。依据：${r.regulation}。`
          : `${what}已于 ${r.due_on} 届满，现已逾期，请尽快办理并说明情况。依据：${r.regulation}。`,
      level: kind === 'warning' ? 'normal' : 'important',
      userIds: await recipients(tx, r, byDepartment),
      departmentId: r.department_id,
    });
    if (id !== null) notices++;
  }
  return notices;
}

/** One sweep for `today` (China time); returns how many deadlines it marked. Safe to run concurrently. */
export async function sweepDeadlines(
  db: Kysely<DB>,
  today: string = todayInChina(),
): Promise<{ warned: number; overdue: number }> {
  const byDepartment = new Map<number, number[]>();
  let warned = 0;
  let overdue = 0;
  for (const kind of ['overdue', 'warning'] as const) {
    for (;;) {
      const n = await db.transaction().execute(async (tx) => {
        const candidates = tx
          .selectFrom('deadline')
          .select('id')
          .where('status', '=', 'running')
          .limit(BATCH)
          .forUpdate()
          .skipLocked();
        const rows =
          kind === 'overdue'
            ? await tx
                .updateTable('deadline')
                .set({ overdue_at: sql`now()`, warned_at: sql`coalesce(warned_at, now())` })
                .where('id', 'in', candidates.where('overdue_at', 'is', null).where('due_on', '<', today))
                .where('overdue_at', 'is', null)
                .where('status', '=', 'running')
                .returning(returned)
                .execute()
            : await tx
                .updateTable('deadline')
                .set({ warned_at: sql`now()` })
                .where(
                  'id',
                  'in',
                  candidates
                    .where('warned_at', 'is', null)
                    .where('warn_on', '<=', today)
                    .where('due_on', '>=', today),
                )
                .where('warned_at', 'is', null)
                .where('status', '=', 'running')
                .returning(returned)
                .execute();
        const notices = await report(tx, kind, rows, byDepartment);
        if (notices > 0) {
          // One nudge per batch: every console refreshes its unread count.
          await appendEvent(tx, {
            actor: systemActor,
            subjectType: 'notice',
            subjectId: 'deadlines',
            departmentId: null,
            kind: NOTICE_PUBLISHED_EVENT,
            payload: {},
          });
        }
        return rows.length;
      });
      if (kind === 'overdue') overdue += n;
      else warned += n;
      if (n < BATCH) break;
    }
  }
  return { warned, overdue };
}

export function registerDeadlineJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: SWEEP_JOB,
    payload: z.object({}),
    cron: SWEEP_CRON,
    async handler(_payload, run) {
      await sweepDeadlines(run.ctx.db);
    },
  });
}
