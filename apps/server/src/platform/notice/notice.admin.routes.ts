import {
  noticeAdminPageSchema,
  noticeAdminSchema,
  noticeDepartmentSchema,
  noticeKindSchema,
  noticeLevelSchema,
  noticeStatusSchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { departmentOptions } from './notice.repo.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import type { NoticeService } from './notice.service.ts';
import { idParams } from '../http/schemas.ts';

const TAGS = ['系统管理'];
const body = z.strictObject({
  title: z.string().trim().min(1, '标题不能为空').max(100, '标题最多 100 个字'),
  body: z.string().max(20_000, '内容最多 20000 个字').default(''),
  kind: noticeKindSchema,
  level: noticeLevelSchema.default('normal'),
  targetAll: z.boolean().default(true),
  targetDepartmentIds: z.array(z.number().int().positive()).max(200, '接收部门最多 200 个').default([]),
});
const okSchema = z.object({ ok: z.literal(true) });

/** 通知公告 administration: CRUD, publish and withdraw, within the administrator's data scope. */
export function registerNoticeAdminRoutes(app: App, ctx: AppContext, notices: NoticeService): void {
  app.get(
    '/api/system/notices/departments',
    {
      config: { policy: { permission: 'system:notice:read' } },
      schema: {
        tags: TAGS,
        summary: '可选的接收部门（部门树）',
        response: { 200: z.object({ items: z.array(noticeDepartmentSchema) }) },
      },
    },
    async () => ({ items: await departmentOptions(ctx.db) }),
  );

  app.get(
    '/api/system/notices',
    {
      config: { policy: { permission: 'system:notice:read' } },
      schema: {
        tags: TAGS,
        summary: '通知公告列表（管理）',
        querystring: z.strictObject({
          keyword: z.string().trim().max(100, '关键字最多 100 个字').optional(),
          status: noticeStatusSchema.optional(),
          kind: noticeKindSchema.optional(),
          after: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: noticeAdminPageSchema },
      },
    },
    async (req) => {
      const { after, limit, ...filter } = req.query;
      return notices.listAdmin(requireUser(req), filter, { after, limit });
    },
  );

  app.get(
    '/api/system/notices/:id',
    {
      config: { policy: { permission: 'system:notice:read' } },
      schema: {
        tags: TAGS,
        summary: '通知公告详情（管理）',
        params: idParams,
        response: { 200: noticeAdminSchema },
      },
    },
    async (req) => notices.getAdmin(requireUser(req), req.params.id),
  );

  app.post(
    '/api/system/notices',
    {
      config: { policy: { permission: 'system:notice:create' } },
      schema: { tags: TAGS, summary: '新增通知公告（草稿）', body, response: { 200: noticeAdminSchema } },
    },
    async (req) => {
      const created = await notices.create(requireUser(req), req.body);
      req.auditDetail({ objectType: 'notice', objectId: created.id, after: { title: created.title } });
      return created;
    },
  );

  app.put(
    '/api/system/notices/:id',
    {
      config: { policy: { permission: 'system:notice:update' } },
      schema: {
        tags: TAGS,
        summary: '修改通知公告（草稿或已撤回）',
        params: idParams,
        body,
        response: { 200: noticeAdminSchema },
      },
    },
    async (req) => {
      req.auditDetail({ objectType: 'notice', objectId: req.params.id });
      const { before, after } = await notices.update(requireUser(req), req.params.id, req.body);
      req.auditDetail({ before: summary(before), after: summary(after) });
      return after;
    },
  );

  app.delete(
    '/api/system/notices/:id',
    {
      config: { policy: { permission: 'system:notice:delete' } },
      schema: {
        tags: TAGS,
        summary: '删除通知公告（草稿或已撤回）',
        params: idParams,
        response: { 200: okSchema },
      },
    },
    async (req) => {
      req.auditDetail({ objectType: 'notice', objectId: req.params.id });
      const before = await notices.remove(requireUser(req), req.params.id);
      req.auditDetail({ before: summary(before) });
      return { ok: true as const };
    },
  );

  for (const [action, summaryText] of [
    ['publish', '发布通知公告'],
    ['withdraw', '撤回通知公告'],
  ] as const) {
    app.post(
      `/api/system/notices/:id/${action}`,
      {
        config: { policy: { permission: 'system:notice:publish' } },
        schema: { tags: TAGS, summary: summaryText, params: idParams, response: { 200: noticeAdminSchema } },
      },
      async (req) => {
        req.auditDetail({ objectType: 'notice', objectId: req.params.id, detail: summaryText });
        const { before, after } = await notices[action](requireUser(req), req.params.id);
        req.auditDetail({ before: { status: before.status }, after: { status: after.status } });
        return after;
      },
    );
  }
}

/** What the audit record keeps of a notice: enough to recognise it, not its whole text. */
function summary(n: {
  title: string;
  status: string;
  targetAll: boolean;
  targetDepartments: { name: string }[];
}) {
  return {
    title: n.title,
    status: n.status,
    target: n.targetAll ? '全体' : n.targetDepartments.map((d) => d.name).join('、'),
  };
}
