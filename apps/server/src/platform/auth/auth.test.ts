import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, TEST_PASSWORD } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';
import { hashPassword, verifyPassword } from './password.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  await org.user('director', 'director');
  await org.user('officer1', 'officer', org.stations[0]);
});
afterAll(() => t.close());

describe('password hashing (PBKDF2-HMAC-SM3)', () => {
  it('verifies the right password only, with a per-user salt', async () => {
    const a = await hashPassword('Secret-123', 1000);
    const b = await hashPassword('Secret-123', 1000);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^pbkdf2-sm3\$1000\$/);
    expect(await verifyPassword('Secret-123', a)).toBe(true);
    expect(await verifyPassword('secret-123', a)).toBe(false);
  });
});

describe('login, session and logout', () => {
  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: 'x' },
    });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'director', password: 'x' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.json()).toEqual({ code: 'AUTH_FAILED', message: '用户名或密码错误' });
  });

  it('sets an HttpOnly SameSite=Strict cookie and resolves the user with roles, permissions and scope', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'officer1', password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'rj_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `rj_session=${cookie.value}` },
    });
    expect(me.statusCode).toBe(200);
    const user = me.json().user;
    expect(user.username).toBe('officer1');
    expect(user.departmentName).toBe('城东市场监管所');
    expect(user.roles).toEqual([{ code: 'officer', name: '执法人员' }]);
    expect(user.permissions).toContain('entity:profile:read');
    // Reading the working-day calendar is the only system permission a business role holds.
    expect(user.permissions.filter((p: string) => /^(system|security|audit):/.test(p))).toEqual([
      'system:calendar:read',
    ]);
  });

  it('requires a session for protected routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
  });

  it('refuses a mutating request without the CSRF token', async () => {
    const s = await login(t.app, 'director');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: s.cookie },
    });
    expect(bad.statusCode).toBe(403);
    expect(bad.json().code).toBe('CSRF_REJECTED');
    const stillIn = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(stillIn.statusCode).toBe(200);
  });

  it('logs out: the session no longer works', async () => {
    const s = await login(t.app, 'director');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(401);
  });

  it('expires a session that has been idle longer than the limit', async () => {
    const s = await login(t.app, 'director');
    await t.ctx.db
      .updateTable('session')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where(
        'user_id',
        '=',
        (
          await t.ctx.db
            .selectFrom('app_user')
            .select('id')
            .where('username', '=', 'director')
            .executeTakeFirstOrThrow()
        ).id,
      )
      .execute();
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(401);
  });
});
