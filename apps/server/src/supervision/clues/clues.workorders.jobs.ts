import { CLUE_STATUS_LABELS, type ClueStatus } from '@rongjian/shared/api';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';
import {
  HttpWorkOrderExchange,
  type WorkOrderExchange,
  type WorkOrderResult,
} from './clues.workorders.exchange.ts';

/** Push a clue's result back to the 12315/12345 platform its order came from (retried with backoff). */
export const PUSH_RESULT_JOB = 'workorders.pushResult';
/** Statuses whose result the platform is told about. */
export const PUSHED_STATUSES: readonly ClueStatus[] = [
  'feedback',
  'closed',
  'direct',
  'rejected',
  'transferred',
];
export const WORKORDER_SOURCES = ['12315', '12345'] as const;
export const PUSH_MAX_ATTEMPTS = 6;

/** Enqueue the push-back in the caller's transaction (it exists only if the change commits); none while disabled. */
export async function enqueueResultPush(
  tx: Transaction<DB>,
  ctx: AppContext,
  clue: { id: number; status: string; external_source: string | null; external_no: string | null },
): Promise<void> {
  if (!clue.external_source || !clue.external_no) return;
  if (!(WORKORDER_SOURCES as readonly string[]).includes(clue.external_source)) return;
  const source = await tx
    .selectFrom('workorder_source')
    .select('outbound_enabled')
    .where('code', '=', clue.external_source)
    .executeTakeFirst();
  if (!source?.outbound_enabled) return;
  await ctx.jobs.enqueue(tx, PUSH_RESULT_JOB, { clueId: Number(clue.id), status: clue.status });
}

/** The result text of a clue as the platform reads it: the recorded result, the answer or the decision. */
function resultText(c: {
  status: string;
  result_summary: string;
  resolution: Record<string, unknown>;
}): string {
  const r = c.resolution;
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  if (c.status === 'rejected') return `不予受理：${s(r.groundLabel) || s(r.ground) || s(r.groundCode)}`;
  if (c.status === 'transferred') return `已转办至${s(r.agency)}`;
  return c.result_summary || s(r.answer) || s(r.result);
}

/** `exchangeFor` lets a test hand in another adapter; the default is the real HTTP one. */
export function registerWorkOrderJobs(
  ctx: AppContext,
  exchangeFor: (url: string, secret: string) => WorkOrderExchange = (url, secret) =>
    new HttpWorkOrderExchange(url, secret),
): void {
  ctx.jobs.define({
    name: PUSH_RESULT_JOB,
    // `status`: the milestone reached when it was queued (a later one is its own job), so each is reported once.
    payload: z.object({ clueId: z.number().int().positive(), status: z.string().max(20).optional() }),
    maxAttempts: PUSH_MAX_ATTEMPTS,
    // 30 s, 1 min, 2 min, 4 min, 8 min: the platform's maintenance windows are short.
    backoffSeconds: (attempt) => Math.min(30 * 2 ** (attempt - 1), 3600),
    async handler({ clueId, status: queuedStatus }, run) {
      const { db, pii } = run.ctx;
      const clue = await db.selectFrom('clue').selectAll().where('id', '=', clueId).executeTakeFirst();
      if (!clue?.external_source || !clue.external_no) return;
      const source = await db
        .selectFrom('workorder_source')
        .selectAll()
        .where('code', '=', clue.external_source)
        .executeTakeFirst();
      if (!source?.outbound_enabled || !source.outbound_url || !source.push_secret_enc) return;
      const status = (queuedStatus ?? clue.status) as ClueStatus;
      const order: WorkOrderResult = {
        source: source.code,
        orderNo: clue.external_no,
        clueNumber: clue.number,
        status,
        statusLabel: CLUE_STATUS_LABELS[status],
        result: resultText({ ...clue, status }),
        closedAt: status !== 'feedback' && clue.closed_at ? new Date(clue.closed_at).toISOString() : null,
        ...(clue.satisfaction ? { satisfaction: clue.satisfaction } : {}),
      };
      const event = {
        actor: { id: null, name: `${source.name}回推` },
        subjectType: 'clue',
        subjectId: clue.id,
        clueId: Number(clue.id),
        departmentId: clue.department_id,
      };
      try {
        await exchangeFor(source.outbound_url, pii.decrypt(source.push_secret_enc)).pushResult(order);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const attempt = run.job.attempts;
        await appendEvent(db, {
          ...event,
          kind: 'workorder.push_failed',
          payload: {
            source: source.code,
            orderNo: clue.external_no,
            status,
            attempt,
            willRetry: attempt < PUSH_MAX_ATTEMPTS,
            error: message.slice(0, 300),
          },
        });
        throw err;
      }
      await appendEvent(db, {
        ...event,
        kind: 'workorder.result_pushed',
        payload: { source: source.code, orderNo: clue.external_no, status, statusLabel: order.statusLabel },
      });
    },
  });
}
