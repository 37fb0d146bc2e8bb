import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, type Session, TEST_PASSWORD, totpCode } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
let officerId: number;
let secret: string;
let s: Session;
beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  officerId = await org.user('officer1', 'officer');
  await org.user('admin1', 'sysadmin');
  s = await login(t.app, 'officer1');
});
afterAll(() => t.close());

const post = (url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
const attempt = (payload: { username: string; password: string; totp?: string }) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload });

/** Forget the last accepted step, so the next test may use a code of the current step again. */
const forgetLastStep = () =>
  t.ctx.db.updateTable('user_totp').set({ last_step: null }).where('user_id', '=', officerId).execute();

describe('TOTP enrollment (个人中心)', () => {
  it('gives a QR code and secret for any authenticator app, stored only encrypted', async () => {
    const res = await post('/api/auth/totp/enroll', s.headers);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.otpauthUrl).toMatch(
      /^otpauth:\/\/totp\/.*officer1\?secret=[A-Z2-7]+&.*issuer=%E8%9E%8D%E7%9B%91/,
    );
    expect(body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(body.secretForManualEntry).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.issuer).toBe('融监');
    secret = body.secretForManualEntry;
    const row = await t.ctx.db
      .selectFrom('user_totp')
      .selectAll()
      .where('user_id', '=', officerId)
      .executeTakeFirstOrThrow();
    expect(row.enabled_at).toBeNull();
    expect(row.pending_secret_enc).not.toContain(secret);
    expect(t.ctx.pii.decrypt(row.pending_secret_enc!)).toBe(secret);
  });

  it('activates only with a code from the app', async () => {
    const wrong = await post('/api/auth/totp/activate', s.headers, {
      code: totpCode(secret) === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('TOTP_INVALID');
    const ok = await post('/api/auth/totp/activate', s.headers, { code: totpCode(secret) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.mfaEnabled).toBe(true);
    const again = await post('/api/auth/totp/enroll', s.headers);
    expect(again.statusCode).toBe(409);
    const events = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.totp.enable')
      .execute();
    expect(events).toHaveLength(1);
  });
});

describe('signing in with TOTP', () => {
  it('asks for the code after a correct password, without opening a session', async () => {
    const before = await t.ctx.db
      .selectFrom('session')
      .select('id')
      .where('user_id', '=', officerId)
      .execute();
    const res = await attempt({ username: 'officer1', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('MFA_REQUIRED');
    expect(res.cookies.find((c) => c.name === 'rj_session')).toBeUndefined();
    const after = await t.ctx.db
      .selectFrom('session')
      .select('id')
      .where('user_id', '=', officerId)
      .execute();
    expect(after).toHaveLength(before.length);
  });

  it('signs in with password and the current code; the same code is refused the second time (replay)', async () => {
    const code = totpCode(secret, 1);
    const first = await attempt({ username: 'officer1', password: TEST_PASSWORD, totp: code });
    expect(first.statusCode).toBe(200);
    expect(first.json().user.mfaEnabled).toBe(true);
    const replay = await attempt({ username: 'officer1', password: TEST_PASSWORD, totp: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('AUTH_FAILED');
    const log = await t.ctx.db
      .selectFrom('login_log')
      .select('reason')
      .where('username', '=', 'officer1')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(log.reason).toBe('动态口令已被使用');
  });

  it('counts wrong codes towards the lockout', async () => {
    await forgetLastStep();
    const bad = totpCode(secret) === '123456' ? '654321' : '123456';
    const wrong = await attempt({ username: 'officer1', password: TEST_PASSWORD, totp: bad });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('AUTH_FAILED');
    const lock = await t.ctx.db
      .selectFrom('auth_lock')
      .selectAll()
      .where('username', '=', 'officer1')
      .executeTakeFirstOrThrow();
    expect(lock.failed_count).toBe(2);
  });
});

describe('switching TOTP off', () => {
  it('needs the password and a valid code', async () => {
    await forgetLastStep();
    const noPassword = await post('/api/auth/totp/disable', s.headers, {
      password: 'Wrong-pass-1',
      code: totpCode(secret),
    });
    expect(noPassword.statusCode).toBe(400);
    expect(noPassword.json().details).toEqual([{ path: 'password', message: '当前密码不正确' }]);
    const badCode = await post('/api/auth/totp/disable', s.headers, {
      password: TEST_PASSWORD,
      code: totpCode(secret) === '000000' ? '111111' : '000000',
    });
    expect(badCode.statusCode).toBe(400);
    const ok = await post('/api/auth/totp/disable', s.headers, {
      password: TEST_PASSWORD,
      code: totpCode(secret),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.mfaEnabled).toBe(false);
    expect(
      await t.ctx.db.selectFrom('user_totp').selectAll().where('user_id', '=', officerId).execute(),
    ).toEqual([]);
    // Back to password-only sign-in.
    expect((await attempt({ username: 'officer1', password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('is refused where the policy requires a second factor (administrators)', async () => {
    const a = await login(t.app, 'admin1');
    const enroll = await post('/api/auth/totp/enroll', a.headers);
    const adminSecret = enroll.json().secretForManualEntry as string;
    const activated = await post('/api/auth/totp/activate', a.headers, { code: totpCode(adminSecret) });
    expect(activated.json().user.mfaRequired).toBe(true);
    const res = await post('/api/auth/totp/disable', a.headers, {
      password: TEST_PASSWORD,
      code: totpCode(adminSecret, 1),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('MFA_MANDATORY');
  });
});
