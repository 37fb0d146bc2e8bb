import {
  dataScopeSchema,
  departmentOptionSchema,
  roleDetailSchema,
  roleSummarySchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { filterText, idParams } from './org.schemas.ts';
import { registerRoleMemberRoutes } from './role-members.routes.ts';
import { createRoleService } from './roles.service.ts';

const TAGS = ['系统管理'];

const roleBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,31}$/, '角色编码为 2–32 位，小写字母开头，可含小写字母、数字和下划线'),
  name: z.string().trim().min(1, '请输入角色名称').max(32, '角色名称最多 32 个字'),
  dataScope: dataScopeSchema,
  scopeDepartmentIds: z.array(z.number().int().positive()).max(1000).default([]),
  permissions: z.array(z.string().trim().min(1).max(100)).max(1000),
});

/** 角色管理: roles, their members, and department options for the 指定部门 scope. */
export function registerRoleRoutes(app: App, ctx: AppContext): void {
  const roles = createRoleService({ db: ctx.db });

  app.get(
    '/api/system/roles',
    {
      config: { policy: { permission: 'system:role:read' } },
      schema: {
        tags: TAGS,
        summary: '角色列表（含成员数，按数据权限统计）',
        querystring: z.strictObject({ keyword: filterText(64).optional() }),
        response: { 200: z.object({ items: z.array(roleSummarySchema) }) },
      },
    },
    async (req) => ({ items: await roles.list(requireUser(req), req.query.keyword || undefined) }),
  );

  app.get(
    '/api/system/roles/departments',
    {
      config: { policy: { permission: 'system:role:read' } },
      schema: {
        tags: TAGS,
        summary: '可选部门（指定部门数据权限用，限本人数据权限范围）',
        response: { 200: z.object({ items: z.array(departmentOptionSchema) }) },
      },
    },
    async (req) => ({
      items: (await roles.departmentOptions(requireUser(req))).map((d) => ({
        id: d.id,
        parentId: d.parent_id,
        name: d.name,
        kind: d.kind,
      })),
    }),
  );

  app.get(
    '/api/system/roles/:id',
    {
      config: { policy: { permission: 'system:role:read' } },
      schema: { tags: TAGS, summary: '角色详情', params: idParams, response: { 200: roleDetailSchema } },
    },
    async (req) => roles.get(requireUser(req), req.params.id),
  );

  app.post(
    '/api/system/roles',
    {
      config: { policy: { permission: 'system:role:create' } },
      schema: { tags: TAGS, summary: '新增角色', body: roleBody, response: { 200: roleDetailSchema } },
    },
    async (req) => {
      const r = await roles.create(requireUser(req), req.body);
      req.auditDetail({ objectType: 'role', objectId: r.role.id, after: r.after });
      return r.role;
    },
  );

  app.put(
    '/api/system/roles/:id',
    {
      config: { policy: { permission: 'system:role:update' } },
      schema: {
        tags: TAGS,
        summary: '修改角色（权限、数据权限）',
        params: idParams,
        body: roleBody,
        response: { 200: roleDetailSchema },
      },
    },
    async (req) => {
      const r = await roles.update(requireUser(req), req.params.id, req.body);
      req.auditDetail({ objectType: 'role', objectId: r.role.id, before: r.before, after: r.after });
      return r.role;
    },
  );

  app.delete(
    '/api/system/roles/:id',
    {
      config: { policy: { permission: 'system:role:delete' } },
      schema: { tags: TAGS, summary: '删除角色（仍有成员时拒绝）', params: idParams },
    },
    async (req, reply) => {
      const r = await roles.remove(requireUser(req), req.params.id);
      req.auditDetail({ objectType: 'role', objectId: req.params.id, before: r.before });
      return reply.status(204).send();
    },
  );

  registerRoleMemberRoutes(app, ctx);
}
