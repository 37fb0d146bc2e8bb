import type { Kysely } from 'kysely';
import { hashPassword } from '../src/platform/auth/password.ts';
import { json } from '../src/platform/db/json.ts';
import type { DataScope, DB } from '../src/platform/db/schema.ts';
import type { App } from '../src/platform/http/app.ts';
import { createOrg, login, type Session, TEST_PASSWORD } from './fixtures.ts';
import { createTestApp } from './support.ts';

/** Test helpers for custom roles and their holders (roles, grids and policy tests). */
export async function insertRole(
  db: Kysely<DB>,
  code: string,
  permissions: string[],
  dataScope: DataScope = 'all',
  scopeDepartmentIds: number[] = [],
): Promise<number> {
  const r = await db
    .insertInto('role')
    .values({
      code,
      name: code,
      data_scope: dataScope,
      scope_department_ids: json(scopeDepartmentIds),
      permissions: json(permissions),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

let hash: string | undefined;

/** A signed-in-able (demo-flagged, so no forced steps) user holding `roleIds`. */
export async function insertUser(
  db: Kysely<DB>,
  username: string,
  departmentId: number,
  roleIds: number[],
): Promise<number> {
  hash ??= await hashPassword(TEST_PASSWORD, 1000);
  const u = await db
    .insertInto('app_user')
    .values({
      username,
      display_name: username,
      department_id: departmentId,
      password_hash: hash,
      must_change_password: false,
      is_demo: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (roleIds.length > 0) {
    await db
      .insertInto('user_role')
      .values(roleIds.map((role_id) => ({ user_id: u.id, role_id })))
      .execute();
  }
  return u.id;
}

/** `app.inject` as a signed-in user (cookie + CSRF header). */
export function caller(app: App, s: Session) {
  return (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: s.headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}

/** A role body for `POST/PUT /api/system/roles`: a business role by default. */
export const roleBody = (over: Record<string, unknown> = {}) => ({
  code: 'food_checker',
  name: '食品检查员',
  dataScope: 'department',
  scopeDepartmentIds: [],
  permissions: ['entity:profile:read', 'inspection:task:read', 'inspection:task:update'],
  ...over,
});

/**
 * The app with an org and: two system administrators (sys, sys2), an officer in each station, an auditor, a role
 * administrator limited to station A (本部门) and one with 全部 scope who is not a system administrator.
 */
export async function startRolesTestBed() {
  const t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  const [a, b] = org.stations as [number, number];
  const scoped = await insertRole(t.ctx.db, 'role_admin_a', ['system:role:*'], 'department');
  const global = await insertRole(t.ctx.db, 'role_admin_all', ['system:role:*']);
  const ids = {
    sys: await org.user('sys', 'sysadmin'),
    sys2: await org.user('sys2', 'sysadmin'),
    officerA: await org.user('officer_a', 'officer', a),
    officerB: await org.user('officer_b', 'officer', b),
    auditor: await org.user('auditor1', 'auditor'),
    scopedAdmin: await insertUser(t.ctx.db, 'roleadmin_a', a, [scoped]),
    globalAdmin: await insertUser(t.ctx.db, 'roleadmin_all', org.bureauId, [global]),
    /** Set by tests that create a role. */
    food: 0,
  };
  const sys = caller(t.app, await login(t.app, 'sys'));
  return { t, org, ids, sys, close: () => t.close() };
}

export type RolesTestBed = Awaited<ReturnType<typeof startRolesTestBed>>;
