import { type Kysely, sql } from 'kysely';

// 信用风险分类 (fusion/risk): the latest class of each entity with its explanation. `entity.risk_class` stays the
// searchable copy; this table says why. Rows are rewritten only when the result changes (fingerprint).
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create table entity_risk (
      entity_id bigint primary key references entity(id) on delete cascade,
      risk_class char(1) not null check (risk_class in ('A','B','C','D')),
      score integer not null check (score >= 0),
      contributions jsonb not null default '[]'::jsonb,
      thresholds jsonb not null,
      model_version text not null,
      as_of date not null,
      fingerprint text not null,
      computed_at timestamptz not null default now()
    )`,
    // The overview counts indicator hits over the entities that score at all (a small part of the register).
    sql`create index entity_risk_scored_idx on entity_risk (entity_id) where score > 0`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists entity_risk`.execute(db);
}
