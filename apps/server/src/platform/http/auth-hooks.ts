import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertSessionMayProceed } from '../auth/auth.restriction.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import { hasPermission } from '../auth/permissions.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { RoutePolicy } from './policy.ts';

export const SESSION_COOKIE = 'rj_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Resolves the session cookie on every request and enforces each route's declared policy. */
export function installAuthHooks(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req) => {
    // Static files of the web app need no session; resolving one would cost queries per asset.
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    req.user = token ? await ctx.auth.resolve(token) : null;
  });
  // Before validation: a caller without the permission gets 403 whatever the request looks like, so schema
  // errors never tell an unauthorised caller anything about a route (and no body is validated for them).
  app.addHook('preValidation', async (req) => {
    const policy = (req.routeOptions.config as { policy?: RoutePolicy }).policy;
    if (!policy || policy === 'public') return;
    const user = requireUser(req);
    if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== user.csrfToken) {
      throw new AppError('CSRF_REJECTED', '请求缺少有效的防跨站令牌，请刷新页面后重试', { status: 403 });
    }
    assertSessionMayProceed(req, user);
    if (typeof policy === 'object' && !hasPermission(user.permissions, policy.permission)) {
      throw new AppError('FORBIDDEN', '没有执行此操作的权限');
    }
  });
}

export function requireUser(req: FastifyRequest): SessionUser {
  if (!req.user) throw new AppError('UNAUTHENTICATED', '未登录或登录已过期，请重新登录');
  return req.user;
}

export function cookieOptions(req: FastifyRequest) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: req.protocol === 'https',
  };
}
