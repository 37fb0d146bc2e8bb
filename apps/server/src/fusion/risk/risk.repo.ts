import { sql } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import { notifyMany } from '../../platform/db/database.ts';
import { json } from '../../platform/db/json.ts';
import { type Actor, LEDGER_CHANNEL } from '../../platform/ledger/ledger.service.ts';
import type { Executor } from '../entities/entities.repo.ts';
import { batchOf } from './risk.indicator.ts';
import type { RiskClass } from './risk.model.ts';
import type { StoredContribution } from './risk.tables.ts';

/** SQL of 信用风险分类: batch state, writes of changed results, reads for the explanation and the overview. */
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

export interface BatchEntity {
  id: number;
  station_id: number | null;
  risk_class: RiskClass | null;
  fingerprint: string | null;
  score: number | null;
}

/**
 * The entities of a batch that still stand on their own (not absorbed by a merge), with their current class and
 * stored result. Nothing is locked: a nightly run over a million entities must not rewrite every row's lock bits;
 * `setEntityClasses` settles a race instead.
 */
export async function loadBatch(db: Executor, ids: readonly number[]): Promise<BatchEntity[]> {
  const { rows } = await sql<BatchEntity>`
    select e.id, e.station_id, e.risk_class, r.fingerprint, r.score
    from ${batchOf(ids)} join entity e on e.id = b.id left join entity_risk r on r.entity_id = e.id
    where e.merged_into is null
    order by e.id`.execute(db);
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    station_id: r.station_id === null ? null : Number(r.station_id),
  }));
}

/** The next `limit` entity ids after `after` (keyset over the whole register). */
export async function nextEntityIds(db: Executor, after: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('entity')
    .select('id')
    .where('merged_into', 'is', null)
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

/**
 * Entities an exchange run touched: records it delivered (source records, licences, credit records) and entities
 * updated since it started. One pass; the caller recomputes them in batches.
 */
export async function entityIdsOfRun(db: Executor, runId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select e.id from entity e
    where e.merged_into is null and (
      e.id in (select entity_id from entity_source_record where run_id = ${runId})
      or e.id in (select entity_id from entity_licence where source_run_id = ${runId})
      or e.id in (select entity_id from entity_credit_record where source_run_id = ${runId})
      or e.updated_at >= (select started_at from exchange_run where id = ${runId}))
    order by e.id`.execute(db);
  return rows.map((r) => Number(r.id));
}

export interface RiskRow {
  entityId: number;
  riskClass: RiskClass;
  score: number;
  contributions: StoredContribution[];
  thresholds: number[];
  modelVersion: string;
  asOf: string;
  fingerprint: string;
}

/** Insert or replace the results of a batch in one statement. */
export async function saveResults(db: Executor, rows: readonly RiskRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('entity_risk')
    .values(
      rows.map((r) => ({
        entity_id: r.entityId,
        risk_class: r.riskClass,
        score: r.score,
        contributions: json(r.contributions),
        thresholds: json(r.thresholds),
        model_version: r.modelVersion,
        as_of: r.asOf,
        fingerprint: r.fingerprint,
      })),
    )
    .onConflict((oc) =>
      oc.column('entity_id').doUpdateSet((eb) => ({
        risk_class: eb.ref('excluded.risk_class'),
        score: eb.ref('excluded.score'),
        contributions: eb.ref('excluded.contributions'),
        thresholds: eb.ref('excluded.thresholds'),
        model_version: eb.ref('excluded.model_version'),
        as_of: eb.ref('excluded.as_of'),
        fingerprint: eb.ref('excluded.fingerprint'),
        computed_at: sql`now()`,
      })),
    )
    .execute();
}

/**
 * The searchable copy in `entity.risk_class`, for the entities whose class changed, each only if it still holds
 * the class this run read: when two runs (nightly and an import's) reclassify the same entity at once, the second
 * one's update finds the class already moved and reports nothing, so the change is recorded once. Returns the ids
 * updated. `updated_at` is left alone: it tells when the registration facts changed, and a new class is not one.
 */
export async function setEntityClasses(
  db: Executor,
  changes: readonly { id: number; from: RiskClass | null; to: RiskClass }[],
): Promise<Set<number>> {
  if (changes.length === 0) return new Set();
  const { rows } = await sql<{ id: number }>`
    update entity set risk_class = v.risk_class
    from unnest(${changes.map((c) => c.id)}::bigint[], ${changes.map((c) => c.from)}::text[],
      ${changes.map((c) => c.to)}::text[]) as v(id, old, risk_class)
    where entity.id = v.id and entity.risk_class is not distinct from v.old
    returning entity.id`.execute(db);
  return new Set(rows.map((r) => Number(r.id)));
}

export interface RiskChangedEvent {
  entityId: number;
  departmentId: number | null;
  payload: Record<string, unknown>;
}

/**
 * `entity.risk.changed` ledger events of a batch: the rows appendEvent would write, in one insert, and one NOTIFY
 * per event in one statement (delivered on commit, like appendEvent's), because a model change can move many
 * entities at once.
 */
export async function appendRiskEvents(
  db: Executor,
  actor: Actor,
  events: readonly RiskChangedEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const rows = await db
    .insertInto('ledger_event')
    .values(
      events.map((e) => ({
        actor_id: actor.id,
        actor_name: actor.name,
        subject_type: 'entity',
        subject_id: String(e.entityId),
        clue_id: null,
        department_id: e.departmentId,
        kind: 'entity.risk.changed',
        payload: json(e.payload),
      })),
    )
    .returning('id')
    .execute();
  await notifyMany(
    db as Parameters<typeof notifyMany>[0],
    LEDGER_CHANNEL,
    rows.map((r) => String(r.id)),
  );
}

/** One entity's stored result, or `found: false` when the entity is missing or outside the viewer's scope. */
export async function findEntityRisk(db: Executor, viewer: Viewer, entityId: number) {
  const row = await db
    .selectFrom('entity as e')
    .leftJoin('entity_risk as r', 'r.entity_id', 'e.id')
    .select(['e.id', 'e.name', 'e.risk_class as entity_class'])
    .select([
      'r.risk_class',
      'r.score',
      'r.contributions',
      'r.thresholds',
      'r.model_version',
      sql<string | null>`to_char(r.as_of, 'YYYY-MM-DD')`.as('as_of'),
      'r.computed_at',
    ])
    .where('e.id', '=', entityId)
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }))
    .executeTakeFirst();
  return row;
}

/** The stored result of one entity, by id only (callers have checked the scope). */
export async function loadStoredRisk(db: Executor, entityId: number) {
  return db
    .selectFrom('entity_risk')
    .select(['risk_class', 'score', 'contributions', 'thresholds', 'model_version', 'computed_at'])
    .select(sql<string>`to_char(as_of, 'YYYY-MM-DD')`.as('as_of'))
    .where('entity_id', '=', entityId)
    .executeTakeFirst();
}

export type StoredRisk = NonNullable<Awaited<ReturnType<typeof loadStoredRisk>>>;

/** Entities per 所 and class in the viewer's scope (absorbed entities left out), in one grouped scan. */
export async function countByStationAndClass(db: Executor, viewer: Viewer) {
  const rows = await db
    .selectFrom('entity as e')
    .select(['e.station_id', 'e.risk_class'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('e.merged_into', 'is', null)
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }))
    .groupBy(['e.station_id', 'e.risk_class'])
    .execute();
  return rows.map((r) => ({
    stationId: r.station_id === null ? null : Number(r.station_id),
    riskClass: r.risk_class,
    n: Number(r.n),
  }));
}

/** How many entities in scope each indicator currently scores for. */
export async function countIndicatorHits(db: Executor, viewer: Viewer): Promise<Map<string, number>> {
  const hits = db
    .selectFrom('entity_risk as r')
    .innerJoin('entity as e', 'e.id', 'r.entity_id')
    .select(sql<string>`jsonb_array_elements(r.contributions) ->> 'key'`.as('key'))
    // Only a scoring result has contributions; the partial index holds just those.
    .where('r.score', '>', 0)
    .where('e.merged_into', 'is', null)
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }));
  const rows = await db
    .selectFrom(hits.as('h'))
    .select(['h.key', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('h.key')
    .execute();
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

export const RECOMPUTE_JOB = 'fusion.risk.recompute';

/** The newest full recomputation job (payload without entity ids) still on record. */
export async function latestFullRun(db: Executor) {
  return db
    .selectFrom('job')
    .select(['id', 'status', 'created_at', 'finished_at'])
    .where('name', '=', RECOMPUTE_JOB)
    .where(sql<boolean>`not (payload ? 'entityIds')`)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A full recomputation waiting or running, if any (a second request joins it instead of queueing another). */
export async function pendingFullRun(db: Executor) {
  return db
    .selectFrom('job')
    .select('id')
    .where('name', '=', RECOMPUTE_JOB)
    .where('status', 'in', ['pending', 'running'])
    .where(sql<boolean>`not (payload ? 'entityIds')`)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}
