import { roleMemberPageSchema, roleMemberSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { filterText, idParams, pageQuery } from './org.schemas.ts';
import { createRoleMemberService } from './role-members.service.ts';

const TAGS = ['系统管理'];

const memberParams = z.strictObject({
  id: idParams.shape.id,
  userId: idParams.shape.id,
});

/** 角色成员: who holds a role, within the caller's data scope. Changes are security events (audited). */
export function registerRoleMemberRoutes(app: App, ctx: AppContext): void {
  const members = createRoleMemberService({ db: ctx.db });

  app.get(
    '/api/system/roles/:id/members',
    {
      config: { policy: { permission: 'system:role:read' } },
      schema: {
        tags: TAGS,
        summary: '角色成员（限本人数据权限范围）',
        params: idParams,
        querystring: z.strictObject({ keyword: filterText(64).optional(), ...pageQuery }),
        response: { 200: roleMemberPageSchema },
      },
    },
    async (req) =>
      members.members(requireUser(req), req.params.id, {
        ...req.query,
        keyword: req.query.keyword || undefined,
      }),
  );

  app.get(
    '/api/system/roles/:id/candidates',
    {
      config: { policy: { permission: 'system:role:read' } },
      schema: {
        tags: TAGS,
        summary: '可添加为成员的用户（尚未持有该角色，限本人数据权限范围）',
        params: idParams,
        querystring: z.strictObject({
          keyword: filterText(64).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.object({ items: z.array(roleMemberSchema) }) },
      },
    },
    async (req) => ({
      items: await members.candidates(requireUser(req), req.params.id, {
        keyword: req.query.keyword || undefined,
        limit: req.query.limit,
      }),
    }),
  );

  app.post(
    '/api/system/roles/:id/members',
    {
      config: { policy: { permission: 'system:role:update' } },
      schema: {
        tags: TAGS,
        summary: '添加角色成员',
        params: idParams,
        body: z.strictObject({
          userIds: z.array(idParams.shape.id).min(1, '请选择用户').max(200, '一次最多添加 200 名用户'),
        }),
        response: { 200: z.object({ added: z.number() }) },
      },
    },
    async (req) => {
      const r = await members.addMembers(requireUser(req), req.params.id, req.body.userIds);
      req.auditDetail({
        objectType: 'role',
        objectId: req.params.id,
        after: { role: r.role.code, permissions: r.role.permissions, addedUserIds: req.body.userIds },
        detail: `为角色「${r.role.name}」添加 ${r.added} 名成员`,
      });
      return { added: r.added };
    },
  );

  app.delete(
    '/api/system/roles/:id/members/:userId',
    {
      config: { policy: { permission: 'system:role:update' } },
      schema: { tags: TAGS, summary: '移除角色成员', params: memberParams },
    },
    async (req, reply) => {
      const r = await members.removeMember(requireUser(req), req.params.id, req.params.userId);
      req.auditDetail({
        objectType: 'role',
        objectId: req.params.id,
        before: { role: r.role.code, permissions: r.role.permissions, removedUserId: req.params.userId },
        detail: `从角色「${r.role.name}」移除成员 ${req.params.userId}`,
      });
      return reply.status(204).send();
    },
  );
}
