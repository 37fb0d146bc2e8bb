import { postListSchema, postSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { filterText, idParams, pageQuery } from './org.schemas.ts';
import { createPostService } from './posts.service.ts';

const TAGS = ['系统管理'];

const postBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, '岗位编码为 1–32 位字母、数字、下划线或短横线'),
  name: z.string().trim().min(1, '请输入岗位名称').max(40, '岗位名称最多 40 个字'),
});

/** 岗位管理. */
export function registerPostRoutes(app: App, ctx: AppContext): void {
  const posts = createPostService({ db: ctx.db });

  app.get(
    '/api/system/posts',
    {
      config: { policy: { permission: 'system:post:read' } },
      schema: {
        tags: TAGS,
        summary: '岗位列表',
        querystring: z.strictObject({ keyword: filterText(64).optional(), ...pageQuery }),
        response: { 200: postListSchema },
      },
    },
    async (req) => posts.list(req.query),
  );

  app.get(
    '/api/system/posts/:id',
    {
      config: { policy: { permission: 'system:post:read' } },
      schema: { tags: TAGS, summary: '岗位详情', params: idParams, response: { 200: postSchema } },
    },
    async (req) => posts.get(req.params.id),
  );

  app.post(
    '/api/system/posts',
    {
      config: { policy: { permission: 'system:post:create' } },
      schema: { tags: TAGS, summary: '新增岗位', body: postBody, response: { 200: postSchema } },
    },
    async (req) => {
      const p = await posts.create(req.body);
      req.auditDetail({ objectType: 'post', objectId: p.id, after: p });
      return p;
    },
  );

  app.put(
    '/api/system/posts/:id',
    {
      config: { policy: { permission: 'system:post:update' } },
      schema: {
        tags: TAGS,
        summary: '修改岗位',
        params: idParams,
        body: postBody,
        response: { 200: postSchema },
      },
    },
    async (req) => {
      const { before, after } = await posts.update(req.params.id, req.body);
      req.auditDetail({ objectType: 'post', objectId: after.id, before, after });
      return after;
    },
  );

  app.delete(
    '/api/system/posts/:id',
    {
      config: { policy: { permission: 'system:post:delete' } },
      schema: { tags: TAGS, summary: '删除岗位（仍有用户担任时拒绝）', params: idParams },
    },
    async (req, reply) => {
      const p = await posts.remove(req.params.id);
      req.auditDetail({ objectType: 'post', objectId: p.id, before: p });
      return reply.status(204).send();
    },
  );
}
