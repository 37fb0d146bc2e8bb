import { type Kysely, sql, type Transaction } from 'kysely';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import {
  type EntityColumns,
  type FusionPlan,
  type FusionRecord,
  planFusion,
  valuesChanged,
} from './resolution.fuse.ts';
import type { FieldRules } from './resolution.settings.ts';
import { packProvenance, unpackProvenance } from './resolution.tables.ts';

/**
 * Loading and storing fusion, set-based: one query for the records of a set of entities, one for their current
 * columns, one `update … from jsonb_to_recordset(…)` for all of them.
 */
export type Executor = Kysely<DB> | Transaction<DB>;

export const MANUAL_SOURCE = 'manual';

interface RecordRow {
  id: number;
  entity_id: number | null;
  source: string;
  run_id: number | null;
  received_at: Date;
  source_updated_at: Date | null;
  fields: Record<string, unknown>;
  trusted_rank: number;
}

export function toFusionRecord(r: RecordRow): FusionRecord {
  return {
    id: Number(r.id),
    source: r.source,
    runId: r.run_id === null ? null : Number(r.run_id),
    at: new Date(r.source_updated_at ?? r.received_at),
    rank: r.trusted_rank,
    manual: r.source === MANUAL_SOURCE,
    fields: r.fields,
  };
}

/** Every record linked to the given entities, by entity. */
export async function loadRecords(ex: Executor, entityIds: readonly number[]) {
  const out = new Map<number, FusionRecord[]>();
  if (entityIds.length === 0) return out;
  const rows = await ex
    .selectFrom('entity_source_record as r')
    .innerJoin('exchange_source as s', 's.name', 'r.source')
    .select([
      'r.id',
      'r.entity_id',
      'r.source',
      'r.run_id',
      'r.received_at',
      'r.source_updated_at',
      'r.fields',
      's.trusted_rank',
    ])
    .where('r.entity_id', 'in', entityIds)
    .execute();
  for (const r of rows) {
    const id = Number(r.entity_id);
    const list = out.get(id) ?? [];
    list.push(toFusionRecord(r));
    out.set(id, list);
  }
  return out;
}

/** The current registration columns of the given entities. */
export async function loadColumns(ex: Executor, entityIds: readonly number[]) {
  const out = new Map<number, EntityColumns & { name_norm: string | null; address_norm: string | null }>();
  if (entityIds.length === 0) return out;
  const rows = await ex
    .selectFrom('entity')
    .select([
      'id',
      'uscc',
      'name',
      'type',
      'address',
      'region_code',
      sql<string | null>`to_char(established_on, 'YYYY-MM-DD')`.as('established_on'),
      'status',
      'business_scope',
      'lon',
      'lat',
      'provenance',
      'geo_source',
      'name_norm',
      'address_norm',
    ])
    .where('id', 'in', entityIds)
    .execute();
  for (const r of rows) out.set(Number(r.id), { ...r, provenance: unpackProvenance(r.provenance) });
  return out;
}

export type CurrentColumns = EntityColumns & { name_norm: string | null; address_norm: string | null };

export interface PlannedWrite {
  id: number;
  plan: FusionPlan;
  /** The row as it is now (null: a new entity, already inserted with these values). */
  current: CurrentColumns | null;
}

/** Write fusion results; only rows whose values, provenance or normal forms differ are sent. */
export async function writePlans(ex: Executor, plans: readonly PlannedWrite[]): Promise<number> {
  const rows = plans
    .map(({ id, plan, current }) => ({ id, plan, current, changed: valuesChanged(current, plan) }))
    .filter(
      ({ plan, current, changed }) =>
        current !== null &&
        (changed ||
          JSON.stringify(plan.provenance) !== JSON.stringify(current.provenance) ||
          plan.nameNorm !== current.name_norm ||
          plan.addressNorm !== current.address_norm),
    )
    .map(({ id, plan, changed }) => ({
      id,
      ...plan.columns,
      provenance: packProvenance(plan.provenance),
      name_norm: plan.nameNorm,
      address_norm: plan.addressNorm,
      changed,
    }));
  if (rows.length === 0) return 0;
  await sql`
    update entity e set
      uscc = v.uscc, name = v.name, type = v.type, address = v.address, region_code = v.region_code,
      established_on = v.established_on, status = v.status, business_scope = v.business_scope,
      lon = v.lon, lat = v.lat, provenance = v.provenance, name_norm = v.name_norm,
      address_norm = v.address_norm,
      updated_at = case when v.changed then now() else e.updated_at end
    from jsonb_to_recordset(${json(rows)}::jsonb) as v(
      id bigint, uscc text, name text, type text, address text, region_code text, established_on date,
      status text, business_scope text, lon double precision, lat double precision, provenance jsonb,
      name_norm text, address_norm text, changed boolean)
    where e.id = v.id`.execute(ex);
  return rows.filter((r) => r.changed).length;
}

/**
 * Re-fuse entities from their records now; returns how many changed a registration value. `baseline` replaces an
 * entity's current columns as the starting point — an un-merge starts from the survivor as it was before the
 * merge, so fields no record gives return to their old values.
 */
export async function refuseEntities(
  ex: Executor,
  entityIds: readonly number[],
  rules: FieldRules,
  baseline: ReadonlyMap<number, EntityColumns> = new Map(),
): Promise<number> {
  const ids = [...new Set(entityIds)];
  if (ids.length === 0) return 0;
  const records = await loadRecords(ex, ids);
  const columns = await loadColumns(ex, ids);
  const plans = ids.flatMap((id) => {
    const current = columns.get(id);
    const recs = records.get(id) ?? [];
    const base = baseline.get(id);
    // An entity without any record (written before fusion existed) keeps what it has.
    if (!current || (recs.length === 0 && !base)) return [];
    // A baseline without geo_source (merges logged before 2026-11-29) takes the entity's current one.
    const geoSource = base?.geo_source !== undefined ? base.geo_source : (current.geo_source ?? null);
    const start = base ? { ...base, geo_source: geoSource } : current;
    return [{ id, current, plan: planFusion(start, recs, rules) }];
  });
  return writePlans(ex, plans);
}
