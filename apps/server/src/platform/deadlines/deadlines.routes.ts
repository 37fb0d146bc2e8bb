import {
  deadlineBoardPageSchema,
  deadlineBoardQuerySchema,
  deadlineDecisionBodySchema,
  deadlineDetailSchema,
  deadlineExtensionBodySchema,
  deadlinePauseBodySchema,
} from '@rongjian/shared/api';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { idParams } from '../http/schemas.ts';
import { createDeadlineService } from './deadlines.service.ts';

const TAGS = ['法定时限'];

/** 时限看板 and the actions on one deadline: 中止/恢复, 申请延期, 审批延期 — all within the caller's data scope. */
export function registerDeadlineRoutes(app: App, ctx: AppContext): void {
  const deadlines = createDeadlineService(ctx);
  const actorOf = (user: { id: number; displayName: string }) => ({ id: user.id, name: user.displayName });

  app.get(
    '/api/deadlines',
    {
      config: { policy: { permission: 'clue:deadline:read' } },
      schema: {
        tags: TAGS,
        summary: '时限看板：预警、逾期或进行中的时限（按到期日排序，按数据权限）',
        querystring: deadlineBoardQuerySchema,
        response: { 200: deadlineBoardPageSchema },
      },
    },
    async (req) => deadlines.board(requireUser(req), req.query),
  );

  app.get(
    '/api/deadlines/:id',
    {
      config: { policy: { permission: 'clue:deadline:read' } },
      schema: {
        tags: TAGS,
        summary: '一个时限及其中止、延期记录',
        params: idParams,
        response: { 200: deadlineDetailSchema },
      },
    },
    async (req) => deadlines.get(requireUser(req), req.params.id),
  );

  app.post(
    '/api/deadlines/:id/pause',
    {
      config: { policy: { permission: 'clue:deadline:pause' } },
      schema: {
        tags: TAGS,
        summary: '中止计时（中止期间不计入时限）',
        params: idParams,
        body: deadlinePauseBodySchema,
        response: { 200: deadlineDetailSchema },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const after = await ctx.db.transaction().execute(async (tx) => {
        await deadlines.get(user, req.params.id, tx);
        return deadlines.pause(tx, req.params.id, actorOf(user), req.body.reason);
      });
      req.auditDetail({
        objectType: 'deadline',
        objectId: after.id,
        detail: `中止时限：${after.label}（${after.subjectLabel ?? after.subjectId}），原因：${req.body.reason}`,
      });
      return after;
    },
  );

  app.post(
    '/api/deadlines/:id/resume',
    {
      config: { policy: { permission: 'clue:deadline:pause' } },
      schema: {
        tags: TAGS,
        summary: '恢复计时（到期日顺延中止的天数）',
        params: idParams,
        response: { 200: deadlineDetailSchema },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const after = await ctx.db.transaction().execute(async (tx) => {
        await deadlines.get(user, req.params.id, tx);
        return deadlines.resume(tx, req.params.id, actorOf(user));
      });
      req.auditDetail({
        objectType: 'deadline',
        objectId: after.id,
        detail: `恢复时限：${after.label}（${after.subjectLabel ?? after.subjectId}），到期日 ${after.dueOn}`,
      });
      return after;
    },
  );

  app.post(
    '/api/deadlines/:id/extensions',
    {
      config: { policy: { permission: 'clue:deadline:extend' } },
      schema: {
        tags: TAGS,
        summary: '申请延期（须由他人审批）',
        params: idParams,
        body: deadlineExtensionBodySchema,
        response: { 200: deadlineDetailSchema },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const after = await ctx.db.transaction().execute(async (tx) => {
        await deadlines.get(user, req.params.id, tx);
        await deadlines.requestExtension(tx, req.params.id, actorOf(user), req.body);
        return deadlines.get(user, req.params.id, tx);
      });
      req.auditDetail({
        objectType: 'deadline',
        objectId: after.id,
        detail: `申请延期 ${req.body.days} 天：${after.label}（${after.subjectLabel ?? after.subjectId}），理由：${req.body.reason}`,
      });
      return after;
    },
  );

  app.post(
    '/api/deadlines/extensions/:id/decision',
    {
      config: { policy: { permission: 'clue:deadline:approve' } },
      schema: {
        tags: TAGS,
        summary: '审批延期申请（申请人本人不能审批）',
        params: idParams,
        body: deadlineDecisionBodySchema,
        response: { 200: deadlineDetailSchema },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const after = await ctx.db.transaction().execute(async (tx) => {
        await deadlines.deadlineOfExtension(user, req.params.id, tx);
        return deadlines.decideExtension(tx, req.params.id, actorOf(user), req.body.approve, req.body.note);
      });
      req.auditDetail({
        objectType: 'deadline',
        objectId: after.id,
        detail: `${req.body.approve ? '批准' : '驳回'}延期申请：${after.label}（${after.subjectLabel ?? after.subjectId}）${req.body.approve ? `，到期日 ${after.dueOn}` : ''}`,
      });
      return after;
    },
  );
}
