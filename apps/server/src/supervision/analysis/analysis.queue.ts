import { CLUE_KIND_LABELS, type ClueKind } from '@rongjian/shared/api';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { createDeadlineService, type DeadlineService } from '../../platform/deadlines/deadlines.service.ts';
import { completeInboxItem, putInboxItem } from '../../platform/inbox/inbox.service.ts';
import { type ClueRow, registerClueHooks } from '../clues/clues.hooks.ts';

/**
 * The clue queues of 综合研判 and 指挥调度 in 我的待办: a clue entering 待研判 becomes an item `clue.analysis` for
 * analysts (any department, permission `analysis:judgment:create`), entering 待调度 an item `clue.dispatch` for
 * dispatchers (`dispatch:order:create`); leaving the state completes the item (已办 of whoever moved it). The due
 * time is the end of the due day of the clue's earliest running legal limit.
 */
export const QUEUES = {
  analysing: {
    source: 'clue.analysis',
    permission: 'analysis:judgment:create',
    prefix: '待研判',
    href: (id: number) => `/analysis?clue=${id}`,
  },
  dispatching: {
    source: 'clue.dispatch',
    permission: 'dispatch:order:create',
    prefix: '待调度',
    href: (id: number) => `/dispatch?tab=queue&clue=${id}`,
  },
} as const;
type QueueStatus = keyof typeof QUEUES;
const isQueue = (s: string): s is QueueStatus => s in QUEUES;

const services = new WeakMap<AppContext, DeadlineService>();
function deadlines(ctx: AppContext): DeadlineService {
  let s = services.get(ctx);
  if (!s) {
    s = createDeadlineService({ db: ctx.db, calendar: ctx.calendar, settings: ctx.settings });
    services.set(ctx, s);
  }
  return s;
}

/** Title without personal data: the clue number, kind and business line. */
export function queueTitle(prefix: string, clue: Pick<ClueRow, 'number' | 'kind' | 'business_line'>): string {
  const kind = CLUE_KIND_LABELS[clue.kind as ClueKind] ?? clue.kind;
  return `${prefix}：${clue.number}（${kind}${clue.business_line ? `·${clue.business_line}` : ''}）`;
}

async function dueOf(tx: Transaction<DB>, ctx: AppContext, clueId: number): Promise<Date | null> {
  const running = (await deadlines(ctx).forSubject(tx, 'clue', clueId))
    .filter((d) => d.status === 'running')
    .map((d) => d.dueOn)
    .sort();
  return running[0] ? new Date(`${running[0]}T23:59:59+08:00`) : null;
}

registerClueHooks({
  name: 'inbox-queues',
  async afterTransition(tx, ctx, { before, after, actor }) {
    if (before.status === after.status) return;
    const id = Number(after.id);
    if (isQueue(before.status)) await completeInboxItem(tx, QUEUES[before.status].source, id, actor.id);
    if (isQueue(after.status)) {
      const q = QUEUES[after.status];
      await putInboxItem(tx, {
        source: q.source,
        sourceId: id,
        title: queueTitle(q.prefix, after),
        href: q.href(id),
        departmentId: null,
        permission: q.permission,
        dueAt: await dueOf(tx, ctx, id),
        priority: 'normal',
        clueId: id,
      });
    }
  },
});
