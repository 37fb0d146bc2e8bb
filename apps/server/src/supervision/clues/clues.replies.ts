import { type ClueReplyInput, type ClueReplyResult, REPLY_TEMPLATE_LABELS } from '@rongjian/shared/api';
import { sql } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';
import { chinaDayOf } from '../../platform/calendar/calendar.rules.ts';
import { smsGateway } from '../../support/sms/sms.gateway.ts';
import { visibleClues } from './clues.repo.ts';
import { replyTemplatesSetting } from './clues.workorders.settings.ts';

/** Fill `{占位符}`; an unknown placeholder stays as written (the template editor shows it). */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^{}]{1,10})\}/g, (all, k: string) => values[k] ?? all);
}

/**
 * Reply to everyone who raised the clue: its own complainants or informants and those of every clue merged into it
 * (one message per distinct phone number). Messages go out through the SMS gateway before anything is written —
 * never a network call inside a transaction — then the outbox rows and one `clue.replied` event (counts only, no
 * numbers) are written together. An informant's identity never appears in the text or the ledger.
 */
export async function replyToComplainants(
  ctx: AppContext,
  viewer: SessionUser,
  clueId: number,
  input: ClueReplyInput,
): Promise<ClueReplyResult> {
  const { db, pii } = ctx;
  const clue = await visibleClues(db, viewer)
    .select([
      'c.id',
      'c.number',
      'c.status',
      'c.anonymous',
      'c.received_at',
      'c.department_id',
      'c.result_summary',
      'c.resolution',
      'c.merged_into_id',
      'd.name as department_name',
    ])
    .where('c.id', '=', clueId)
    .executeTakeFirst();
  if (!clue) throw notFound('线索');
  if (clue.merged_into_id !== null) {
    throw new AppError(
      'CLUE_STATE_CONFLICT',
      '该线索已并案，请在并入的线索上答复（会同时答复本线索的投诉人）',
      {
        status: 409,
      },
    );
  }
  const resolution = clue.resolution ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const result = input.result ?? (clue.result_summary || str(resolution.answer) || str(resolution.result));
  const reason =
    input.reason ?? (str(resolution.groundLabel) || str(resolution.ground) || str(resolution.groundCode));
  if (input.template === 'result' && !result) {
    throw new AppError('VALIDATION_FAILED', '该线索尚无办理结果，请填写办理结果后再答复', {
      details: [{ path: 'result', message: '必填' }],
    });
  }
  if (input.template === 'rejected' && clue.status !== 'rejected' && !input.reason) {
    throw new AppError('VALIDATION_FAILED', '该线索未作不予受理决定，不能发送不予受理告知', {
      details: [{ path: 'template', message: '与线索状态不符' }],
    });
  }
  if (input.template === 'rejected' && !reason) {
    throw new AppError('VALIDATION_FAILED', '请填写不予受理理由', {
      details: [{ path: 'reason', message: '必填' }],
    });
  }

  // Parties of this clue and of clues merged into it (the merge may have moved them here or left them there).
  const merged = db.selectFrom('clue').select('id').where('merged_into_id', '=', clueId);
  const parties = await db
    .selectFrom('clue_party')
    .select(['id', 'phone_enc', 'phone_bidx', 'role'])
    .where((eb) =>
      eb.or([eb('clue_id', '=', clueId), eb('clue_id', 'in', merged), eb('original_clue_id', 'in', merged)]),
    )
    .orderBy('id')
    .execute();
  const seen = new Set<string>();
  const recipients = parties.filter((p) => {
    if (!p.phone_enc) return false;
    const key = p.phone_bidx ?? p.phone_enc;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (recipients.length === 0) {
    throw new AppError(
      'NO_CONTACT',
      clue.anonymous && parties.length === 0
        ? '匿名线索没有联系方式，无法答复'
        : '投诉举报人未留联系电话，无法短信答复',
      { status: 422 },
    );
  }

  const template = ctx.settings.get(replyTemplatesSetting)[input.template];
  const text = fillTemplate(template, {
    线索编号: clue.number,
    受理日期: chinaDayOf(clue.received_at),
    承办单位: clue.department_name ?? '市场监督管理部门',
    办理结果: result,
    不予受理理由: reason,
  });

  const gateway = await smsGateway(ctx);
  const sent: { partyId: number; phoneEnc: string; ok: boolean; error: string | null }[] = [];
  for (const p of recipients) {
    const r = await gateway.send(pii.decrypt(p.phone_enc!), text);
    sent.push({ partyId: Number(p.id), phoneEnc: p.phone_enc!, ok: r.ok, error: r.ok ? null : r.error });
  }
  const okCount = sent.filter((s) => s.ok).length;
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('sms_outbox')
      .values(
        sent.map((s) => ({
          clue_id: clueId,
          party_id: s.partyId,
          department_id: clue.department_id,
          phone_enc: s.phoneEnc,
          template: input.template,
          text,
          gateway: gateway.name,
          status: s.ok ? ('sent' as const) : ('failed' as const),
          error: s.error,
          actor_name: viewer.displayName,
        })),
      )
      .execute();
    await appendEvent(tx, {
      actor: { id: viewer.id, name: viewer.displayName },
      subjectType: 'clue',
      subjectId: clueId,
      clueId,
      departmentId: clue.department_id,
      kind: 'clue.replied',
      payload: {
        template: input.template,
        templateLabel: REPLY_TEMPLATE_LABELS[input.template],
        recipients: sent.length,
        sent: okCount,
        failed: sent.length - okCount,
        gateway: gateway.name,
      },
    });
  });
  return {
    text,
    sent: okCount,
    failed: sent.length - okCount,
    recipients: sent.map((s) => ({
      phoneMasked: pii.maskToken('phone', s.phoneEnc) ?? '***',
      status: s.ok ? ('sent' as const) : ('failed' as const),
    })),
  };
}

/** The SMS outbox, newest first (numbers masked; within the viewer's data scope). */
export async function listOutbox(ctx: AppContext, viewer: SessionUser, q: { after?: number; limit: number }) {
  let query = ctx.db
    .selectFrom('sms_outbox as s')
    .leftJoin('clue as c', 'c.id', 's.clue_id')
    .select([
      's.id',
      's.clue_id',
      'c.number',
      's.phone_enc',
      's.template',
      's.text',
      's.gateway',
      's.status',
      's.error',
      's.actor_name',
      's.created_at',
    ])
    .orderBy('s.id', 'desc')
    .limit(q.limit);
  if (!viewer.scope.all) {
    const ids = viewer.scope.departmentIds;
    query = query.where(
      ids.length ? sql<boolean>`s.department_id in (${sql.join(ids)})` : sql<boolean>`false`,
    );
  }
  if (q.after) query = query.where('s.id', '<', q.after);
  const rows = await query.execute();
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      clueId: r.clue_id === null ? null : Number(r.clue_id),
      clueNumber: r.number,
      phoneMasked: ctx.pii.maskToken('phone', r.phone_enc) ?? '***',
      template: r.template,
      text: r.text,
      gateway: r.gateway,
      status: r.status,
      error: r.error,
      actorName: r.actor_name,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    nextAfter: rows.length === q.limit ? Number(rows.at(-1)!.id) : null,
  };
}
