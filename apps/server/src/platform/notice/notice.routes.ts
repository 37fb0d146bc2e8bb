import { myNoticePageSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { registerNoticeAdminRoutes } from './notice.admin.routes.ts';
import { createNoticeService } from './notice.service.ts';
import { idParams } from '../http/schemas.ts';

const TAGS = ['通知公告'];

/** Every signed-in user's notices (addressed to all, or to their department or one above it) with read status. */
export function registerNoticeRoutes(app: App, ctx: AppContext): void {
  const notices = createNoticeService({ db: ctx.db });
  registerNoticeAdminRoutes(app, ctx, notices);

  app.get(
    '/api/notices',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '我的通知公告（最新在前）',
        querystring: z.strictObject({
          after: z.string().max(80).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          unread: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: myNoticePageSchema },
      },
    },
    async (req) =>
      notices.listMine(requireUser(req), {
        after: req.query.after,
        limit: req.query.limit,
        unreadOnly: req.query.unread === 'true',
      }),
  );

  app.get(
    '/api/notices/unread-count',
    {
      config: { policy: 'authenticated' },
      schema: { tags: TAGS, summary: '未读通知公告数', response: { 200: z.object({ count: z.number() }) } },
    },
    async (req) => ({ count: await notices.unreadCount(requireUser(req)) }),
  );

  app.post(
    '/api/notices/:id/read',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '标记为已读',
        params: idParams,
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (req) => {
      const user = requireUser(req);
      req.auditDetail({ objectType: 'notice', objectId: req.params.id });
      await notices.markRead(user, req.params.id);
      return { count: await notices.unreadCount(user) };
    },
  );

  app.post(
    '/api/notices/read-all',
    {
      config: { policy: 'authenticated' },
      schema: { tags: TAGS, summary: '全部标记为已读', response: { 200: z.object({ count: z.number() }) } },
    },
    async (req) => {
      const user = requireUser(req);
      await notices.markAllRead(user);
      return { count: await notices.unreadCount(user) };
    },
  );
}
