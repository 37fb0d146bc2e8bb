import { departmentKindSchema, departmentSchema, departmentTreeSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { createDepartmentService } from './departments.service.ts';
import { idParams } from './org.schemas.ts';

const TAGS = ['系统管理'];

const departmentBody = z.strictObject({
  parentId: z.number().int().positive().nullable(),
  name: z.string().trim().min(1, '请输入部门名称').max(60, '部门名称最多 60 个字'),
  kind: departmentKindSchema,
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, '部门编码为 1–32 位字母、数字、下划线或短横线'),
  sort: z.number().int().min(0).max(99_999).default(0),
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{6}(\d{3}(\d{3})?)?$/, '行政区划代码应为 6、9 或 12 位数字')
    .nullable()
    .default(null),
});

/** 部门管理: the department tree (局 → 科室 / 分局 / 市场监管所), scope-filtered for every reader. */
export function registerDepartmentRoutes(app: App, ctx: AppContext): void {
  const departments = createDepartmentService({ db: ctx.db });

  app.get(
    '/api/system/departments/tree',
    {
      config: { policy: { permission: 'system:department:read' } },
      schema: {
        tags: TAGS,
        summary: '部门树（数据范围内可见部门，含人数）',
        response: { 200: departmentTreeSchema },
      },
    },
    async (req) => ({ items: await departments.tree(requireUser(req)) }),
  );

  app.get(
    '/api/system/departments/:id',
    {
      config: { policy: { permission: 'system:department:read' } },
      schema: { tags: TAGS, summary: '部门详情', params: idParams, response: { 200: departmentSchema } },
    },
    async (req) => departments.get(requireUser(req), req.params.id),
  );

  app.post(
    '/api/system/departments',
    {
      config: { policy: { permission: 'system:department:create' } },
      schema: { tags: TAGS, summary: '新增部门', body: departmentBody, response: { 200: departmentSchema } },
    },
    async (req) => {
      const d = await departments.create(requireUser(req), req.body);
      req.auditDetail({ objectType: 'department', objectId: d.id, after: d });
      return d;
    },
  );

  app.put(
    '/api/system/departments/:id',
    {
      config: { policy: { permission: 'system:department:update' } },
      schema: {
        tags: TAGS,
        summary: '修改部门（含调整上级部门：整棵子树随之移动）',
        params: idParams,
        body: departmentBody,
        response: { 200: departmentSchema },
      },
    },
    async (req) => {
      const { before, after } = await departments.update(requireUser(req), req.params.id, req.body);
      req.auditDetail({ objectType: 'department', objectId: after.id, before, after });
      return after;
    },
  );

  app.delete(
    '/api/system/departments/:id',
    {
      config: { policy: { permission: 'system:department:delete' } },
      schema: { tags: TAGS, summary: '删除部门（有下级部门、用户、网格或经营主体时拒绝）', params: idParams },
    },
    async (req, reply) => {
      const d = await departments.remove(requireUser(req), req.params.id);
      req.auditDetail({ objectType: 'department', objectId: d.id, before: d });
      return reply.status(204).send();
    },
  );
}
