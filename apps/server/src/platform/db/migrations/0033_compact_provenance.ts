import { type Kysely, sql } from 'kysely';

// entity.provenance held one object per fused field — `{source, runId, at, rule, recordId}` ten times over, ~1.1 KB,
// most of an entity row and of what an import writes per new entity. Packed (resolution.tables.ts
// `StoredProvenance`): each record once in `r` as [source, runId, at, recordId], each field as [index, rule].
// Rows already packed (they have `f`) and empty ones are left alone, so the step can run again safely.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    with field as (
      select e.id, kv.key, kv.value->'rule' as rule, kv.value->'source' as source,
        coalesce(kv.value->'runId', 'null'::jsonb) as run_id, kv.value->'at' as at,
        coalesce(kv.value->'recordId', 'null'::jsonb) as record_id
      from entity e cross join lateral jsonb_each(e.provenance) kv
      where e.provenance <> '{}'::jsonb and not e.provenance ? 'f'
    ), indexed as (
      select *, dense_rank() over (partition by id order by source, run_id, at, record_id) - 1 as idx from field
    ), packed as (
      select id,
        jsonb_build_object(
          'r', (select jsonb_agg(jsonb_build_array(d.source, d.run_id, d.at, d.record_id) order by d.idx)
                from (select distinct idx, source, run_id, at, record_id from indexed i2 where i2.id = i.id) d),
          'f', jsonb_object_agg(key, jsonb_build_array(idx, rule))
        ) as value
      from indexed i
      group by id
    )
    update entity e set provenance = packed.value from packed where e.id = packed.id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update entity e set provenance = coalesce((
      select jsonb_object_agg(f.key,
        jsonb_build_object('source', r->0, 'runId', r->1, 'at', r->2, 'rule', f.value->1)
        || case when r->3 = 'null'::jsonb then '{}'::jsonb else jsonb_build_object('recordId', r->3) end)
      from jsonb_each(e.provenance->'f') f
      cross join lateral (select e.provenance->'r'->((f.value->>0)::int) as r) x
    ), '{}'::jsonb)
    where e.provenance ? 'f'`.execute(db);
}
