import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { SessionUser } from './auth.user.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route also answers a restricted session (one that must first change its password or enroll TOTP):
     * only the account routes — who am I, sign out, change password, TOTP enrollment — declare it.
     */
    allowRestricted?: boolean;
  }
}

/** Refuse every other route to a restricted session, saying what to do first. Called by the auth hooks. */
export function assertSessionMayProceed(req: FastifyRequest, user: SessionUser): void {
  if (!user.restriction) return;
  if ((req.routeOptions.config as { allowRestricted?: boolean }).allowRestricted) return;
  if (user.restriction === 'password_change') {
    throw new AppError(
      'PASSWORD_CHANGE_REQUIRED',
      '请先修改密码（初始密码、重置后的密码或已过期的密码须修改后才能继续使用）',
    );
  }
  throw new AppError(
    'MFA_ENROLLMENT_REQUIRED',
    '按安全策略，您的账号须先绑定动态口令（个人中心 › 动态口令）才能继续使用',
  );
}
