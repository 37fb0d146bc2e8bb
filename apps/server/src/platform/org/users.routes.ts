import {
  passwordResetSchema,
  userCreatedSchema,
  userListSchema,
  userOptionsSchema,
  userSchema,
} from '@rongjian/shared/api';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { idParams } from './org.schemas.ts';
import { userCreateBody, userListQuery, userStatusBody, userUpdateBody } from './users.schemas.ts';
import type { UserService } from './users.service.ts';
import { auditView } from './users.view.ts';

const TAGS = ['系统管理'];

/** 用户管理: staff accounts, data-scoped in SQL (a user outside the caller's scope is a 404). */
export function registerUserRoutes(app: App, _ctx: AppContext, users: UserService): void {
  app.get(
    '/api/system/users',
    {
      config: { policy: { permission: 'system:user:read' } },
      schema: {
        tags: TAGS,
        summary: '用户列表（按数据范围过滤；after + limit 游标分页）',
        querystring: userListQuery,
        response: { 200: userListSchema },
      },
    },
    async (req) => users.list(requireUser(req), req.query),
  );

  app.get(
    '/api/system/users/options',
    {
      config: { policy: { permission: 'system:user:read' } },
      schema: {
        tags: TAGS,
        summary: '用户表单可选项：数据范围内的部门、全部角色与岗位',
        response: { 200: userOptionsSchema },
      },
    },
    async (req) => users.options(requireUser(req)),
  );

  app.get(
    '/api/system/users/:id',
    {
      config: { policy: { permission: 'system:user:read' } },
      schema: { tags: TAGS, summary: '用户详情', params: idParams, response: { 200: userSchema } },
    },
    async (req) => users.get(requireUser(req), req.params.id),
  );

  app.post(
    '/api/system/users',
    {
      config: { policy: { permission: 'system:user:create' } },
      schema: {
        tags: TAGS,
        summary: '新增用户（未给初始密码时生成一次性强密码，仅在本次响应中返回）',
        body: userCreateBody,
        response: { 200: userCreatedSchema },
      },
    },
    async (req) => {
      const r = await users.create(requireUser(req), req.body);
      req.auditDetail({ objectType: 'user', objectId: r.user.id, after: auditView(r.user) });
      return r;
    },
  );

  app.put(
    '/api/system/users/:id',
    {
      config: { policy: { permission: 'system:user:update' } },
      schema: {
        tags: TAGS,
        summary: '修改用户（用户名、密码除外）',
        params: idParams,
        body: userUpdateBody,
        response: { 200: userSchema },
      },
    },
    async (req) => {
      const { before, after, rolesChanged } = await users.update(requireUser(req), req.params.id, req.body);
      req.auditDetail({
        objectType: 'user',
        objectId: after.id,
        before: auditView(before),
        after: auditView(after),
        // Granting or withdrawing roles changes what the account may do: name it in the record.
        ...(rolesChanged
          ? {
              detail: `角色变更：${before.roles.map((r) => r.code).join(',') || '无'} → ${
                after.roles.map((r) => r.code).join(',') || '无'
              }`,
            }
          : {}),
      });
      return after;
    },
  );

  app.post(
    '/api/system/users/:id/status',
    {
      config: { policy: { permission: 'system:user:update' } },
      schema: {
        tags: TAGS,
        summary: '启用或停用用户（停用立即结束其所有会话）',
        params: idParams,
        body: userStatusBody,
        response: { 200: userSchema },
      },
    },
    async (req) => {
      const { before, after } = await users.setStatus(requireUser(req), req.params.id, req.body.status);
      req.auditDetail({
        objectType: 'user',
        objectId: after.id,
        before: { status: before.status },
        after: { status: after.status },
      });
      return after;
    },
  );

  app.post(
    '/api/system/users/:id/reset-password',
    {
      config: { policy: { permission: 'system:user:reset' } },
      schema: {
        tags: TAGS,
        summary: '重置密码：返回一次性密码，用户下次登录须修改',
        params: idParams,
        response: { 200: passwordResetSchema },
      },
    },
    async (req) => {
      const { user, password } = await users.resetPassword(requireUser(req), req.params.id);
      req.auditDetail({ objectType: 'user', objectId: user.id, detail: `重置用户 ${user.username} 的密码` });
      return { password };
    },
  );
}
