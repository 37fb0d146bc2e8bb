import type { MergeQueueItem } from '@rongjian/shared/api';
import type { Kysely } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';
import { OPEN_STATES } from './clues.machine.ts';

const CLUE_COLS = [
  'id',
  'number',
  'title',
  'kind',
  'channel',
  'status',
  'received_at',
  'respondent_name',
  'version',
] as const;

/** Open duplicate pairs whose two clues the viewer can see and are both still open; newest pair first. */
function pairs(db: Kysely<DB>, viewer: SessionUser) {
  return db
    .selectFrom('clue_duplicate_candidate as p')
    .innerJoin('clue as a', 'a.id', 'p.clue_id')
    .innerJoin('clue as b', 'b.id', 'p.candidate_id')
    .select(['p.id', 'p.score', 'p.reasons', 'p.status', 'p.created_at'])
    .select(CLUE_COLS.map((c) => `a.${c} as a_${c}` as const))
    .select(CLUE_COLS.map((c) => `b.${c} as b_${c}` as const))
    .where((eb) => inDataScope(eb, viewer, { department: 'a.department_id', owner: 'a.created_by' }))
    .where((eb) => inDataScope(eb, viewer, { department: 'b.department_id', owner: 'b.created_by' }));
}

type PairRow = Awaited<ReturnType<ReturnType<typeof pairs>['executeTakeFirstOrThrow']>>;

function toItem(r: PairRow): MergeQueueItem {
  const side = (p: 'a' | 'b') => {
    const v = (c: (typeof CLUE_COLS)[number]) => (r as Record<string, unknown>)[`${p}_${c}`];
    return {
      id: Number(v('id')),
      number: String(v('number')),
      title: String(v('title')),
      kind: v('kind') as MergeQueueItem['clue']['kind'],
      channel: String(v('channel')),
      status: v('status') as MergeQueueItem['clue']['status'],
      receivedAt: new Date(v('received_at') as Date).toISOString(),
      respondentName: String(v('respondent_name')),
      version: Number(v('version')),
    };
  };
  return {
    id: Number(r.id),
    score: Number(r.score),
    reasons: r.reasons,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    clue: side('a'),
    candidate: side('b'),
  };
}

export async function mergeQueue(
  db: Kysely<DB>,
  viewer: SessionUser,
  q: { after?: number; limit: number },
): Promise<{ items: MergeQueueItem[]; nextAfter: number | null }> {
  let query = pairs(db, viewer)
    .where('p.status', '=', 'open')
    .where('a.status', 'in', [...OPEN_STATES])
    .where('b.status', 'in', [...OPEN_STATES])
    .where('a.merged_into_id', 'is', null)
    .where('b.merged_into_id', 'is', null);
  if (q.after) query = query.where('p.id', '<', q.after);
  const rows = await query.orderBy('p.id', 'desc').limit(q.limit).execute();
  const items = rows.map(toItem);
  return { items, nextAfter: rows.length === q.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function dismissPair(
  db: Kysely<DB>,
  viewer: SessionUser,
  id: number,
  reason: string | undefined,
): Promise<MergeQueueItem> {
  return db.transaction().execute(async (tx) => {
    const row = await pairs(tx as unknown as Kysely<DB>, viewer)
      .where('p.id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('疑似重复记录');
    if (row.status !== 'open') {
      throw new AppError('CONFLICT', row.status === 'merged' ? '这两条线索已并案' : '该疑似重复已被忽略');
    }
    const updated = await tx
      .updateTable('clue_duplicate_candidate')
      .set({
        status: 'dismissed',
        decided_by: viewer.id,
        decided_by_name: viewer.displayName,
        decided_at: new Date(),
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new AppError('CONFLICT', '该疑似重复已被他人处理');
    const item = toItem({ ...row, status: 'dismissed' });
    await appendEvent(tx, {
      actor: { id: viewer.id, name: viewer.displayName },
      subjectType: 'clue',
      subjectId: item.clue.id,
      clueId: item.clue.id,
      kind: 'clue.duplicate_dismissed',
      payload: {
        candidateId: item.candidate.id,
        candidateNumber: item.candidate.number,
        ...(reason ? { reason } : {}),
      },
    });
    return item;
  });
}
