import { sessionUserSchema, totpEnrollmentSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { errorBody } from '../http/schemas.ts';

const TAGS = ['认证'];
const code = z
  .string()
  .trim()
  .regex(/^\d{6}$/, '动态口令应为 6 位数字');

/** TOTP enrollment and removal for the signed-in person (个人中心); enrollment also works in a restricted session. */
export function registerTotpRoutes(app: App, ctx: AppContext): void {
  const userResponse = z.object({ user: sessionUserSchema });
  app.post(
    '/api/auth/totp/enroll',
    {
      config: { policy: 'authenticated', allowRestricted: true },
      schema: {
        tags: TAGS,
        summary: '生成动态口令绑定二维码（用身份验证器应用扫描，再用 activate 确认）',
        response: { 200: totpEnrollmentSchema, 409: errorBody },
      },
    },
    async (req) => {
      const me = requireUser(req);
      req.auditDetail({ objectType: 'user', objectId: me.id, detail: '生成动态口令绑定二维码' });
      return ctx.auth.enrollTotp(me);
    },
  );

  app.post(
    '/api/auth/totp/activate',
    {
      config: { policy: 'authenticated', allowRestricted: true },
      schema: {
        tags: TAGS,
        summary: '输入应用显示的动态口令，完成绑定',
        body: z.strictObject({ code }),
        response: { 200: userResponse, 400: errorBody, 409: errorBody },
      },
    },
    async (req) => {
      const me = requireUser(req);
      req.auditDetail({ objectType: 'user', objectId: me.id, detail: '启用动态口令' });
      return { user: await ctx.auth.activateTotp(me, req.body.code, req.ip) };
    },
  );

  app.post(
    '/api/auth/totp/disable',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '停用动态口令（需当前密码和一个动态口令；安全策略要求启用的账号不能停用）',
        body: z.strictObject({
          password: z.string().min(1, '请输入当前密码').max(128),
          code,
        }),
        response: { 200: userResponse, 400: errorBody, 409: errorBody, 423: errorBody },
      },
    },
    async (req) => {
      const me = requireUser(req);
      req.auditDetail({ objectType: 'user', objectId: me.id, detail: '停用动态口令' });
      return { user: await ctx.auth.disableTotp(me, req.body, req.ip) };
    },
  );
}
