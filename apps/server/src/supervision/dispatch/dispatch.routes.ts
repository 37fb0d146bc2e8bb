import {
  dispatchActionInputSchema,
  dispatchBoardQuerySchema,
  dispatchBoardSchema,
  dispatchMachineSchema,
  dispatchOfficerSchema,
  dispatchOrderCreateSchema,
  dispatchOrderDetailSchema,
  dispatchQueueSchema,
  dispatchRuleInputSchema,
  dispatchRuleSchema,
  dispatchSuggestionSchema,
  dispatchSuggestQuerySchema,
  officerConflictInputSchema,
  officerConflictSchema,
  officerLeaveInputSchema,
  officerLeaveSchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { filterText, idParams } from '../../platform/org/org.schemas.ts';
import {
  addConflict,
  addLeave,
  listConflicts,
  listLeaves,
  listOfficers,
  removeConflict,
  removeLeave,
} from './dispatch.availability.ts';
import { createRule, deleteRule, listRules, updateRule } from './dispatch.rules.ts';
import { createDispatchService } from './dispatch.service.ts';

const TAGS = ['指挥调度'];

/** 指挥调度: routing rules, availability, suggestion, orders (board, detail, actions), the 待调度 queue. */
export function registerDispatchRoutes(app: App, ctx: AppContext): void {
  const dispatch = createDispatchService(ctx);

  app.get(
    '/api/dispatch/machine',
    {
      config: { policy: { permission: 'dispatch:order:read' } },
      schema: { tags: TAGS, summary: '调度单状态机（状态与流转）', response: { 200: dispatchMachineSchema } },
    },
    async () => dispatch.machine(),
  );

  app.get(
    '/api/dispatch/options',
    {
      config: { policy: { permission: 'dispatch:order:read' } },
      schema: {
        tags: TAGS,
        summary: '派单与规则表单的选项：部门、所、网格',
        response: {
          200: z.object({
            departments: z.array(z.object({ id: z.number(), name: z.string(), kind: z.string() })),
            grids: z.array(z.object({ id: z.number(), name: z.string(), stationId: z.number() })),
          }),
        },
      },
    },
    async () => {
      const [departments, grids] = await Promise.all([
        ctx.db
          .selectFrom('department')
          .select(['id', 'name', 'kind'])
          .orderBy('sort')
          .orderBy('id')
          .execute(),
        ctx.db.selectFrom('grid').select(['id', 'name', 'station_id']).orderBy('code').execute(),
      ]);
      return {
        departments: departments.map((d) => ({ id: Number(d.id), name: d.name, kind: d.kind })),
        grids: grids.map((g) => ({ id: Number(g.id), name: g.name, stationId: Number(g.station_id) })),
      };
    },
  );

  app.get(
    '/api/dispatch/suggest',
    {
      config: { policy: { permission: 'dispatch:order:create' } },
      schema: {
        tags: TAGS,
        summary: '派单建议：按路由规则的承办部门、按工作量排序的可用执法人员（跳过请假、回避、执法证无效）',
        querystring: dispatchSuggestQuerySchema,
        response: { 200: dispatchSuggestionSchema },
      },
    },
    async (req) => dispatch.suggest(requireUser(req), req.query),
  );

  app.get(
    '/api/dispatch/queue',
    {
      config: { policy: { permission: 'dispatch:order:create' } },
      schema: {
        tags: TAGS,
        summary: '待调度线索（按数据权限；新的在前，键集分页）',
        querystring: z.strictObject({
          q: filterText(64).optional(),
          after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: dispatchQueueSchema },
      },
    },
    async (req) => dispatch.queue(requireUser(req), { ...req.query, q: req.query.q || undefined }),
  );

  app.get(
    '/api/dispatch/orders',
    {
      config: { policy: { permission: 'dispatch:order:read' } },
      schema: {
        tags: TAGS,
        summary: '调度台：调度单列表与各部门在办、预警、逾期数（按数据权限）',
        querystring: dispatchBoardQuerySchema,
        response: { 200: dispatchBoardSchema },
      },
    },
    async (req) => dispatch.board(requireUser(req), { ...req.query, q: req.query.q || undefined }),
  );

  app.post(
    '/api/dispatch/orders',
    {
      config: { policy: { permission: 'dispatch:order:create' } },
      schema: {
        tags: TAGS,
        summary:
          '派单：为待调度（或待分拣）的线索创建调度单；同一线索同时派单只有一个成功（409 DISPATCH_CONFLICT）',
        body: dispatchOrderCreateSchema,
        response: { 201: z.object({ id: z.number(), number: z.string() }) },
      },
    },
    async (req, reply) => {
      const created = await dispatch.create(requireUser(req), req.body);
      req.auditDetail({
        objectType: 'dispatch_order',
        objectId: created.id,
        detail: `派单 ${created.number}`,
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/dispatch/orders/:id',
    {
      config: { policy: { permission: 'dispatch:order:read' } },
      schema: {
        tags: TAGS,
        summary: '调度单详情：线索、承办人员、时限、时间线、可执行的操作',
        params: idParams,
        response: { 200: dispatchOrderDetailSchema },
      },
    },
    async (req) => dispatch.get(requireUser(req), req.params.id),
  );

  app.post(
    '/api/dispatch/orders/:id/actions',
    {
      config: { policy: { permission: 'dispatch:order:read' } },
      schema: {
        tags: TAGS,
        summary: '调度单操作：签收、开始办理、登记结果并办结、退回、转办、审批、申请延期、督办（带版本号）',
        params: idParams,
        body: dispatchActionInputSchema,
        response: { 200: dispatchOrderDetailSchema },
      },
    },
    async (req) => {
      const viewer = requireUser(req);
      await dispatch.act(viewer, req.params.id, req.body);
      // A transfer may take the order out of the actor's scope: he still gets the result of what he just did
      // (the order as it now stands), and from then on it is another department's (404).
      const moved = req.body.action === 'transfer' || req.body.action === 'approveTransfer';
      const detail = await dispatch.get(viewer, req.params.id).catch((err: { code?: string }) => {
        if (moved && err.code === 'NOT_FOUND') {
          return dispatch.get(
            { ...viewer, scope: { all: true, departmentIds: [], self: false } },
            req.params.id,
          );
        }
        throw err;
      });
      req.auditDetail({
        objectType: 'dispatch_order',
        objectId: detail.id,
        detail: `调度单 ${detail.number}：${req.body.action}`,
      });
      return detail;
    },
  );

  // ── routing rules ───────────────────────────────────────────────────────────────────────────────────────
  app.get(
    '/api/dispatch/rules',
    {
      config: { policy: { permission: 'dispatch:rule:read' } },
      schema: {
        tags: TAGS,
        summary: '路由规则',
        response: { 200: z.object({ items: z.array(dispatchRuleSchema) }) },
      },
    },
    async () => ({ items: await listRules(ctx.db) }),
  );
  app.post(
    '/api/dispatch/rules',
    {
      config: { policy: { permission: 'dispatch:rule:create' } },
      schema: {
        tags: TAGS,
        summary: '新增路由规则',
        body: dispatchRuleInputSchema,
        response: { 201: dispatchRuleSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await createRule(ctx.db, requireUser(req), req.body)),
  );
  app.put(
    '/api/dispatch/rules/:id',
    {
      config: { policy: { permission: 'dispatch:rule:update' } },
      schema: {
        tags: TAGS,
        summary: '修改路由规则',
        params: idParams,
        body: dispatchRuleInputSchema,
        response: { 200: dispatchRuleSchema },
      },
    },
    async (req) => updateRule(ctx.db, requireUser(req), req.params.id, req.body),
  );
  app.delete(
    '/api/dispatch/rules/:id',
    {
      config: { policy: { permission: 'dispatch:rule:delete' } },
      schema: { tags: TAGS, summary: '删除路由规则', params: idParams },
    },
    async (req, reply) => {
      await deleteRule(ctx.db, requireUser(req), req.params.id);
      return reply.code(204).send();
    },
  );

  // ── availability ────────────────────────────────────────────────────────────────────────────────────────
  app.get(
    '/api/dispatch/officers',
    {
      config: { policy: { permission: 'dispatch:availability:read' } },
      schema: {
        tags: TAGS,
        summary: '部门的执法人员及今日可用情况（执法证、请假、在办调度单）',
        querystring: z.strictObject({ departmentId: idParams.shape.id }),
        response: { 200: z.object({ items: z.array(dispatchOfficerSchema) }) },
      },
    },
    async (req) => ({ items: await listOfficers(ctx.db, requireUser(req), req.query.departmentId) }),
  );
  app.get(
    '/api/dispatch/leaves',
    {
      config: { policy: { permission: 'dispatch:availability:read' } },
      schema: {
        tags: TAGS,
        summary: '请假记录（按数据权限；current=true 只列未结束的）',
        querystring: z.strictObject({
          current: z
            .enum(['true', 'false'])
            .default('true')
            .transform((v) => v === 'true'),
        }),
        response: { 200: z.object({ items: z.array(officerLeaveSchema) }) },
      },
    },
    async (req) => ({ items: await listLeaves(ctx.db, requireUser(req), { current: req.query.current }) }),
  );
  app.post(
    '/api/dispatch/leaves',
    {
      config: { policy: { permission: 'dispatch:availability:create' } },
      schema: {
        tags: TAGS,
        summary: '登记请假',
        body: officerLeaveInputSchema,
        response: { 201: officerLeaveSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await addLeave(ctx.db, requireUser(req), req.body)),
  );
  app.delete(
    '/api/dispatch/leaves/:id',
    {
      config: { policy: { permission: 'dispatch:availability:delete' } },
      schema: { tags: TAGS, summary: '删除请假记录', params: idParams },
    },
    async (req, reply) => {
      await removeLeave(ctx.db, requireUser(req), req.params.id);
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/dispatch/conflicts',
    {
      config: { policy: { permission: 'dispatch:availability:read' } },
      schema: {
        tags: TAGS,
        summary: '回避名单（按数据权限）',
        response: { 200: z.object({ items: z.array(officerConflictSchema) }) },
      },
    },
    async (req) => ({ items: await listConflicts(ctx.db, requireUser(req)) }),
  );
  app.post(
    '/api/dispatch/conflicts',
    {
      config: { policy: { permission: 'dispatch:availability:create' } },
      schema: {
        tags: TAGS,
        summary: '登记回避（人员 × 经营主体）',
        body: officerConflictInputSchema,
        response: { 201: officerConflictSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await addConflict(ctx.db, requireUser(req), req.body)),
  );
  app.delete(
    '/api/dispatch/conflicts/:id',
    {
      config: { policy: { permission: 'dispatch:availability:delete' } },
      schema: { tags: TAGS, summary: '删除回避记录', params: idParams },
    },
    async (req, reply) => {
      await removeConflict(ctx.db, requireUser(req), req.params.id);
      return reply.code(204).send();
    },
  );
}
