import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, TEST_PASSWORD } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';
import { lockoutSetting } from './auth.settings.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  for (const name of ['locked1', 'locked2', 'typo', 'sixer']) await org.user(name, 'officer');
});
afterAll(() => t.close());

const attempt = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

async function loginLog(username: string) {
  return t.ctx.db
    .selectFrom('login_log')
    .select(['result', 'reason', 'user_id'])
    .where('username', '=', username)
    .orderBy('id')
    .execute();
}

describe('failed-login lockout', () => {
  it('locks the account on the 5th wrong password; the right password is refused during the lock', async () => {
    for (let i = 1; i <= 4; i++) {
      const res = await attempt('locked1', `Wrong-pass-${i}`);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('AUTH_FAILED');
    }
    const fifth = await attempt('locked1', 'Wrong-pass-5');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toEqual({ code: 'ACCOUNT_LOCKED', message: '账号已锁定，请 10 分钟后再试' });

    const right = await attempt('locked1', TEST_PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.json().code).toBe('ACCOUNT_LOCKED');
    expect(right.cookies.find((c) => c.name === 'rj_session')).toBeUndefined();
    const sessions = await t.ctx.db
      .selectFrom('session as s')
      .innerJoin('app_user as u', 'u.id', 's.user_id')
      .select('s.id')
      .where('u.username', '=', 'locked1')
      .execute();
    expect(sessions).toEqual([]);
  });

  it('records every attempt exactly once in the login log, and the lock as a security event', async () => {
    const log = await loginLog('locked1');
    expect(log).toHaveLength(6);
    expect(log.map((r) => r.result)).toEqual(Array(6).fill('failure'));
    expect(log[0]?.reason).toBe('密码错误');
    expect(log[4]?.reason).toBe('密码错误，账号已锁定');
    expect(log[5]?.reason).toBe('账号已锁定');
    const events = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail', 'object_type'])
      .where('action', '=', 'auth.lockout')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toContain('locked1');
  });

  it('lets the account in again once the lock has run out', async () => {
    await t.ctx.db
      .updateTable('auth_lock')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('username', '=', 'locked1')
      .execute();
    const res = await attempt('locked1', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const lock = await t.ctx.db
      .selectFrom('auth_lock')
      .selectAll()
      .where('username', '=', 'locked1')
      .execute();
    expect(lock).toEqual([]);
  });

  it('answers an unknown username exactly like a known one, including the lock', async () => {
    const known: { status: number; body: string }[] = [];
    const unknown: { status: number; body: string }[] = [];
    for (let i = 1; i <= 6; i++) {
      const a = await attempt('locked2', `Wrong-pass-${i}`);
      const b = await attempt('no-such-user', `Wrong-pass-${i}`);
      known.push({ status: a.statusCode, body: a.body });
      unknown.push({ status: b.statusCode, body: b.body });
    }
    expect(unknown).toEqual(known);
    expect(known.map((r) => r.status)).toEqual([401, 401, 401, 401, 423, 423]);
    const log = await loginLog('no-such-user');
    expect(log.every((r) => r.user_id === null && r.result === 'failure')).toBe(true);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) expect((await attempt('typo', 'Wrong-pass-1')).statusCode).toBe(401);
    expect((await attempt('typo', TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt('typo', 'Wrong-pass-1')).statusCode).toBe(401);
    expect((await attempt('typo', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('follows the lockout setting of the security administrator', async () => {
    await t.ctx.settings.set({ id: null, name: '测试' }, lockoutSetting, { maxFailures: 6, lockMinutes: 30 });
    for (let i = 0; i < 5; i++) expect((await attempt('sixer', 'Wrong-pass-1')).statusCode).toBe(401);
    const sixth = await attempt('sixer', 'Wrong-pass-1');
    expect(sixth.statusCode).toBe(423);
    expect(sixth.json().message).toBe('账号已锁定，请 30 分钟后再试');
    await t.ctx.settings.set({ id: null, name: '测试' }, lockoutSetting, lockoutSetting.default);
  });
});
