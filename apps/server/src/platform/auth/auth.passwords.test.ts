import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import { AppError } from '../errors.ts';
import type { App } from '../http/app.ts';
import { verifyPassword } from './password.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
});
afterAll(() => t.close());

const setPassword = (userId: number, plain: string, mustChange: boolean) =>
  t.ctx.db.transaction().execute((tx) => t.ctx.auth.setUserPassword(tx, userId, plain, { mustChange }));

async function failureOf(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('setUserPassword (used by user administration for new accounts and resets)', () => {
  it('an administrator reset ends the person’s sessions and forces a change at the next sign-in', async () => {
    const id = await org.user('reset1', 'officer');
    const old = await login(t.app, 'reset1');
    await setPassword(id, 'Reset-by-admin-9', true);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: old.headers })).statusCode,
    ).toBe(401);
    const row = await t.ctx.db
      .selectFrom('app_user')
      .select(['password_hash', 'must_change_password'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(true);
    expect(await verifyPassword('Reset-by-admin-9', row.password_hash)).toBe(true);
    const s = await login(t.app, 'reset1', 'Reset-by-admin-9');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers });
    expect(me.json().user.restriction).toBe('password_change');
  });

  it('enforces the policy with Chinese details under the `password` field', async () => {
    const id = await org.user('reset2', 'officer');
    const err = await failureOf(setPassword(id, 'reset2password', true));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual([
      { path: 'password', message: '密码须包含大写字母、小写字母、数字、特殊符号中的至少 3 类' },
      { path: 'password', message: '密码不能包含用户名' },
    ]);
  });

  it('refuses a password used recently, and nothing changes when it does', async () => {
    const id = await org.user('reset3', 'officer');
    await setPassword(id, 'First-choice-1', false);
    await setPassword(id, 'Second-choice-2', false);
    const err = await failureOf(setPassword(id, 'First-choice-1', true));
    expect(err.message).toContain('不能与最近 5 次使用过的密码相同');
    const row = await t.ctx.db
      .selectFrom('app_user')
      .select(['password_hash', 'must_change_password'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(await verifyPassword('Second-choice-2', row.password_hash)).toBe(true);
    expect(row.must_change_password).toBe(false);
  });

  it('keeps the password history, never plaintext', async () => {
    const id = await org.user('reset4', 'officer');
    await setPassword(id, 'History-one-1', false);
    const rows = await t.ctx.db
      .selectFrom('password_history')
      .select('password_hash')
      .where('user_id', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.password_hash).toMatch(/^pbkdf2-sm3\$/);
  });
});
