import {
  savedViewInputSchema,
  savedViewListSchema,
  savedViewQuerySchema,
  savedViewSchema,
} from '@rongjian/shared/api';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { idParams } from '../http/schemas.ts';
import { createPrefsService } from './prefs.service.ts';

const TAGS = ['个人偏好'];

/** 保存的筛选: every signed-in user keeps named filter sets per list page; only their own. */
export function registerPrefsRoutes(app: App, ctx: AppContext): void {
  const prefs = createPrefsService(ctx);

  app.get(
    '/api/me/saved-views',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '我保存的筛选（按页面）',
        querystring: savedViewQuerySchema,
        response: { 200: savedViewListSchema },
      },
    },
    async (req) => ({ items: await prefs.list(requireUser(req), req.query.page) }),
  );

  app.post(
    '/api/me/saved-views',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '保存筛选（同名则覆盖；每个页面最多 20 个）',
        body: savedViewInputSchema,
        response: { 200: savedViewSchema, 201: savedViewSchema },
      },
    },
    async (req, reply) => {
      const { view, created } = await prefs.save(requireUser(req), req.body);
      req.auditDetail({ objectType: 'saved_view', objectId: view.id, detail: `保存筛选「${view.name}」` });
      return reply.code(created ? 201 : 200).send(view);
    },
  );

  app.delete(
    '/api/me/saved-views/:id',
    {
      config: { policy: 'authenticated' },
      schema: { tags: TAGS, summary: '删除保存的筛选', params: idParams },
    },
    async (req, reply) => {
      const removed = await prefs.remove(requireUser(req), req.params.id);
      req.auditDetail({
        objectType: 'saved_view',
        objectId: removed.id,
        detail: `删除筛选「${removed.name}」`,
      });
      return reply.status(204).send();
    },
  );
}
