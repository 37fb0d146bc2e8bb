import { sql, type Transaction } from 'kysely';
import { json } from '../db/json.ts';
import type { DB } from '../db/schema.ts';
import { normalizeAddress, normalizeName } from '../../fusion/resolution/resolution.normalize.ts';
import type { GridPlan } from './county.ts';
import type { EntityPlan } from './entities.ts';
import type { DepartmentPlan } from './org.ts';
import type { StaffPlan } from './staff.ts';

/**
 * Writes the demo plan through one transaction. Every bulk path is a multi-row insert (STACK-NOTES.md: a row at a
 * time is far too slow on PGlite); chunks stay well below PostgreSQL's 65,535 bind parameters.
 */
type Tx = Transaction<DB>;

const ENTITY_CHUNK = 1000;
const ROW_CHUNK = 500;

async function inChunks<T>(
  rows: readonly T[],
  size: number,
  write: (chunk: T[]) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/** Departments with materialised paths `/<bureau>/<child>/`; returns ids by plan key. */
export async function writeDepartments(
  tx: Tx,
  plans: readonly DepartmentPlan[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const root = plans.find((p) => p.parentKey === null);
  if (!root) throw new Error('department plan has no root');
  const bureau = await tx
    .insertInto('department')
    .values({
      name: root.name,
      kind: root.kind,
      code: root.code,
      path: '/',
      sort: root.sort,
      region_code: root.regionCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('department')
    .set({ path: `/${bureau.id}/` })
    .where('id', '=', bureau.id)
    .execute();
  ids.set(root.key, bureau.id);

  const children = plans.filter((p) => p.parentKey === root.key);
  const rows = await tx
    .insertInto('department')
    .values(
      children.map((p) => ({
        parent_id: bureau.id,
        name: p.name,
        kind: p.kind,
        code: p.code,
        path: '/',
        sort: p.sort,
        region_code: p.regionCode,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  const idByCode = new Map(rows.map((r) => [r.code, r.id]));
  for (const p of children) ids.set(p.key, idByCode.get(p.code)!);
  await sql`update department set path = '/' || parent_id || '/' || id || '/' where parent_id = ${bureau.id}`.execute(
    tx,
  );
  return ids;
}

export async function writePosts(
  tx: Tx,
  posts: readonly { code: string; name: string }[],
): Promise<Map<string, number>> {
  const rows = await tx
    .insertInto('post')
    .values(posts.map((p) => ({ code: p.code, name: p.name })))
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
    .returning(['id', 'code'])
    .execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** Grids in plan order; returns their ids in the same order. */
export async function writeGrids(
  tx: Tx,
  grids: readonly GridPlan[],
  stationIds: readonly number[],
): Promise<number[]> {
  const rows = await tx
    .insertInto('grid')
    .values(
      grids.map((g) => ({
        code: g.code,
        name: g.name,
        station_id: stationIds[g.townIndex]!,
        geometry: json({ type: 'Polygon' as const, coordinates: [g.ring] }),
        center_lon: g.center[0],
        center_lat: g.center[1],
      })),
    )
    .returning(['id', 'code'])
    .execute();
  const idByCode = new Map(rows.map((r) => [r.code, r.id]));
  return grids.map((g) => idByCode.get(g.code)!);
}

export async function writeEntities(
  tx: Tx,
  entities: readonly EntityPlan[],
  gridIds: readonly number[],
  stationIds: readonly number[],
  onChunk?: (written: number) => void,
): Promise<number[]> {
  let written = 0;
  const idByUscc = new Map<string, number>();
  await inChunks(entities, ENTITY_CHUNK, async (chunk) => {
    const rows = await tx
      .insertInto('entity')
      .values(
        chunk.map((e) => ({
          uscc: e.uscc,
          name: e.name,
          type: e.type,
          address: e.address,
          // The normal forms resolution and the search's 名称相近 read, as an import would store them.
          name_norm: normalizeName(e.name),
          address_norm: normalizeAddress(e.address),
          region_code: e.regionCode,
          grid_id: gridIds[e.gridIndex]!,
          station_id: stationIds[e.townIndex]!,
          lon: e.lon,
          lat: e.lat,
          business_lines: json(e.businessLines),
          established_on: e.establishedOn,
          status: e.status,
        })),
      )
      .returning(['id', 'uscc'])
      .execute();
    for (const r of rows) idByUscc.set(r.uscc!, Number(r.id));
    written += chunk.length;
    onChunk?.(written);
  });
  // Ids in plan order (by the unique USCC, not by trusting the order of RETURNING).
  return entities.map((e) => idByUscc.get(e.uscc)!);
}

export interface StaffRefs {
  departments: Map<string, number>;
  roles: Map<string, number>;
  posts: Map<string, number>;
}

/** A staff member's mobile number as stored: vault token and blind index (never the plain number). */
export type SealPhone = (phone: string) => { enc: string; bidx: string };

/**
 * Users (demo accounts, no forced password change), their roles and posts. `hashes[i]` belongs to `staff[i]`;
 * phone numbers are sealed chunk by chunk as the rows are built (no extra query per row).
 */
export async function writeStaff(
  tx: Tx,
  staff: readonly StaffPlan[],
  hashes: readonly string[],
  refs: StaffRefs,
  sealPhone: SealPhone,
): Promise<void> {
  const idByUsername = new Map<string, number>();
  const indexed = staff.map((s, i) => ({ s, hash: hashes[i]! }));
  await inChunks(indexed, ROW_CHUNK, async (chunk) => {
    const rows = await tx
      .insertInto('app_user')
      .values(
        chunk.map(({ s, hash }) => ({
          ...phoneColumns(s.phone, sealPhone),
          username: s.username,
          display_name: s.displayName,
          department_id: refs.departments.get(s.deptKey)!,
          password_hash: hash,
          must_change_password: false,
          is_demo: true,
          cert_no: s.cert?.no ?? null,
          cert_valid_until: s.cert?.validUntil ?? null,
        })),
      )
      .returning(['id', 'username'])
      .execute();
    for (const r of rows) idByUsername.set(r.username, r.id);
  });
  const userRoles = staff.map((s) => ({
    user_id: idByUsername.get(s.username)!,
    role_id: refs.roles.get(s.roleCode)!,
  }));
  await inChunks(userRoles, ROW_CHUNK, async (chunk) => {
    await tx.insertInto('user_role').values(chunk).execute();
  });
  const userPosts = staff.flatMap((s) =>
    s.postCodes.map((code) => ({ user_id: idByUsername.get(s.username)!, post_id: refs.posts.get(code)! })),
  );
  await inChunks(userPosts, ROW_CHUNK, async (chunk) => {
    await tx.insertInto('user_post').values(chunk).execute();
  });
}

function phoneColumns(phone: string | undefined, seal: SealPhone) {
  if (!phone) return {};
  const { enc, bidx } = seal(phone);
  return { phone_enc: enc, phone_bidx: bidx };
}
