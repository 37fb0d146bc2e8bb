import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRegularAccount, createOrg, login, TEST_PASSWORD, totpCode } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';
import { mfaSetting } from './auth.settings.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
const post = (url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

describe('forced password change (initial, reset or expired password)', () => {
  it('opens a restricted session in which only the account routes answer', async () => {
    const id = await org.user('newbie', 'officer');
    await t.ctx.db.updateTable('app_user').set({ must_change_password: true }).where('id', '=', id).execute();
    const s = await login(t.app, 'newbie');
    const me = await get('/api/auth/me', s.headers);
    expect(me.json().user.restriction).toBe('password_change');
    const blocked = await get('/api/overview', s.headers);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await get('/api/auth/password-policy', s.headers)).json()).toEqual({
      minLength: 8,
      minClasses: 3,
      expiryDays: 90,
      historyCount: 5,
    });
  });

  it('explains a password the policy refuses, in Chinese, field by field', async () => {
    const s = await login(t.app, 'newbie');
    const weak = await post('/api/auth/password', s.headers, {
      currentPassword: TEST_PASSWORD,
      newPassword: 'abc',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('VALIDATION_FAILED');
    expect(weak.json().details).toEqual([
      { path: 'newPassword', message: '密码长度不能少于 8 位' },
      { path: 'newPassword', message: '密码须包含大写字母、小写字母、数字、特殊符号中的至少 3 类' },
    ]);
    const same = await post('/api/auth/password', s.headers, {
      currentPassword: TEST_PASSWORD,
      newPassword: TEST_PASSWORD,
    });
    expect(same.json().details).toEqual([{ path: 'newPassword', message: '新密码不能与当前密码相同' }]);
    const wrongCurrent = await post('/api/auth/password', s.headers, {
      currentPassword: 'Not-the-one-1',
      newPassword: 'Brand-new-1',
    });
    expect(wrongCurrent.json().details).toEqual([{ path: 'currentPassword', message: '当前密码不正确' }]);
  });

  it('lifts the restriction after a change, ends the other sessions, and audits it', async () => {
    const other = await login(t.app, 'newbie');
    const s = await login(t.app, 'newbie');
    const res = await post('/api/auth/password', s.headers, {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Brand-new-1',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.restriction).toBeNull();
    expect((await get('/api/overview', s.headers)).statusCode).toBe(200);
    expect((await get('/api/auth/me', other.headers)).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'newbie', password: TEST_PASSWORD },
        })
      ).statusCode,
    ).toBe(401);
    const events = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.password.change')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('refuses any of the last five passwords', async () => {
    let current = 'Brand-new-1';
    for (const next of ['Brand-new-2', 'Brand-new-3']) {
      const s = await login(t.app, 'newbie', current);
      const r = await post('/api/auth/password', s.headers, { currentPassword: current, newPassword: next });
      expect(r.statusCode).toBe(200);
      current = next;
    }
    const s = await login(t.app, 'newbie', current);
    const reuse = await post('/api/auth/password', s.headers, {
      currentPassword: current,
      newPassword: 'Brand-new-1',
    });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().details).toEqual([
      { path: 'newPassword', message: '不能与最近 5 次使用过的密码相同' },
    ]);
  });

  it('restricts an account whose password has expired', async () => {
    const id = await org.user('veteran', 'officer');
    await asRegularAccount(t.ctx.db, id);
    await t.ctx.db
      .updateTable('app_user')
      .set({ password_changed_at: new Date(Date.now() - 91 * 86_400_000) })
      .where('id', '=', id)
      .execute();
    const s = await login(t.app, 'veteran');
    expect((await get('/api/auth/me', s.headers)).json().user.restriction).toBe('password_change');
  });
});
describe('forced TOTP enrollment', () => {
  it('requires administrators to enroll before anything else; enrollment lifts the restriction', async () => {
    const id = await org.user('secadmin1', 'secadmin');
    await asRegularAccount(t.ctx.db, id);
    const s = await login(t.app, 'secadmin1');
    const me = (await get('/api/auth/me', s.headers)).json().user;
    expect(me.restriction).toBe('mfa_enroll');
    expect(me.mfaRequired).toBe(true);
    const blocked = await get('/api/system/sessions', s.headers);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('MFA_ENROLLMENT_REQUIRED');
    const secret = (await post('/api/auth/totp/enroll', s.headers)).json().secretForManualEntry as string;
    const done = await post('/api/auth/totp/activate', s.headers, { code: totpCode(secret) });
    expect(done.json().user.restriction).toBeNull();
    expect((await get('/api/system/sessions', s.headers)).statusCode).toBe(200);
  });

  it('does not force demo accounts, so a demo works at once', async () => {
    await org.user('demoadmin', 'sysadmin');
    const s = await login(t.app, 'demoadmin');
    const me = (await get('/api/auth/me', s.headers)).json().user;
    expect(me).toMatchObject({ isDemo: true, restriction: null, mfaRequired: true, passwordExpiresAt: null });
  });

  it('can be required of everyone by the security setting', async () => {
    const id = await org.user('clerk1', 'clerk');
    await asRegularAccount(t.ctx.db, id);
    expect(
      (await get('/api/auth/me', (await login(t.app, 'clerk1')).headers)).json().user.restriction,
    ).toBeNull();
    await t.ctx.settings.set({ id: null, name: '测试' }, mfaSetting, {
      ...mfaSetting.default,
      requireForAll: true,
    });
    expect((await get('/api/auth/me', (await login(t.app, 'clerk1')).headers)).json().user.restriction).toBe(
      'mfa_enroll',
    );
    await t.ctx.settings.set({ id: null, name: '测试' }, mfaSetting, mfaSetting.default);
  });
});
