import { passwordRulesSchema, sessionUserSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { cookieOptions, requireUser, SESSION_COOKIE } from '../http/auth-hooks.ts';
import { errorBody } from '../http/schemas.ts';
import { registerTotpRoutes } from './totp.routes.ts';

const TAGS = ['认证'];
const userResponse = z.object({ user: sessionUserSchema });

export function registerAuthRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/auth/login',
    {
      config: { policy: 'public' },
      schema: {
        tags: TAGS,
        summary: '登录（用户名 + 密码，已启用动态口令的账号还需 totp）',
        description:
          '密码错误或用户不存在 → 401 AUTH_FAILED；连续失败达到次数 → 423 ACCOUNT_LOCKED；' +
          '已启用动态口令但未提供 → 401 MFA_REQUIRED（不建立会话）。返回的 user.restriction 非空时，' +
          '只能先修改密码或绑定动态口令。',
        body: z.strictObject({
          username: z.string().trim().min(1, '请输入用户名').max(64),
          password: z.string().min(1, '请输入密码').max(128),
          totp: z
            .string()
            .trim()
            .regex(/^\d{6}$/, '动态口令应为 6 位数字')
            .optional(),
        }),
        response: { 200: userResponse, 401: errorBody, 423: errorBody },
      },
    },
    async (req, reply) => {
      // The login log (ctx.audit.recordLogin) is written by ctx.auth.login, exactly once per attempt, with the
      // reason in Chinese; do not add a second call here.
      const { token, user } = await ctx.auth.login({
        username: req.body.username,
        password: req.body.password,
        totp: req.body.totp,
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      req.auditDetail({
        actor: { id: user.id, name: user.displayName },
        objectType: 'user',
        objectId: user.id,
      });
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(req));
      return { user };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { policy: 'authenticated', allowRestricted: true },
      schema: { tags: TAGS, summary: '退出登录', response: { 204: z.null().describe('已退出') } },
    },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await ctx.auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { policy: 'authenticated', allowRestricted: true },
      schema: {
        tags: TAGS,
        summary: '当前用户（含会话限制、动态口令与密码有效期状态）',
        response: { 200: userResponse },
      },
    },
    async (req) => ({ user: requireUser(req) }),
  );

  app.get(
    '/api/auth/password-policy',
    {
      config: { policy: 'authenticated', allowRestricted: true },
      schema: {
        tags: TAGS,
        summary: '新密码须满足的规则（密码策略）',
        response: { 200: passwordRulesSchema },
      },
    },
    async () => {
      const p = ctx.auth.passwordPolicy();
      return {
        minLength: p.minLength,
        minClasses: p.minClasses,
        expiryDays: p.expiryDays,
        historyCount: p.historyCount,
      };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { policy: 'authenticated', allowRestricted: true },
      schema: {
        tags: TAGS,
        summary: '修改本人密码（其他会话随之下线）',
        body: z.strictObject({
          currentPassword: z.string().min(1, '请输入当前密码').max(128),
          newPassword: z.string().min(1, '请输入新密码').max(128, '密码长度不能超过 128 位'),
        }),
        response: { 200: userResponse, 400: errorBody, 423: errorBody },
      },
    },
    async (req) => {
      const me = requireUser(req);
      req.auditDetail({ objectType: 'user', objectId: me.id, detail: '修改本人密码' });
      return { user: await ctx.auth.changePassword(me, req.body, req.ip) };
    },
  );

  registerTotpRoutes(app, ctx);
}
