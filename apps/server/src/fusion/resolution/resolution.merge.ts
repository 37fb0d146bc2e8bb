import { type Kysely, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { locateEntities } from '../../support/gis/gis.locate.ts';
import type { EntityColumns } from './resolution.fuse.ts';
import type { FieldRules } from './resolution.settings.ts';
import type { MergeMoved, SurvivorGeo, SurvivorSnapshot } from './resolution.tables.ts';
import { loadColumns, refuseEntities } from './resolution.write.ts';

/**
 * 主体合并 and its undoing. A merge absorbs B into A: B's source records, licences, credit records and persons move
 * to A — exactly which rows is written to the merge log — B points at A (`merged_into`), A is fused again, and
 * both get an `entity.merged` ledger event. Un-merge moves exactly those rows back. Everything happens inside the
 * caller's transaction — including the grid and 所 of an entity whose point the merge or un-merge moved
 * (support/gis `locateEntities`), since the 所 decides who sees it.
 */
type Tx = Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

interface Locked {
  id: number;
  name: string;
  uscc: string | null;
  station_id: number | null;
  merged_into: number | null;
}

/** Both entities, locked, within the viewer's data scope (a missing or hidden one is a 404). */
async function lockPair(tx: Tx, viewer: Viewer, ids: [number, number]): Promise<[Locked, Locked]> {
  const rows = await tx
    .selectFrom('entity as e')
    .select(['e.id', 'e.name', 'e.uscc', 'e.station_id', 'e.merged_into'])
    .where('e.id', 'in', ids)
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }))
    .orderBy('e.id')
    .forUpdate()
    .execute();
  const find = (id: number) => {
    const r = rows.find((x) => Number(x.id) === id);
    if (!r) throw notFound('经营主体');
    return {
      ...r,
      id: Number(r.id),
      station_id: r.station_id === null ? null : Number(r.station_id),
      merged_into: r.merged_into === null ? null : Number(r.merged_into),
    };
  };
  return [find(ids[0]), find(ids[1])];
}

const refusal = (message: string) => new AppError('MERGE_REFUSED', message, { status: 409 });

export interface MergeInput {
  survivorId: number;
  absorbedId: number;
  reason: string;
  actor: Actor;
  viewer: Viewer;
  matchId?: number | null;
  rules: FieldRules;
}

export interface MergeResult {
  mergeId: number;
  survivor: { id: number; name: string };
  absorbed: { id: number; name: string };
  moved: MergeMoved;
}

const ids = (rows: { id: number }[]) => rows.map((r) => Number(r.id));

/** The support/gis columns of an entity, for the merge log (times as ISO text, microseconds kept). */
async function loadGeo(tx: Tx, id: number): Promise<SurvivorGeo> {
  const { rows } = await sql<SurvivorGeo>`
    select geo_source, geo_provider, geo_precision, to_json(geo_updated_at) #>> '{}' as geo_updated_at,
      grid_id, station_id, located_lon, located_lat, to_json(located_at) #>> '{}' as located_at
    from entity where id = ${id}`.execute(tx);
  const g = rows[0]!;
  const num = (v: number | null) => (v === null ? null : Number(v));
  return { ...g, grid_id: num(g.grid_id), station_id: num(g.station_id) };
}

/**
 * After an un-merge fused the survivor again from its pre-merge columns: when its point is the one it had, give back
 * where that point came from — the update that restored it was marked `import` by the trigger of migration 0015,
 * which would call a geocoder's guess exact source data and feed it to the gazetteer. When the un-merge took away the
 * only point it had (the absorbed entity's), give back the grid and 所 it had without one.
 */
async function restoreGeo(
  tx: Tx,
  id: number,
  before: SurvivorSnapshot,
  geo: SurvivorGeo,
  pointBeforeRevert: { lon: number | null; lat: number | null },
): Promise<void> {
  const now = await tx
    .selectFrom('entity')
    .select(['lon', 'lat'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  if (now.lon !== null && now.lon === before.lon && now.lat === before.lat) {
    await sql`
      update entity set geo_source = ${geo.geo_source}, geo_provider = ${geo.geo_provider},
        geo_precision = ${geo.geo_precision}, geo_updated_at = ${geo.geo_updated_at}::timestamptz
      where id = ${id}`.execute(tx);
  } else if (now.lon === null && pointBeforeRevert.lon !== null) {
    await sql`
      update entity set grid_id = (select g.id from grid g where g.id = ${geo.grid_id}),
        station_id = coalesce(${geo.station_id}::bigint, station_id),
        located_lon = ${geo.located_lon}::float8, located_lat = ${geo.located_lat}::float8,
        located_at = ${geo.located_at}::timestamptz, updated_at = now()
      where id = ${id}`.execute(tx);
  }
}

export async function mergeEntities(tx: Tx, input: MergeInput): Promise<MergeResult> {
  const { survivorId, absorbedId } = input;
  if (survivorId === absorbedId) {
    throw new AppError('VALIDATION_FAILED', '不能把一个主体合并到它自己', {
      details: [{ path: 'absorbedId', message: '请选择另一个主体' }],
    });
  }
  const [a, b] = await lockPair(tx, input.viewer, [survivorId, absorbedId]);
  if (a.merged_into !== null) {
    throw refusal(`主体「${a.name}」已被合并到其他主体，请在合并后的主体上操作`);
  }
  if (b.merged_into !== null) throw refusal(`主体「${b.name}」已被合并到其他主体，不能再次合并`);
  if (a.uscc && b.uscc && a.uscc !== b.uscc) {
    throw refusal(
      `两个主体的统一社会信用代码不同（${a.uscc.trim()} / ${b.uscc.trim()}），是不同的法人或个体工商户，不能合并`,
    );
  }
  const before = (await loadColumns(tx, [a.id])).get(a.id)!;
  const survivorGeo = await loadGeo(tx, a.id);

  const sourceRecords = ids(
    await tx.selectFrom('entity_source_record').select('id').where('entity_id', '=', b.id).execute(),
  );
  const licences = ids(
    await tx.selectFrom('entity_licence').select('id').where('entity_id', '=', b.id).execute(),
  );
  // Credit records and persons have natural keys per entity: a fact the survivor already holds stays with B.
  const credit = await tx
    .selectFrom('entity_credit_record as c')
    .select(['c.id'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('entity_credit_record as s')
            .select('s.id')
            .where('s.entity_id', '=', a.id)
            .whereRef('s.kind', '=', 'c.kind')
            .whereRef('s.decided_on', '=', 'c.decided_on')
            .whereRef('s.document_no', '=', 'c.document_no'),
        )
        .as('held'),
    )
    .where('c.entity_id', '=', b.id)
    .execute();
  const persons = await sql<{ id: number; station_id: number | null; held: boolean }>`
    select p.id, p.station_id, exists (
      select 1 from entity_person s where s.entity_id = ${a.id} and s.role = p.role and (
        (p.id_card_bidx is not null and s.id_card_bidx = p.id_card_bidx)
        or (p.id_card_bidx is null and s.id_card_bidx is null and s.name_bidx = p.name_bidx))
    ) as held
    from entity_person p where p.entity_id = ${b.id}`.execute(tx);

  const moved: MergeMoved = {
    sourceRecords,
    licences,
    creditRecords: credit.filter((c) => !c.held).map((c) => Number(c.id)),
    persons: persons.rows
      .filter((p) => !p.held)
      .map((p) => ({ id: Number(p.id), stationId: p.station_id === null ? null : Number(p.station_id) })),
    kept: {
      creditRecords: credit.filter((c) => c.held).map((c) => Number(c.id)),
      persons: persons.rows.filter((p) => p.held).map((p) => Number(p.id)),
    },
    uscc: b.uscc?.trim() || null,
    survivorBefore: {
      uscc: before.uscc,
      name: before.name,
      type: before.type,
      address: before.address,
      region_code: before.region_code,
      established_on: before.established_on,
      status: before.status,
      business_scope: before.business_scope,
      lon: before.lon,
      lat: before.lat,
      provenance: before.provenance,
    },
    survivorGeo,
  };

  // B releases its USCC first: the survivor may carry it (unique column).
  await tx
    .updateTable('entity')
    .set({ merged_into: a.id, uscc: null, updated_at: new Date() })
    .where('id', '=', b.id)
    .execute();
  await moveRows(tx, moved, b.id, a.id, { survivor: a.station_id });
  await refuseEntities(tx, [a.id], input.rules);
  if (moved.uscc) {
    await tx
      .updateTable('entity')
      .set({ uscc: moved.uscc })
      .where('id', '=', a.id)
      .where('uscc', 'is', null)
      .execute();
  }
  // The survivor may now have the absorbed entity's point: its grid and 所 follow at once.
  await locateEntities(tx, [a.id]);

  const row = await tx
    .insertInto('entity_merge')
    .values({
      survivor_id: a.id,
      absorbed_id: b.id,
      match_id: input.matchId ?? null,
      reason: input.reason,
      moved: json(moved),
      actor_id: input.actor.id,
      actor_name: input.actor.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const mergeId = Number(row.id);
  const payload = {
    mergeId,
    survivor: { id: a.id, name: a.name },
    absorbed: { id: b.id, name: b.name },
    reason: input.reason,
    moved: movedCounts(moved),
  };
  for (const [e, role] of [
    [a, 'survivor'],
    [b, 'absorbed'],
  ] as const) {
    await appendEvent(tx, {
      actor: input.actor,
      subjectType: 'entity',
      subjectId: e.id,
      departmentId: e.station_id,
      kind: 'entity.merged',
      payload: { ...payload, role },
    });
  }
  return { mergeId, survivor: payload.survivor, absorbed: payload.absorbed, moved };
}

export function movedCounts(m: MergeMoved) {
  return {
    sourceRecords: m.sourceRecords.length,
    licences: m.licences.length,
    creditRecords: m.creditRecords.length,
    persons: m.persons.length,
    kept: m.kept.creditRecords.length + m.kept.persons.length,
  };
}

/**
 * Move the logged rows from one entity to another; rows no longer at `from` are left where they are. Persons carry
 * their entity's 所 for the PII scope: the survivor's on merge (`station`), their own again on un-merge.
 */
async function moveRows(
  tx: Tx,
  moved: MergeMoved,
  from: number,
  to: number,
  station: { survivor: number | null } | 'restore',
): Promise<void> {
  for (const [table, list] of [
    ['entity_source_record', moved.sourceRecords],
    ['entity_licence', moved.licences],
    ['entity_credit_record', moved.creditRecords],
  ] as const) {
    if (list.length === 0) continue;
    await tx
      .updateTable(table)
      .set({ entity_id: to })
      .where('id', 'in', list)
      .where('entity_id', '=', from)
      .execute();
  }
  if (moved.persons.length === 0) return;
  const rows = moved.persons.map((p) => ({
    id: p.id,
    station_id: station === 'restore' ? p.stationId : station.survivor,
  }));
  await sql`
    update entity_person p set entity_id = ${to}, station_id = v.station_id
    from jsonb_to_recordset(${json(rows)}::jsonb) as v(id bigint, station_id bigint)
    where p.id = v.id and p.entity_id = ${from}`.execute(tx);
}

export interface RevertInput {
  mergeId: number;
  reason: string;
  actor: Actor;
  viewer: Viewer;
  rules: FieldRules;
}

/** Why merge `m` cannot be undone now: its survivor has since been absorbed by a later merge. */
export async function revertBlocker(tx: Tx | Kysely<DB>, survivorId: number): Promise<string | null> {
  const later = await tx
    .selectFrom('entity_merge as m')
    .innerJoin('entity as s', 's.id', 'm.survivor_id')
    .select(['m.id', 's.name', 'm.created_at'])
    .where('m.absorbed_id', '=', survivorId)
    .where('m.reverted_at', 'is', null)
    .orderBy('m.id', 'desc')
    .executeTakeFirst();
  if (!later) return null;
  return `该主体之后又被合并到「${later.name}」（合并记录 #${later.id}），请先撤销那次合并`;
}

export async function revertMerge(tx: Tx, input: RevertInput): Promise<MergeResult> {
  const m = await tx
    .selectFrom('entity_merge')
    .selectAll()
    .where('id', '=', input.mergeId)
    .forUpdate()
    .executeTakeFirst();
  if (!m) throw notFound('合并记录');
  const [a, b] = await lockPair(tx, input.viewer, [Number(m.survivor_id), Number(m.absorbed_id)]);
  if (m.reverted_at) throw refusal(`合并记录 #${m.id} 已于此前撤销`);
  const blocker = await revertBlocker(tx, a.id);
  if (blocker || a.merged_into !== null) {
    throw new AppError('MERGE_ORDER', `不能撤销合并记录 #${m.id}：${blocker ?? '存续主体已被合并'}`, {
      status: 409,
    });
  }
  if (b.merged_into !== a.id) throw refusal(`主体「${b.name}」当前不是合并到「${a.name}」的状态`);
  const moved = m.moved;
  const current = (await loadColumns(tx, [a.id])).get(a.id)!;

  await moveRows(tx, moved, a.id, b.id, 'restore');
  if (moved.uscc) {
    // Records of B's USCC that arrived after the merge belong to B as well.
    await sql`
      update entity_source_record set entity_id = ${b.id}
      where entity_id = ${a.id} and fields->>'uscc' = ${moved.uscc}`.execute(tx);
    await tx
      .updateTable('entity')
      .set({ uscc: null })
      .where('id', '=', a.id)
      .where(sql`uscc`, '=', sql`${moved.uscc}::char(18)`)
      .execute();
  }
  await tx
    .updateTable('entity')
    .set({ merged_into: null, uscc: moved.uscc, updated_at: new Date() })
    .where('id', '=', b.id)
    .execute();
  // The survivor starts from its pre-merge columns. A point a person placed since stays where it is; otherwise
  // the pre-merge point counts as what it was (a geocoder's guess gives way to the survivor's own records).
  const geo = moved.survivorGeo;
  const placedByHand = current.geo_source === 'manual';
  const baseline: EntityColumns = placedByHand
    ? { ...moved.survivorBefore, lon: current.lon, lat: current.lat, geo_source: 'manual' }
    : { ...moved.survivorBefore, ...(geo ? { geo_source: geo.geo_source } : {}) };
  await refuseEntities(tx, [a.id], input.rules, new Map([[a.id, baseline]]));
  await refuseEntities(tx, [b.id], input.rules);
  if (geo && !placedByHand) await restoreGeo(tx, a.id, moved.survivorBefore, geo, current);
  await locateEntities(tx, [a.id, b.id]);

  await tx
    .updateTable('entity_merge')
    .set({
      reverted_at: new Date(),
      reverted_by_id: input.actor.id,
      reverted_by_name: input.actor.name,
      revert_reason: input.reason,
    })
    .where('id', '=', m.id)
    .execute();
  if (m.match_id !== null) {
    // Undoing a confirmed pair is a decision that they are different: it is not proposed again.
    await tx
      .updateTable('entity_match')
      .set({ status: 'rejected', note: `撤销合并：${input.reason}`, decided_at: new Date() })
      .where('id', '=', m.match_id)
      .execute();
  }
  const payload = {
    mergeId: Number(m.id),
    survivor: { id: a.id, name: a.name },
    absorbed: { id: b.id, name: b.name },
    reason: input.reason,
    moved: movedCounts(moved),
  };
  for (const [e, role] of [
    [a, 'survivor'],
    [b, 'absorbed'],
  ] as const) {
    await appendEvent(tx, {
      actor: input.actor,
      subjectType: 'entity',
      subjectId: e.id,
      departmentId: e.station_id,
      kind: 'entity.unmerged',
      payload: { ...payload, role },
    });
  }
  return { mergeId: Number(m.id), survivor: payload.survivor, absorbed: payload.absorbed, moved };
}
