import { onlineSessionListSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { errorBody } from '../http/schemas.ts';
import { deleteSessionByPublicId, findScopedSession, listOnlineSessions } from './sessions.repo.ts';

const TAGS = ['安全管理'];

/** 在线用户: who is signed in now, and force logout (安全管理员). */
export function registerSessionRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/system/sessions',
    {
      config: { policy: { permission: 'security:session:read' } },
      schema: {
        tags: TAGS,
        summary: '在线用户（有效会话）列表',
        querystring: z.strictObject({
          keyword: z.string().trim().max(64).optional(),
          departmentId: z.coerce.number().int().positive().optional(),
          after: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: onlineSessionListSchema },
      },
    },
    async (req) => listOnlineSessions(ctx.db, requireUser(req), ctx.auth.sessionLimits(), req.query),
  );

  app.delete(
    '/api/system/sessions/:id',
    {
      config: { policy: { permission: 'security:session:delete' } },
      schema: {
        tags: TAGS,
        summary: '强制下线：结束该会话，其下一次请求即要求重新登录',
        params: z.strictObject({ id: z.string().min(1).max(64) }),
        response: { 204: z.null().describe('已强制下线'), 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const me = requireUser(req);
      const target = await findScopedSession(ctx.db, me, req.params.id);
      if (!target) throw notFound('会话');
      if (target.token_hash === me.sessionId) {
        throw new AppError('CONFLICT', '不能强制下线自己当前的会话，请使用“退出登录”');
      }
      await deleteSessionByPublicId(ctx.db, target.public_id);
      const summary = { username: target.username, displayName: target.display_name, ip: target.ip };
      req.auditDetail({ objectType: 'session', objectId: target.public_id, before: summary });
      await ctx.audit.record(ctx.db, {
        actor: { id: me.id, name: me.displayName },
        ip: req.ip,
        action: 'auth.session.revoke',
        objectType: 'user',
        objectId: target.user_id,
        result: 'success',
        before: summary,
        detail: `强制下线用户“${target.display_name}（${target.username}）”的会话`,
      });
      return reply.status(204).send(null);
    },
  );
}
