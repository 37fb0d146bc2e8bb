import { registerClueHooks } from './clues.hooks.ts';
import { enqueueResultPush, PUSHED_STATUSES } from './clues.workorders.jobs.ts';

/**
 * 12315/12345 feedback: when a clue raised from a work order reaches a result (待反馈, 直接办结, 已办结, 不予受理,
 * 已转办), its push-back is queued in the same transaction — the network call happens in the job, never here.
 */
registerClueHooks({
  name: 'workorders',
  async afterTransition(tx, ctx, { after, edge }) {
    if (!PUSHED_STATUSES.includes(edge.to)) return;
    await enqueueResultPush(tx, ctx, { ...after, id: Number(after.id) });
  },
});
