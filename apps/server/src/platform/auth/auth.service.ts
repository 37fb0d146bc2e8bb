import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { PiiVault } from '../pii/pii.vault.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { createAccountService } from './auth.account.ts';
import { createLockout, lockedError } from './auth.lockout.ts';
import { createPasswordService } from './auth.passwords.ts';
import { createSessionStore, type SessionLimits } from './auth.sessions.ts';
import { lockoutSetting, mfaSetting, passwordPolicySetting, sessionSetting } from './auth.settings.ts';
import { createTotpService } from './auth.totp.ts';
import {
  loadSessionUser,
  mfaRequiredFor,
  passwordExpiry,
  restrictionFor,
  selectAccount,
  type SessionUser,
  sm3,
  toSessionUser,
  type UserPolicies,
} from './auth.user.ts';
import { decoyHash, verifyPassword } from './password.ts';

export type { DataScopeView, SessionUser } from './auth.user.ts';

export interface LoginInput {
  username: string;
  password: string;
  totp?: string | undefined;
  ip: string | null;
  userAgent: string | null;
}

const AUTH_FAILED_MESSAGE = '用户名或密码错误';

export interface AuthDeps {
  db: Kysely<DB>;
  config: Pick<Config, 'sessionIdleMinutes' | 'sessionMaxHours'>;
  settings: Pick<SettingsService, 'get'>;
  pii: Pick<PiiVault, 'encrypt' | 'decrypt'>;
  audit: AuditService;
}

/**
 * Sign-in and sessions: password (PBKDF2-HMAC-SM3) with lockout, TOTP second factor with replay protection,
 * database sessions with idle and absolute limits, and restricted sessions for accounts that must first change
 * their password or enroll TOTP. Every attempt lands in the login log exactly once (here, not in the route).
 */
export function createAuthService(deps: AuthDeps) {
  const { db, config, settings, audit } = deps;
  const policies: UserPolicies = {
    password: () => settings.get(passwordPolicySetting),
    mfa: () => settings.get(mfaSetting),
  };
  const limits = (): SessionLimits => {
    const s = settings.get(sessionSetting);
    return {
      idleMinutes: s.idleMinutes ?? config.sessionIdleMinutes,
      maxHours: s.maxHours ?? config.sessionMaxHours,
    };
  };
  const lockout = createLockout({ db, audit, policy: () => settings.get(lockoutSetting) });
  const passwords = createPasswordService({ policy: policies.password });
  const totp = createTotpService({ pii: deps.pii });
  const sessions = createSessionStore({ db, limits });
  const load = (userId: number, session: { id: string; restriction: SessionUser['restriction'] }) =>
    loadSessionUser(db, policies, userId, session);

  async function login(input: LoginInput): Promise<{ token: string; user: SessionUser }> {
    const { username } = input;
    const user = await db
      .selectFrom('app_user')
      .select(['id', 'password_hash', 'status', 'is_demo', 'must_change_password', 'password_changed_at'])
      .where('username', '=', username)
      .executeTakeFirst();
    const lockedUntil = await lockout.lockedUntil(username);
    // Always one PBKDF2, also for unknown names and locked accounts: timing must not tell them apart.
    const passwordOk = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash()));
    const userId = user?.id ?? null;
    const log = (result: 'success' | 'failure', reason: string) =>
      audit.recordLogin(db, { userId, username, ip: input.ip, userAgent: input.userAgent, result, reason });
    const fail = async (reason: string, error: AppError): Promise<never> => {
      const lockedNow = await lockout.fail(username, { userId, ip: input.ip });
      await log('failure', lockedNow ? `${reason}，账号已锁定` : reason);
      throw lockedNow ? lockedError(lockedNow) : error;
    };

    if (lockedUntil) {
      await log('failure', '账号已锁定');
      throw lockedError(lockedUntil);
    }
    const wrong = new AppError('AUTH_FAILED', AUTH_FAILED_MESSAGE);
    if (!user) return fail('用户不存在', wrong);
    if (!passwordOk) return fail('密码错误', wrong);
    if (user.status !== 'active') return fail('账号已停用', wrong);

    const mfaEnabled = await totp.isEnabled(db, user.id);
    if (mfaEnabled) {
      if (!input.totp) {
        // The password was right: not a failure, but no session either until the second factor is given.
        await log('failure', '需要动态口令');
        throw new AppError('MFA_REQUIRED', '请输入身份验证器应用显示的 6 位动态口令');
      }
      const check = await totp.verify(db, user.id, input.totp);
      if (check !== 'ok') {
        const reason = check === 'replayed' ? '动态口令已被使用' : '动态口令错误';
        return fail(reason, new AppError('AUTH_FAILED', '动态口令错误或已使用，请输入应用中最新的口令'));
      }
    }

    const roleCodes = (
      await db
        .selectFrom('user_role as ur')
        .innerJoin('role as r', 'r.id', 'ur.role_id')
        .select('r.code')
        .where('ur.user_id', '=', user.id)
        .execute()
    ).map((r) => r.code);
    const restriction = restrictionFor({
      mustChangePassword: user.must_change_password,
      passwordExpiresAt: passwordExpiry(policies.password(), user.password_changed_at, user.is_demo),
      isDemo: user.is_demo,
      mfaRequired: mfaRequiredFor(policies.mfa(), roleCodes),
      mfaEnabled,
    });
    await sessions.sweepExpired();
    const session = await sessions.open(db, {
      userId: user.id,
      ip: input.ip,
      userAgent: input.userAgent,
      restriction,
    });
    await lockout.clear(username);
    const sessionUser = await load(user.id, { id: session.id, restriction });
    if (!sessionUser) throw new AppError('AUTH_FAILED', AUTH_FAILED_MESSAGE);
    await log(
      'success',
      restriction === 'password_change'
        ? '成功（须先修改密码）'
        : restriction === 'mfa_enroll'
          ? '成功（须先绑定动态口令）'
          : '成功',
    );
    return { token: session.token, user: sessionUser };
  }

  const account = createAccountService({ db, audit, lockout, passwords, totp, sessions, policies, load });

  return {
    login,

    /**
     * The user of a cookie token; null when absent, idle, expired, force-logged-out or the account disabled. The
     * session row and its account come in one statement (every request runs it).
     */
    async resolve(token: string): Promise<SessionUser | null> {
      const row = await selectAccount(db)
        .innerJoin('session as s', 's.user_id', 'u.id')
        .select([
          's.id as session_id',
          's.created_at as session_created_at',
          's.last_seen_at as session_last_seen_at',
          's.expires_at as session_expires_at',
          's.restriction as session_restriction',
        ])
        .where('s.id', '=', sm3(token))
        .executeTakeFirst();
      if (!row) return null;
      const session = await sessions.keepAlive({
        id: row.session_id,
        user_id: row.id,
        created_at: row.session_created_at,
        last_seen_at: row.session_last_seen_at,
        expires_at: row.session_expires_at,
        restriction: row.session_restriction,
      });
      return session ? toSessionUser(db, policies, row, session) : null;
    },

    async logout(token: string): Promise<void> {
      await sessions.close(db, token);
    },

    /** Session limits in force (security setting, else the server's environment). */
    sessionLimits: limits,
    passwordPolicy: policies.password,

    /**
     * Give an account a new password inside the caller's transaction (policy + last-N history); `mustChange` for
     * initial passwords and administrator resets. Throws VALIDATION_FAILED with Chinese details.
     */
    setUserPassword: passwords.setUserPassword,

    ...account,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
