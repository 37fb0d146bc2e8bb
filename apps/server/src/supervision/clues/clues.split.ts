import { alignPartyRoles } from './clues.repo.ts';
import {
  CLUE_KIND_LABELS,
  type ClueSplitInput,
  type ClueSplitResult,
  clueSplitSchema,
  type ClueChannel,
} from '@rongjian/shared/api';
import { sql } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { cleanText, type ClueService, clueTitle } from './clues.service.ts';
import { lockVisibleClue, versionConflict } from './clues.sorting.ts';

/** States in which a submission may still be split (before anyone acted on its substance). */
const SPLITTABLE = ['registering', 'sorting'];

/**
 * 拆分 (Order 20 Art.7): one submission carrying a complaint and a report becomes separate clues handled
 * separately. The clue keeps the first part; every further part is a new clue (own number, `split_from_id`) with
 * the same channel, receipt time (so the same rule version and deadlines), place and respondent. The citizen comes
 * along — as complainant of a complaint part, as informant of a report part — and so do the attachments.
 */
export async function splitClue(
  ctx: AppContext,
  clues: ClueService,
  viewer: SessionUser,
  id: number,
  raw: ClueSplitInput,
): Promise<ClueSplitResult> {
  const input = clueSplitSchema.parse(raw);
  const actor: Actor = { id: viewer.id, name: viewer.displayName };
  return ctx.db.transaction().execute(async (tx) => {
    const clue = await lockVisibleClue(tx, viewer, id);
    if (!SPLITTABLE.includes(clue.status)) {
      throw new AppError('CLUE_STATE_CONFLICT', '只有待登记或待分拣的线索可以拆分', { status: 409 });
    }
    if (clue.version !== input.version) throw versionConflict();
    const [first, ...rest] = input.parts;
    if (!first) throw new AppError('VALIDATION_FAILED', '至少拆分为两条');

    const updated = await tx
      .updateTable('clue')
      .set({
        kind: first.kind,
        content: cleanText(first.content),
        request: cleanText(first.request ?? ''),
        title: clueTitle(first.title, first.content),
        confidential: first.kind === 'report' ? clue.confidential : false,
        version: clue.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', clue.id)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw versionConflict();
    if (first.kind !== clue.kind) await alignPartyRoles(tx, Number(clue.id), first.kind);

    const parties = await tx
      .selectFrom('clue_party')
      .selectAll()
      .where('clue_id', '=', clue.id)
      .orderBy('id')
      .execute();
    const created: ClueSplitResult['clues'] = [
      { id: Number(clue.id), number: clue.number, kind: first.kind },
    ];
    for (const part of rest) {
      const made = await clues.intake(
        {
          kind: part.kind,
          channel: clue.channel as ClueChannel,
          title: part.title,
          content: part.content,
          request: part.request,
          receivedAt: new Date(clue.received_at).toISOString(),
          ...(clue.address ? { address: clue.address } : {}),
          ...(clue.lng !== null && clue.lat !== null ? { location: { lng: clue.lng, lat: clue.lat } } : {}),
          ...(clue.grid_id !== null ? { gridId: Number(clue.grid_id) } : {}),
          ...(clue.entity_id !== null ? { entityId: Number(clue.entity_id) } : {}),
          respondent: {
            name: clue.respondent_name,
            ...(clue.respondent_uscc && clue.entity_id === null ? { uscc: clue.respondent_uscc } : {}),
            address: clue.respondent_address,
          },
          confidential: part.kind === 'report' ? clue.confidential : false,
          anonymous: clue.anonymous,
          ...(clue.department_id !== null ? { departmentId: Number(clue.department_id) } : {}),
        },
        {
          actor,
          tx,
          status: clue.status === 'registering' ? 'registering' : 'sorting',
          splitFromId: Number(clue.id),
          ...(clue.origin_type && clue.origin_id
            ? { origin: { type: clue.origin_type, id: clue.origin_id } }
            : {}),
        },
      );
      const newId = made.id;
      // The same citizen, sealed values copied as they are (same vault keys): no decryption on the way.
      if (parties.length > 0) {
        await tx
          .insertInto('clue_party')
          .values(
            parties.map((p) => ({
              clue_id: newId,
              department_id: p.department_id,
              role: part.kind === 'report' ? ('informant' as const) : ('complainant' as const),
              name_enc: p.name_enc,
              name_bidx: p.name_bidx,
              phone_enc: p.phone_enc,
              phone_bidx: p.phone_bidx,
              id_card_enc: p.id_card_enc,
              id_card_bidx: p.id_card_bidx,
              address_enc: p.address_enc,
              real_name: p.real_name,
              original_clue_id: newId,
              channel: p.channel,
            })),
          )
          .execute();
        await tx.updateTable('clue').set({ anonymous: clue.anonymous }).where('id', '=', newId).execute();
      }
      await sql`insert into clue_attachment (clue_id, file_name, mime, size_bytes, sha256, content, uploaded_by, uploaded_by_name, uploaded_at)
        select ${newId}, file_name, mime, size_bytes, sha256, content, uploaded_by, uploaded_by_name, uploaded_at
        from clue_attachment where clue_id = ${clue.id}`.execute(tx);
      await appendEvent(tx, {
        actor,
        subjectType: 'clue',
        subjectId: newId,
        clueId: newId,
        departmentId: clue.department_id,
        kind: 'clue.split',
        payload: {
          role: 'part',
          fromId: Number(clue.id),
          fromNumber: clue.number,
          kind: part.kind,
          kindLabel: CLUE_KIND_LABELS[part.kind],
        },
      });
      created.push({ id: newId, number: made.number, kind: part.kind });
    }
    await appendEvent(tx, {
      actor,
      subjectType: 'clue',
      subjectId: clue.id,
      clueId: clue.id,
      departmentId: clue.department_id,
      kind: 'clue.split',
      payload: {
        role: 'original',
        kind: first.kind,
        kindLabel: CLUE_KIND_LABELS[first.kind],
        parts: created.slice(1).map((c) => ({ id: c.id, number: c.number, kind: c.kind })),
      },
    });
    return { clues: created };
  });
}
