import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { json } from '../../platform/db/json.ts';
import type { DB, EntityType } from '../../platform/db/schema.ts';
import type { SettingsService } from '../../platform/settings/settings.service.ts';
import { findCandidates, insertEntities, insertEntity, insertMatches } from './resolution.candidates.ts';
import { type FusionRecord, planFusion } from './resolution.fuse.ts';
import { normalizeAddress, normalizeName, normalizeNameForKey } from './resolution.normalize.ts';
import { matchScore } from './resolution.score.ts';
import { type FusionConfig, loadFusionConfig } from './resolution.settings.ts';
import { refuseEntities } from './resolution.write.ts';

/**
 * The intake contract between the data exchange (support/exchange: reading, mapping, validating) and data fusion
 * (this module: deciding which entity a record describes and what the entity's fields become).
 */

/** One validated 登记注册 record, whatever source it came from. */
export interface RegistrationRecord {
  rowNo: number;
  /** Null for older 个体工商户 registrations without a USCC: resolved by name + address. */
  uscc: string | null;
  /** The source's own key when there is no USCC (注册号), else null. */
  sourceKey: string | null;
  name: string;
  type: EntityType;
  address: string;
  regionCode: string;
  establishedOn: string | null;
  status: string;
  businessScope: string | null;
  lon: number | null;
  lat: number | null;
  /** The source's own 更新时间 (ISO), when it has one: the `newest` rule prefers it to the time of receipt. */
  updatedAt?: string | null;
}

export interface IntakeMeta {
  source: string;
  runId: number;
  /** Lower is more trusted (exchange_source.trusted_rank). */
  trustedRank: number;
  receivedAt: Date;
}

export interface ApplyOutcome {
  /** Entities created. */
  inserted: number;
  /** Existing entities whose registration values changed. */
  updated: number;
  /** Records whose entity is uncertain, waiting in the merge queue for a person. */
  queued: number;
}

type Tx = Transaction<DB>;

/** The target fields of a record as stored in `entity_source_record.fields` (and fused into the entity). */
export function recordFields(r: RegistrationRecord): Record<string, unknown> {
  return {
    uscc: r.uscc || null,
    name: r.name,
    type: r.type,
    address: r.address,
    regionCode: r.regionCode,
    establishedOn: r.establishedOn,
    status: r.status,
    businessScope: r.businessScope,
    lon: r.lon,
    lat: r.lat,
  };
}

/**
 * Source key of a record without USCC or 注册号: its normal forms (the name's by normalizeNameForKey, which stays as
 * keys were first written), hashed (`h:` never collides with codes).
 */
export function hashedSourceKey(nameNorm: string, addressNorm: string): string {
  return `h:${createHash('sha256').update(`${nameNorm}\n${addressNorm}`).digest('hex').slice(0, 40)}`;
}

/**
 * Apply one batch of registration records in one transaction (the caller's, when it passes one). Every record is
 * kept as an `entity_source_record`; a record whose fields did not change since its last delivery changes
 * nothing. Records with a USCC link to the entity holding it (created when new) in a handful of set-based
 * statements; records without one are matched by name + address (resolution.score.ts) one by one.
 */
export async function applyRegistrations(
  db: Kysely<DB> | Tx,
  batch: RegistrationRecord[],
  meta: IntakeMeta,
  deps: { settings?: Pick<SettingsService, 'get'> } = {},
): Promise<ApplyOutcome> {
  if (batch.length === 0) return { inserted: 0, updated: 0, queued: 0 };
  const config = await loadFusionConfig(db, deps.settings);
  const run = (tx: Tx) => applyInTransaction(tx, batch, meta, config);
  return db.isTransaction ? run(db as Tx) : db.transaction().execute(run);
}

async function applyInTransaction(
  tx: Tx,
  batch: RegistrationRecord[],
  meta: IntakeMeta,
  config: FusionConfig,
): Promise<ApplyOutcome> {
  const out: ApplyOutcome = { inserted: 0, updated: 0, queued: 0 };
  const refuse = new Set<number>();
  // One record per USCC (the exchange refuses duplicates in a file; a last line of defence for other callers):
  // the later row wins, as it would in two deliveries.
  const withUscc = [...new Map(batch.filter((r) => r.uscc).map((r) => [r.uscc!, r])).values()];
  const without = batch.filter((r) => !r.uscc);
  if (withUscc.length > 0) await applyByUscc(tx, withUscc, meta, config, out, refuse);
  if (without.length > 0) await applyByNameAndAddress(tx, without, meta, config, out, refuse);
  out.updated += await refuseEntities(tx, [...refuse], config.rules);
  return out;
}

interface UpsertedRecord {
  id: number;
  source_key: string;
  entity_id: number | null;
  inserted: boolean;
}

/** The record ids' sequence, looked up once per statement (a per-row lookup costs as much as the insert). */
const RECORD_SEQUENCE = sql`(select pg_get_serial_sequence('entity_source_record', 'id')::regclass as seq)`;

interface RecordRow {
  /** Reserved for a record whose new entity already names it in its provenance; else the identity default. */
  id: number | null;
  source_key: string;
  entity_id: number | null;
  source_updated_at: string | null;
  fields: object;
}

/**
 * Insert new records and replace changed ones; unchanged ones are not returned. A replaced record keeps its
 * entity link (a merge may have moved it).
 */
async function upsertRecords(
  tx: Tx,
  meta: IntakeMeta,
  rows: RecordRow[],
  method: 'uscc' | 'new',
): Promise<UpsertedRecord[]> {
  const result = await sql<UpsertedRecord>`
    insert into entity_source_record
      (id, source, source_key, entity_id, run_id, received_at, source_updated_at, fields, match_method)
    select coalesce(v.id, nextval(s.seq)), ${meta.source},
      v.source_key, v.entity_id, ${meta.runId}, ${meta.receivedAt}, v.source_updated_at, v.fields, ${method}
    from jsonb_to_recordset(${json(rows)}::jsonb)
      as v(id bigint, source_key text, entity_id bigint, source_updated_at timestamptz, fields jsonb),
      ${RECORD_SEQUENCE} s
    on conflict (source, source_key) do update set
      fields = excluded.fields, run_id = excluded.run_id, received_at = excluded.received_at,
      source_updated_at = excluded.source_updated_at
    where (entity_source_record.fields, entity_source_record.source_updated_at)
      is distinct from (excluded.fields, excluded.source_updated_at)
    returning id, source_key, entity_id, (xmax = 0) as inserted`.execute(tx);
  return result.rows.map((r) => ({
    id: Number(r.id),
    source_key: r.source_key,
    entity_id: r.entity_id === null ? null : Number(r.entity_id),
    inserted: r.inserted,
  }));
}

async function entitiesByUscc(tx: Tx, codes: readonly string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await sql<{ id: number; uscc: string }>`
    select id, uscc from entity where uscc = any(${`{${codes.join(',')}}`}::char(18)[])`.execute(tx);
  return new Map(rows.rows.map((r) => [r.uscc, Number(r.id)]));
}

/** The source's own update time, when it sent a readable one. */
function sourceTime(r: RegistrationRecord): Date | null {
  if (!r.updatedAt) return null;
  const d = new Date(r.updatedAt);
  return Number.isNaN(d.getTime()) ? null : d;
}

function fusionRecord(id: number, r: RegistrationRecord, meta: IntakeMeta): FusionRecord {
  return {
    id,
    source: meta.source,
    runId: meta.runId,
    at: sourceTime(r) ?? meta.receivedAt,
    rank: meta.trustedRank,
    manual: false,
    fields: recordFields(r),
  };
}

async function applyByUscc(
  tx: Tx,
  records: RegistrationRecord[],
  meta: IntakeMeta,
  config: FusionConfig,
  out: ApplyOutcome,
  refuse: Set<number>,
): Promise<void> {
  const holders = await entitiesByUscc(
    tx,
    records.map((r) => r.uscc!),
  );
  // New USCCs: reserve their records' ids, so each new entity's provenance can name its record from the start.
  const fresh = records.filter((r) => !holders.has(r.uscc!));
  const reserved = new Map<string, number>();
  let created = new Map<string, number>();
  if (fresh.length > 0) {
    const ids = await sql<{ id: number }>`
      select nextval(s.seq) as id from ${RECORD_SEQUENCE} s, generate_series(1, ${fresh.length})`.execute(tx);
    for (const [i, r] of fresh.entries()) reserved.set(r.uscc!, Number(ids.rows[i]!.id));
    const plans = fresh.map((r) =>
      planFusion(null, [fusionRecord(reserved.get(r.uscc!)!, r, meta)], config.rules),
    );
    created = await insertEntities(tx, plans);
    out.inserted += created.size;
    for (const [code, id] of created) holders.set(code, id);
    // Another import may have created some of them in between: whoever holds the code now gets the record.
    const taken = fresh.map((r) => r.uscc!).filter((code) => !created.has(code));
    for (const [code, id] of await entitiesByUscc(tx, taken)) holders.set(code, id);
  }
  const upserted = await upsertRecords(
    tx,
    meta,
    records.map((r) => ({
      id: reserved.get(r.uscc!) ?? null,
      source_key: r.uscc!,
      entity_id: holders.get(r.uscc!) ?? null,
      source_updated_at: sourceTime(r)?.toISOString() ?? null,
      fields: recordFields(r),
    })),
    'uscc',
  );
  for (const u of upserted) {
    // A new record made a new entity from itself; any other change is fused into its entity.
    const madeItsEntity = u.inserted && created.has(u.source_key);
    if (!madeItsEntity && u.entity_id !== null) refuse.add(u.entity_id);
  }
}

/** Entities written by other modules (the demo seed, older code) get their normal forms before matching. */
async function fillMissingNorms(tx: Tx): Promise<void> {
  for (;;) {
    const rows = await tx
      .selectFrom('entity')
      .select(['id', 'name', 'address'])
      .where((eb) => eb.or([eb('name_norm', 'is', null), eb('address_norm', 'is', null)]))
      .limit(2000)
      .execute();
    if (rows.length === 0) return;
    const norms = rows.map((r) => ({
      id: r.id,
      name_norm: normalizeName(r.name),
      address_norm: normalizeAddress(r.address),
    }));
    await sql`
      update entity e set name_norm = v.name_norm, address_norm = v.address_norm
      from jsonb_to_recordset(${json(norms)}::jsonb) as v(id bigint, name_norm text, address_norm text)
      where e.id = v.id`.execute(tx);
  }
}

async function applyByNameAndAddress(
  tx: Tx,
  records: RegistrationRecord[],
  meta: IntakeMeta,
  config: FusionConfig,
  out: ApplyOutcome,
  refuse: Set<number>,
): Promise<void> {
  const cfg = config.resolution;
  await fillMissingNorms(tx);
  // `%` (the trigram index operator) matches at this similarity and above, for this transaction only.
  await sql`select set_config('pg_trgm.similarity_threshold', ${String(cfg.retrievalMin)}, true)`.execute(tx);
  for (const r of records) {
    const name = normalizeName(r.name);
    const address = normalizeAddress(r.address);
    const [u] = await upsertRecords(
      tx,
      meta,
      [
        {
          id: null,
          source_key: r.sourceKey || hashedSourceKey(normalizeNameForKey(r.name), address),
          entity_id: null,
          source_updated_at: sourceTime(r)?.toISOString() ?? null,
          fields: recordFields(r),
        },
      ],
      'new',
    );
    if (!u) continue; // unchanged since the last delivery
    if (!u.inserted) {
      // A known record with new facts stays with its entity; the entity is fused again.
      if (u.entity_id !== null) refuse.add(u.entity_id);
      continue;
    }
    const scored = (await findCandidates(tx, name, address))
      .map((c) => ({
        id: c.id,
        c,
        ...matchScore(
          { name, address },
          { name: c.name_norm, address: c.address_norm },
          { name: c.name_sim, address: c.address_sim },
          cfg,
        ),
      }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
    const best = scored[0];
    if (best && best.score >= cfg.autoThreshold) {
      await tx
        .updateTable('entity_source_record')
        .set({ entity_id: best.id, match_method: 'similarity', match_score: best.score })
        .where('id', '=', u.id)
        .execute();
      refuse.add(best.id);
      continue;
    }
    const entityId = await insertEntity(tx, planFusion(null, [fusionRecord(u.id, r, meta)], config.rules));
    out.inserted++;
    await tx
      .updateTable('entity_source_record')
      .set({ entity_id: entityId, match_score: best?.score ?? null })
      .where('id', '=', u.id)
      .execute();
    const uncertain = scored.filter((s) => s.score >= cfg.queueThreshold).slice(0, 3);
    const pairs = await insertMatches(
      tx,
      uncertain.map((s) => ({
        entity_id: entityId,
        candidate_id: s.id,
        score: s.score,
        name_score: s.nameScore,
        address_score: s.addressScore,
        run_id: meta.runId,
        detail: {
          numberMismatch: s.numberMismatch,
          names: [name, s.c.name_norm],
          addresses: [address, s.c.address_norm],
          nameWeight: cfg.nameWeight,
          autoThreshold: cfg.autoThreshold,
          queueThreshold: cfg.queueThreshold,
        },
      })),
    );
    if (pairs > 0) out.queued++;
  }
}
