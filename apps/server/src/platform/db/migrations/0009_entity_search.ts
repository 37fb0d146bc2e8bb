import { type Kysely, sql } from 'kysely';

// 一户一档 search: one index per filter the entity search page offers (name already has entity_name_trgm_idx).
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    // USCC prefix (`like 'X%'`): uscc is char(18), so the pattern operator class is bpchar's.
    sql`create index entity_uscc_prefix_idx on entity (uscc bpchar_pattern_ops)`,
    sql`create index entity_address_trgm_idx on entity using gin (address gin_trgm_ops)`,
    sql`create index entity_business_lines_idx on entity using gin (business_lines jsonb_path_ops)`,
    sql`create index entity_risk_idx on entity (risk_class, id)`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'entity_risk_idx',
    'entity_business_lines_idx',
    'entity_address_trgm_idx',
    'entity_uscc_prefix_idx',
  ]) {
    await sql`drop index if exists ${sql.id(name)}`.execute(db);
  }
}
