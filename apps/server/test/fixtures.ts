import type { Kysely } from 'kysely';
import { authenticator } from 'otplib';
import { hashPassword } from '../src/platform/auth/password.ts';
import type { DB } from '../src/platform/db/schema.ts';
import { ensureBuiltinRoles } from '../src/platform/demo/bootstrap.ts';
import type { App } from '../src/platform/http/app.ts';

export const TEST_PASSWORD = 'Test-Passw0rd';

/** A bureau with two stations, the built-in roles, and one user per role code asked for. */
export async function createOrg(db: Kysely<DB>) {
  const roles = await ensureBuiltinRoles(db);
  const bureau = await db
    .insertInto('department')
    .values({ name: '测试县市场监督管理局', kind: 'bureau', code: 'T-BUREAU', path: '/' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('department')
    .set({ path: `/${bureau.id}/` })
    .where('id', '=', bureau.id)
    .execute();
  const stations: number[] = [];
  for (const [i, name] of ['城东市场监管所', '城西市场监管所'].entries()) {
    const s = await db
      .insertInto('department')
      .values({ name, kind: 'station', code: `T-ST${i + 1}`, path: '/', parent_id: bureau.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('department')
      .set({ path: `/${bureau.id}/${s.id}/` })
      .where('id', '=', s.id)
      .execute();
    stations.push(s.id);
  }
  const hash = await hashPassword(TEST_PASSWORD, 1000);
  async function user(username: string, roleCode: string, departmentId = bureau.id) {
    const u = await db
      .insertInto('app_user')
      .values({
        username,
        display_name: username,
        department_id: departmentId,
        password_hash: hash,
        must_change_password: false,
        // Like the demo seed's accounts: known password, no forced password change or TOTP enrollment, so any
        // test can sign in as an administrator at once. Tests of those rules use `asRegularAccount`.
        is_demo: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('user_role')
      .values({ user_id: u.id, role_id: roles.get(roleCode)! })
      .execute();
    return u.id;
  }
  return { bureauId: bureau.id, stations, roles, user };
}

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** Log in through the real route; returns the cookie and CSRF header to send back. */
export async function login(app: App, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'rj_session');
  const csrf = (res.json() as { user: { csrfToken: string } }).user.csrfToken;
  const header = `rj_session=${cookie!.value}`;
  return { cookie: header, csrf, headers: { cookie: header, 'x-csrf-token': csrf } };
}

/**
 * Make a fixture account an ordinary (non-demo) one, so the forced steps apply to it: password expiry and TOTP
 * enrollment for roles that require it (platform/auth).
 */
export async function asRegularAccount(db: Kysely<DB>, userId: number): Promise<void> {
  await db.updateTable('app_user').set({ is_demo: false }).where('id', '=', userId).execute();
}

/** The TOTP code an authenticator app shows for `secret`, `stepsAhead` 30-second steps from now. */
export function totpCode(secret: string, stepsAhead = 0): string {
  return authenticator.clone({ epoch: Date.now() + stepsAhead * 30_000 }).generate(secret);
}
