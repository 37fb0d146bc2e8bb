import type { Kysely } from 'kysely';
import type { AuditService } from '../audit/audit.service.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { type Lockout, lockedError } from './auth.lockout.ts';
import type { PasswordService } from './auth.passwords.ts';
import type { SessionStore } from './auth.sessions.ts';
import type { TotpService } from './auth.totp.ts';
import { invalidCode } from './auth.totp.ts';
import { passwordExpiry, restrictionFor, type SessionUser, type UserPolicies } from './auth.user.ts';
import { verifyPassword } from './password.ts';

export interface AccountDeps {
  db: Kysely<DB>;
  audit: AuditService;
  lockout: Lockout;
  passwords: PasswordService;
  totp: TotpService;
  sessions: SessionStore;
  policies: UserPolicies;
  load: (
    userId: number,
    session: { id: string; restriction: SessionUser['restriction'] },
  ) => Promise<SessionUser | null>;
}

/**
 * What a signed-in person does to their own credentials (个人中心 and the forced steps of a restricted session).
 * Each change is a security event in the audit trail. A wrong current password counts towards the lockout like a
 * failed sign-in, so a borrowed session cannot be used to guess it.
 */
export function createAccountService(deps: AccountDeps) {
  const { db, audit, lockout, passwords, totp, sessions, policies } = deps;

  async function requirePassword(user: SessionUser, password: string, field: string, ip: string | null) {
    const until = await lockout.lockedUntil(user.username);
    if (until) throw lockedError(until);
    const row = await db
      .selectFrom('app_user')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    if (await verifyPassword(password, row.password_hash)) return;
    const lockedNow = await lockout.fail(user.username, { userId: user.id, ip });
    if (lockedNow) throw lockedError(lockedNow);
    throw new AppError('VALIDATION_FAILED', '当前密码不正确', {
      details: [{ path: field, message: '当前密码不正确' }],
    });
  }

  /** The restriction the session has once the account changed: the next forced step, or none. */
  async function nextRestriction(user: SessionUser, executor: Kysely<DB> = db) {
    const account = await executor
      .selectFrom('app_user')
      .select(['must_change_password', 'password_changed_at', 'is_demo'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    return restrictionFor({
      mustChangePassword: account.must_change_password,
      passwordExpiresAt: passwordExpiry(policies.password(), account.password_changed_at, account.is_demo),
      isDemo: account.is_demo,
      mfaRequired: user.mfaRequired,
      mfaEnabled: await totp.isEnabled(executor, user.id),
    });
  }

  async function reload(user: SessionUser): Promise<SessionUser> {
    const restriction = await nextRestriction(user);
    await sessions.setRestriction(db, user.sessionId, restriction);
    const fresh = await deps.load(user.id, { id: user.sessionId, restriction });
    if (!fresh) throw new AppError('UNAUTHENTICATED', '未登录或登录已过期，请重新登录');
    return fresh;
  }

  const actorOf = (user: SessionUser) => ({ id: user.id, name: user.displayName });

  return {
    /** Change one's own password; ends the account's other sessions and lifts a password_change restriction. */
    async changePassword(
      user: SessionUser,
      input: { currentPassword: string; newPassword: string },
      ip: string | null,
    ): Promise<SessionUser> {
      await requirePassword(user, input.currentPassword, 'currentPassword', ip);
      if (input.newPassword === input.currentPassword) {
        throw new AppError('VALIDATION_FAILED', '新密码不能与当前密码相同', {
          details: [{ path: 'newPassword', message: '新密码不能与当前密码相同' }],
        });
      }
      await db.transaction().execute(async (tx) => {
        await passwords.setUserPassword(tx, user.id, input.newPassword, {
          mustChange: false,
          field: 'newPassword',
        });
        await sessions.closeOthers(tx, user.id, user.sessionId);
        await audit.record(tx, {
          actor: actorOf(user),
          ip,
          action: 'auth.password.change',
          objectType: 'user',
          objectId: user.id,
          result: 'success',
          detail: '本人修改登录密码；该账号的其他会话已下线',
        });
      });
      return reload(user);
    },

    /** Start (or restart) TOTP enrollment: a new secret as QR code and text, active after `activateTotp`. */
    async enrollTotp(user: SessionUser) {
      return totp.beginEnrollment(db, user.id, user.username);
    },

    /** Confirm enrollment with a first code; lifts an mfa_enroll restriction. */
    async activateTotp(user: SessionUser, code: string, ip: string | null): Promise<SessionUser> {
      await db.transaction().execute(async (tx) => {
        await totp.activate(tx, user.id, code);
        await audit.record(tx, {
          actor: actorOf(user),
          ip,
          action: 'auth.totp.enable',
          objectType: 'user',
          objectId: user.id,
          result: 'success',
          detail: '启用动态口令（TOTP）',
        });
      });
      return reload(user);
    },

    /** Switch TOTP off with the password and a current code; refused where the policy requires it. */
    async disableTotp(
      user: SessionUser,
      input: { password: string; code: string },
      ip: string | null,
    ): Promise<SessionUser> {
      if (user.mfaRequired) {
        throw new AppError('MFA_MANDATORY', '按安全策略，您的账号必须启用动态口令，不能停用', {
          status: 409,
        });
      }
      if (!user.mfaEnabled) throw new AppError('CONFLICT', '尚未启用动态口令');
      await requirePassword(user, input.password, 'password', ip);
      await db.transaction().execute(async (tx) => {
        const check = await totp.verify(tx, user.id, input.code);
        if (check !== 'ok') throw invalidCode(check, 'code');
        await totp.disable(tx, user.id);
        await audit.record(tx, {
          actor: actorOf(user),
          ip,
          action: 'auth.totp.disable',
          objectType: 'user',
          objectId: user.id,
          result: 'success',
          detail: '停用动态口令（TOTP）',
        });
      });
      return reload(user);
    },
  };
}
