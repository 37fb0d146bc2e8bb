import { sql, type Transaction } from 'kysely';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FusionPlan } from './resolution.fuse.ts';
import { type MatchDetail, packProvenance } from './resolution.tables.ts';

/** SQL of resolution's write side: candidate retrieval, new entities, queued pairs. */
type Tx = Transaction<DB>;

export interface Candidate {
  id: number;
  name_norm: string;
  address_norm: string;
  /** pg_trgm similarity of the normal forms. */
  name_sim: number;
  address_sim: number;
}

/**
 * Entities whose normal name is trigram-similar (`%`, threshold set by the caller for the transaction), found
 * through the partial GIN index of migration 0014; the address is compared only for the candidates.
 */
export async function findCandidates(tx: Tx, name: string, address: string): Promise<Candidate[]> {
  if (name === '') return [];
  const rows = await sql<Candidate>`
    select id, name_norm, address_norm,
      similarity(name_norm, ${name}) as name_sim, similarity(address_norm, ${address}) as address_sim
    from entity
    where merged_into is null and name_norm % ${name}
    order by similarity(name_norm, ${name}) desc, id
    limit 20`.execute(tx);
  return rows.rows.map((r) => ({
    ...r,
    id: Number(r.id),
    name_sim: Number(r.name_sim),
    address_sim: Number(r.address_sim),
  }));
}

const entityRow = (p: FusionPlan) => ({
  ...p.columns,
  provenance: packProvenance(p.provenance),
  name_norm: p.nameNorm,
  address_norm: p.addressNorm,
});

/**
 * New entities, one per plan; a USCC another transaction just took is skipped. Returns the entities made, by USCC
 * (so the caller needs no second look-up for them).
 */
export async function insertEntities(tx: Tx, plans: readonly FusionPlan[]): Promise<Map<string, number>> {
  if (plans.length === 0) return new Map();
  const result = await sql<{ id: number; uscc: string }>`
    insert into entity (uscc, name, type, address, region_code, established_on, status, business_scope,
      lon, lat, provenance, name_norm, address_norm)
    select uscc, name, type, address, region_code, established_on, status, business_scope, lon, lat,
      provenance, name_norm, address_norm
    from jsonb_to_recordset(${json(plans.map(entityRow))}::jsonb) as v(
      uscc text, name text, type text, address text, region_code text, established_on date,
      status text, business_scope text, lon double precision, lat double precision, provenance jsonb,
      name_norm text, address_norm text)
    on conflict (uscc) do nothing
    returning id, uscc`.execute(tx);
  return new Map(result.rows.map((r) => [r.uscc, Number(r.id)]));
}

/** One new entity (a record without USCC); returns its id. */
export async function insertEntity(tx: Tx, plan: FusionPlan): Promise<number> {
  const r = entityRow(plan);
  const row = await tx
    .insertInto('entity')
    .values({
      ...r,
      business_lines: json<string[]>([]),
      provenance: json(r.provenance),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface MatchInsert {
  entity_id: number;
  candidate_id: number;
  score: number;
  name_score: number;
  address_score: number;
  run_id: number | null;
  detail: MatchDetail;
}

/** Queue uncertain pairs; a pair already known (any status) is left as it is. Returns how many were queued. */
export async function insertMatches(tx: Tx, matches: readonly MatchInsert[]): Promise<number> {
  if (matches.length === 0) return 0;
  const result = await tx
    .insertInto('entity_match')
    .values(matches.map((m) => ({ ...m, detail: json(m.detail) })))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
