import { type Kysely, sql } from 'kysely';

// `entity_person.station_id` is the data scope of a person's sealed name, ID number and phone (PII reveal). It was
// copied from the entity when the row was written, so it went stale when the entity got or changed its 所 later
// (grid placement after the import, a manual relocation, a merge): the entity's own 所长 could not reveal, the
// 所 it left still could. Two triggers keep it the entity's, whatever code writes either table; existing rows are
// set once here.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create or replace function entity_person_station() returns trigger language plpgsql as $$
      begin
        new.station_id := (select station_id from entity where id = new.entity_id);
        return new;
      end $$`,
    sql`drop trigger if exists entity_person_station on entity_person`,
    sql`create trigger entity_person_station before insert or update of entity_id, station_id on entity_person
      for each row execute function entity_person_station()`,
    sql`create or replace function entity_station_to_persons() returns trigger language plpgsql as $$
      begin
        update entity_person set station_id = new.station_id
          where entity_id = new.id and station_id is distinct from new.station_id;
        return null;
      end $$`,
    sql`drop trigger if exists entity_station_to_persons on entity`,
    sql`create trigger entity_station_to_persons after update of station_id on entity
      for each row when (old.station_id is distinct from new.station_id)
      execute function entity_station_to_persons()`,
    sql`update entity_person p set station_id = e.station_id from entity e
      where e.id = p.entity_id and p.station_id is distinct from e.station_id`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists entity_station_to_persons on entity`.execute(db);
  await sql`drop function if exists entity_station_to_persons()`.execute(db);
  await sql`drop trigger if exists entity_person_station on entity_person`.execute(db);
  await sql`drop function if exists entity_person_station()`.execute(db);
}
