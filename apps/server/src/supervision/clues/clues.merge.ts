import { CLUE_STATUS_LABELS, type ClueStatus } from '@rongjian/shared/api';
import type { Transaction } from 'kysely';
import { mfaSetting, passwordPolicySetting } from '../../platform/auth/auth.settings.ts';
import { loadSessionUser } from '../../platform/auth/auth.user.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';
import { type ClueRow, registerClueHooks } from './clues.hooks.ts';
import { OPEN_STATES } from './clues.machine.ts';

const bad = (message: string) =>
  new AppError('VALIDATION_FAILED', message, { details: [{ path: 'targetId', message }] });

/** Whether the acting user may see the target (the core checked the source against their data scope). */
async function visibleTo(tx: Transaction<DB>, ctx: AppContext, actorId: number | null, target: ClueRow) {
  if (actorId === null) return true; // a module acting on its own behalf
  const user = await loadSessionUser(
    tx,
    { password: () => ctx.settings.get(passwordPolicySetting), mfa: () => ctx.settings.get(mfaSetting) },
    actorId,
    { id: '', restriction: null },
  );
  if (!user) return false;
  const hit = await tx
    .selectFrom('clue as c')
    .select('c.id')
    .where('c.id', '=', target.id)
    .where((eb) => inDataScope(eb, user, { department: 'c.department_id', owner: 'c.created_by' }))
    .executeTakeFirst();
  return !!hit;
}

/**
 * 并案: the clue joins `targetId`. Guards: the target exists, is visible, still open, is not the clue itself and
 * does not (through earlier merges) lead back to it. Effects: `merged_into_id`, the people move to the target
 * (keeping `original_clue_id` and `channel`, so replies reach every complainant), clues merged into this one
 * follow it, the duplicate pair is marked merged, and the target's timeline gets `clue.merged_in`.
 */
registerClueHooks({
  name: 'merge',
  actions: {
    async merge(tx, ctx, { clue, input, actor }) {
      const targetId = input.targetId;
      if (targetId === undefined) throw bad('请选择并入的线索');
      if (targetId === Number(clue.id)) throw bad('不能并入线索自身');
      const target = await tx
        .selectFrom('clue')
        .selectAll()
        .where('id', '=', targetId)
        .forUpdate()
        .executeTakeFirst();
      if (!target || !(await visibleTo(tx, ctx, actor.id, target))) throw bad('并入的线索不存在或无权访问');
      // Walk up the target's merge chain: reaching the clue itself would make a cycle.
      let up: number | null = target.merged_into_id === null ? null : Number(target.merged_into_id);
      for (let i = 0; up !== null && i < 100; i++) {
        if (up === Number(clue.id)) throw bad('不能并入已并入本线索的线索（会形成循环）');
        const next = await tx
          .selectFrom('clue')
          .select('merged_into_id')
          .where('id', '=', up)
          .executeTakeFirst();
        up = next?.merged_into_id == null ? null : Number(next.merged_into_id);
      }
      const status = target.status as ClueStatus;
      if (!OPEN_STATES.includes(status) || target.merged_into_id !== null) {
        throw bad(
          `并入的线索 ${target.number} 当前为“${CLUE_STATUS_LABELS[status]}”，只能并入尚在办理中的线索`,
        );
      }
      const moved = await tx
        .updateTable('clue_party')
        .set({ clue_id: target.id, department_id: target.department_id })
        .where('clue_id', '=', clue.id)
        .executeTakeFirst();
      const partiesMoved = Number(moved.numUpdatedRows);
      await tx
        .updateTable('clue')
        .set({ merged_into_id: target.id })
        .where('merged_into_id', '=', clue.id)
        .execute();
      await tx
        .updateTable('clue_duplicate_candidate')
        .set({ status: 'merged', decided_by: actor.id, decided_by_name: actor.name, decided_at: new Date() })
        .where('status', '=', 'open')
        .where((eb) =>
          eb.or([
            eb.and([eb('clue_id', '=', clue.id), eb('candidate_id', '=', target.id)]),
            eb.and([eb('clue_id', '=', target.id), eb('candidate_id', '=', clue.id)]),
          ]),
        )
        .execute();
      await tx.updateTable('clue').set({ updated_at: new Date() }).where('id', '=', target.id).execute();
      await appendEvent(tx, {
        actor,
        subjectType: 'clue',
        subjectId: target.id,
        clueId: target.id,
        departmentId: target.department_id,
        kind: 'clue.merged_in',
        payload: {
          fromId: Number(clue.id),
          fromNumber: clue.number,
          channel: clue.channel,
          partiesMoved,
          ...(input.note ? { note: input.note } : {}),
        },
      });
      return {
        patch: { merged_into_id: target.id },
        resolution: { mergedInto: { id: Number(target.id), number: target.number } },
        payload: { targetId: Number(target.id), targetNumber: target.number, partiesMoved },
      };
    },
  },
});
