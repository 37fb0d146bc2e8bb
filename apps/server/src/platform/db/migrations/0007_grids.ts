import { type Kysely, sql } from 'kysely';

// Grids (网格) administration and the separation of duties of the built-in roles.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    // The grid list's keyword filter is a substring match over code and name (the station filter already has
    // grid_station_idx from 0002).
    sql`create index grid_name_trgm_idx on grid using gin (name gin_trgm_ops)`,
    sql`create index grid_code_trgm_idx on grid using gin (code gin_trgm_ops)`,
    // 三员分立: built-in administrators no longer hold anything outside their own duty (the county overview is
    // business data; system settings are the system administrator's). Databases seeded before keep the rest.
    sql`update role set permissions = permissions - 'overview:county:read'::text where code = 'sysadmin' and builtin`,
    sql`update role set permissions = permissions - 'system:setting:read'::text where code = 'secadmin' and builtin`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists grid_code_trgm_idx`.execute(db);
  await sql`drop index if exists grid_name_trgm_idx`.execute(db);
}
