import type { EntityMatch, EntityMatchPage, FusedField, MatchSide, MatchStatus } from '@rongjian/shared/api';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Actor } from '../../platform/ledger/ledger.service.ts';
import { FUSED_FIELDS, sameValue } from './resolution.fuse.ts';
import { type MergeResult, mergeEntities } from './resolution.merge.ts';
import type { FieldRules } from './resolution.settings.ts';

/**
 * 主体合并 queue: pairs the import could not decide, shown side by side to a person who confirms (merge) or rejects
 * (kept apart for good). A pair is visible only when both entities are within the reviewer's data scope.
 */
type Executor = Kysely<DB> | Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

function visibleMatches(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('entity_match as m')
    .innerJoin('entity as a', 'a.id', 'm.entity_id')
    .innerJoin('entity as c', 'c.id', 'm.candidate_id')
    .where((eb) => inDataScope(eb, viewer, { department: 'a.station_id' }))
    .where((eb) => inDataScope(eb, viewer, { department: 'c.station_id' }));
}

/** Pending pairs whose entities are both still standing (a merge elsewhere may have absorbed one). */
const stillOpen = <Q extends ReturnType<typeof visibleMatches>>(q: Q) =>
  q
    .where('m.status', '=', 'pending')
    .where('a.merged_into', 'is', null)
    .where('c.merged_into', 'is', null) as Q;

async function loadSides(db: Executor, ids: readonly number[]): Promise<Map<number, MatchSide>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('entity as e')
    .leftJoin('department as d', 'd.id', 'e.station_id')
    .leftJoin('grid as g', 'g.id', 'e.grid_id')
    .select([
      'e.id',
      'e.uscc',
      'e.name',
      'e.type',
      'e.address',
      'e.region_code',
      sql<string | null>`to_char(e.established_on, 'YYYY-MM-DD')`.as('established_on'),
      'e.status',
      'e.business_scope',
      'e.merged_into',
      'd.name as station_name',
      'g.name as grid_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('entity_source_record as r')
        .innerJoin('exchange_source as s', 's.name', 'r.source')
        .select(sql<string[]>`coalesce(array_agg(distinct s.label), '{}')`.as('labels'))
        .whereRef('r.entity_id', '=', 'e.id')
        .as('sources'),
    )
    .where('e.id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        id: Number(r.id),
        uscc: r.uscc?.trim() || null,
        name: r.name,
        type: r.type,
        address: r.address,
        regionCode: r.region_code,
        establishedOn: r.established_on,
        status: r.status,
        businessScope: r.business_scope,
        stationName: r.station_name,
        gridName: r.grid_name,
        sources: r.sources ?? [],
        mergedInto: r.merged_into === null ? null : Number(r.merged_into),
      },
    ]),
  );
}

const SIDE_KEYS: Record<string, keyof MatchSide> = {
  uscc: 'uscc',
  name: 'name',
  type: 'type',
  address: 'address',
  regionCode: 'regionCode',
  establishedOn: 'establishedOn',
  status: 'status',
  businessScope: 'businessScope',
};

function differences(a: MatchSide, b: MatchSide): FusedField[] {
  return FUSED_FIELDS.filter((f) => f.key in SIDE_KEYS)
    .filter((f) => !sameValue(a[SIDE_KEYS[f.key]!], b[SIDE_KEYS[f.key]!]))
    .map((f) => f.key);
}

export async function listMatches(
  db: Executor,
  viewer: Viewer,
  q: { status: MatchStatus | 'decided'; after?: number | undefined; limit: number },
): Promise<EntityMatchPage> {
  let query = visibleMatches(db, viewer).selectAll('m');
  if (q.status === 'pending') {
    query = stillOpen(query).orderBy('m.id');
    if (q.after !== undefined) query = query.where('m.id', '>', q.after);
  } else {
    // Decided pairs, newest first.
    query =
      q.status === 'decided'
        ? query.where('m.status', '<>', 'pending')
        : query.where('m.status', '=', q.status);
    query = query.orderBy('m.id', 'desc');
    if (q.after !== undefined) query = query.where('m.id', '<', q.after);
  }
  const rows = await query.limit(q.limit).execute();
  const pending = await stillOpen(visibleMatches(db, viewer))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const sides = await loadSides(
    db,
    rows.flatMap((r) => [Number(r.entity_id), Number(r.candidate_id)]),
  );
  const items: EntityMatch[] = rows.map((r) => {
    const entity = sides.get(Number(r.entity_id))!;
    const candidate = sides.get(Number(r.candidate_id))!;
    return {
      id: Number(r.id),
      status: r.status,
      score: Number(r.score),
      nameScore: Number(r.name_score),
      addressScore: Number(r.address_score),
      numberMismatch: r.detail.numberMismatch,
      nameWeight: r.detail.nameWeight,
      names: r.detail.names,
      addresses: r.detail.addresses,
      runId: r.run_id === null ? null : Number(r.run_id),
      createdAt: new Date(r.created_at).toISOString(),
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
      decidedByName: r.decided_by_name,
      note: r.note,
      mergeId: r.merge_id === null ? null : Number(r.merge_id),
      entity,
      candidate,
      differences: differences(entity, candidate),
    };
  });
  return {
    items,
    pending: Number(pending.n),
    nextAfter: items.length === q.limit ? items[items.length - 1]!.id : null,
  };
}

async function lockMatch(tx: Transaction<DB>, viewer: Viewer, id: number) {
  const m = await visibleMatches(tx, viewer)
    .selectAll('m')
    .where('m.id', '=', id)
    .forUpdate('m')
    .executeTakeFirst();
  if (!m) throw notFound('待确认的主体对');
  if (m.status !== 'pending') {
    throw new AppError(
      'MERGE_REFUSED',
      `该主体对已${m.status === 'confirmed' ? '确认合并' : '驳回'}，无需再次处理`,
      {
        status: 409,
      },
    );
  }
  return m;
}

export async function confirmMatch(
  tx: Transaction<DB>,
  input: {
    matchId: number;
    survivorId?: number | undefined;
    note: string;
    actor: Actor;
    viewer: Viewer;
    rules: FieldRules;
  },
): Promise<MergeResult> {
  const m = await lockMatch(tx, input.viewer, input.matchId);
  const pair = [Number(m.candidate_id), Number(m.entity_id)];
  const survivorId = input.survivorId ?? pair[0]!;
  if (!pair.includes(survivorId)) {
    throw new AppError('VALIDATION_FAILED', '保留的主体应为这一对中的一个', {
      details: [{ path: 'survivorId', message: '应为这一对中的一个主体' }],
    });
  }
  const absorbedId = pair.find((p) => p !== survivorId)!;
  const reason = input.note || `确认为同一主体（待确认 #${m.id}，得分 ${Number(m.score).toFixed(2)}）`;
  const result = await mergeEntities(tx, {
    survivorId,
    absorbedId,
    reason,
    actor: input.actor,
    viewer: input.viewer,
    matchId: Number(m.id),
    rules: input.rules,
  });
  await tx
    .updateTable('entity_match')
    .set({
      status: 'confirmed',
      merge_id: result.mergeId,
      decided_at: new Date(),
      decided_by_id: input.actor.id,
      decided_by_name: input.actor.name,
      note: reason,
    })
    .where('id', '=', m.id)
    .execute();
  return result;
}

export async function rejectMatch(
  tx: Transaction<DB>,
  input: { matchId: number; note: string; actor: Actor; viewer: Viewer },
): Promise<{ entityId: number; candidateId: number }> {
  const m = await lockMatch(tx, input.viewer, input.matchId);
  await tx
    .updateTable('entity_match')
    .set({
      status: 'rejected',
      decided_at: new Date(),
      decided_by_id: input.actor.id,
      decided_by_name: input.actor.name,
      note: input.note,
    })
    .where('id', '=', m.id)
    .execute();
  return { entityId: Number(m.entity_id), candidateId: Number(m.candidate_id) };
}
