import {
  CLUE_STATUS_LABELS,
  type ClueStatus,
  SATISFACTION_LABELS,
  type SatisfactionInput,
} from '@rongjian/shared/api';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { createClueService } from './clues.service.ts';
import { enqueueResultPush } from './clues.workorders.jobs.ts';

/** States a citizen can rate: the clue was answered (直接办结) or closed (已办结). */
export const RATABLE: readonly ClueStatus[] = ['direct', 'closed'];

/**
 * 满意度回访: store the rating on the clue with a `clue.satisfaction` event; 不满意 with `reopen` sends the clue
 * back to 待分拣 through the clue service's `reopen` edge. A work-order clue that stays closed gets the rating pushed
 * back to its platform. Called by the console route and by the public progress page (a citizen's own rating).
 */
export async function recordSatisfaction(
  tx: Transaction<DB>,
  ctx: AppContext,
  clueId: number,
  input: SatisfactionInput,
  actor: Actor,
): Promise<{ satisfaction: SatisfactionInput['result']; reopened: boolean; status: ClueStatus }> {
  const clue = await tx
    .selectFrom('clue')
    .selectAll()
    .where('id', '=', clueId)
    .forUpdate()
    .executeTakeFirst();
  if (!clue) throw notFound('线索');
  const status = clue.status as ClueStatus;
  if (!RATABLE.includes(status)) {
    throw new AppError(
      'CLUE_STATE_CONFLICT',
      `线索当前状态为“${CLUE_STATUS_LABELS[status]}”，办结后才能回访满意度`,
      { status: 409 },
    );
  }
  const reason = input.reason ?? '';
  await tx
    .updateTable('clue')
    .set({ satisfaction: input.result, satisfaction_reason: reason, updated_at: new Date() })
    .where('id', '=', clueId)
    .execute();
  await appendEvent(tx, {
    actor,
    subjectType: 'clue',
    subjectId: clueId,
    clueId,
    departmentId: clue.department_id,
    kind: 'clue.satisfaction',
    payload: {
      result: input.result,
      label: SATISFACTION_LABELS[input.result],
      channel: input.channel,
      ...(reason ? { reason } : {}),
      ...(input.reopen ? { reopen: true } : {}),
    },
  });
  if (input.result === 'unsatisfied' && input.reopen) {
    const after = await createClueService(ctx).transitionInternal(tx, actor, clueId, {
      action: 'reopen',
      reason: `回访不满意：${reason}`.slice(0, 1000),
    });
    return { satisfaction: input.result, reopened: true, status: after.status as ClueStatus };
  }
  await enqueueResultPush(tx, ctx, { ...clue, id: Number(clue.id) });
  return { satisfaction: input.result, reopened: false, status };
}
