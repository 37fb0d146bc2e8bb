import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { hashPassword } from '../auth/password.ts';
import { json } from '../db/json.ts';
import type { DB } from '../db/schema.ts';
import { BUILTIN_ROLES } from '../org/roles.ts';

/** True when this database holds the demo county (the seed leaves a `demo.seeded` ledger event). */
export async function isDemoDatabase(db: Kysely<DB>): Promise<boolean> {
  const seeded = await db
    .selectFrom('ledger_event')
    .select('id')
    .where('kind', '=', 'demo.seeded')
    .limit(1)
    .executeTakeFirst();
  return seeded !== undefined;
}

export async function isOrgEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db
    .selectFrom('department')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0) === 0;
}

/** Insert (or refresh) the built-in roles; returns their ids by code. */
export async function ensureBuiltinRoles(db: Kysely<DB> | Transaction<DB>): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const r of BUILTIN_ROLES) {
    const row = await db
      .insertInto('role')
      .values({
        code: r.code,
        name: r.name,
        data_scope: r.dataScope,
        scope_department_ids: json([]),
        permissions: json(r.permissions),
        builtin: true,
      })
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet({ name: r.name, data_scope: r.dataScope, permissions: json(r.permissions) }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(r.code, row.id);
  }
  return ids;
}

/**
 * Server mode on an empty database: no demo data, only the root department, the built-in roles and one system
 * administrator with a random initial password that must be changed at first login.
 */
export async function bootstrapAdministrator(
  db: Kysely<DB>,
): Promise<{ username: string; password: string }> {
  const password = `Rj-${randomBytes(9).toString('base64url')}7a`;
  const hash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    const roles = await ensureBuiltinRoles(tx);
    const dept = await tx
      .insertInto('department')
      .values({ name: '市场监督管理局', kind: 'bureau', code: 'ROOT', path: '/' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('department')
      .set({ path: `/${dept.id}/` })
      .where('id', '=', dept.id)
      .execute();
    const user = await tx
      .insertInto('app_user')
      .values({
        username: 'admin',
        display_name: '系统管理员',
        department_id: dept.id,
        password_hash: hash,
        must_change_password: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('user_role')
      .values({ user_id: user.id, role_id: roles.get('sysadmin')! })
      .execute();
  });
  return { username: 'admin', password };
}
