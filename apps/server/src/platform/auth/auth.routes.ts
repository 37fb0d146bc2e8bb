import { sessionUserSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { cookieOptions, requireUser, SESSION_COOKIE } from '../http/auth-hooks.ts';
import { errorBody } from '../http/schemas.ts';

export function registerAuthRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/auth/login',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['认证'],
        summary: '登录',
        body: z.strictObject({
          username: z.string().trim().min(1, '请输入用户名').max(64),
          password: z.string().min(1, '请输入密码').max(128),
          totp: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        response: { 200: z.object({ user: sessionUserSchema }), 401: errorBody },
      },
    },
    async (req, reply) => {
      const { token, user } = await ctx.auth.login({
        username: req.body.username,
        password: req.body.password,
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(req));
      return { user };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { policy: 'authenticated' }, schema: { tags: ['认证'], summary: '退出登录' } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await ctx.auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['认证'],
        summary: '当前用户',
        response: { 200: z.object({ user: sessionUserSchema }) },
      },
    },
    async (req) => ({ user: requireUser(req) }),
  );
}
