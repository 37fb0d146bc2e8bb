import {
  clueDetailSchema,
  clueDuplicateQuerySchema,
  clueSortingSchema,
  clueSplitResultSchema,
  clueSplitSchema,
  duplicateListSchema,
  mergeQueueDismissSchema,
  mergeQueueItemSchema,
  mergeQueuePageSchema,
  mergeQueueQuerySchema,
  refusalGroundInputSchema,
  refusalGroundListSchema,
  refusalGroundPatchSchema,
  refusalGroundQuerySchema,
  refusalGroundSchema,
  sortPreviewSchema,
  sortRuleInputSchema,
  sortRuleListSchema,
  sortRulePatchSchema,
  sortRuleSchema,
  sortSuggestionSchema,
  transferLetterSchema,
} from '@rongjian/shared/api';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams } from '../../platform/http/schemas.ts';
import { classify } from './clues.classifier.ts';
import { duplicatesOfClue, findDuplicates } from './clues.duplicates.ts';
import { dismissPair, mergeQueue } from './clues.sorting.queue.ts';
import { createRefusalGroundService } from './clues.refusal.ts';
import { visibleClues } from './clues.repo.ts';
import { createClueService } from './clues.service.ts';
import { confirmSorting, createSortRuleService } from './clues.sorting.ts';
import { splitClue } from './clues.split.ts';
import { transferLetterHtml } from './clues.transfer.ts';

const TAGS = ['线索归集'];

/** 分拣与并案: sorting rules, 分拣确认, 拆分, duplicates and the 并案 queue, 不予受理 grounds, the 转办函. */
export function registerClueSortingRoutes(app: App, ctx: AppContext): void {
  const clues = createClueService(ctx);
  const rules = createSortRuleService(ctx);
  const grounds = createRefusalGroundService(ctx);
  const actorOf = (req: Parameters<typeof requireUser>[0]) => {
    const u = requireUser(req);
    return { id: u.id, name: u.displayName };
  };

  // ── 分拣规则 ──
  app.get(
    '/api/clues/sort-rules',
    {
      config: { policy: { permission: 'clue:sort-rule:read' } },
      schema: { tags: TAGS, summary: '分拣规则（按优先级）', response: { 200: sortRuleListSchema } },
    },
    async () => ({ items: await rules.list() }),
  );
  app.post(
    '/api/clues/sort-rules',
    {
      config: { policy: { permission: 'clue:sort-rule:create' } },
      schema: {
        tags: TAGS,
        summary: '新增分拣规则',
        body: sortRuleInputSchema,
        response: { 201: sortRuleSchema },
      },
    },
    async (req, reply) => {
      const rule = await rules.create(actorOf(req), req.body);
      req.auditDetail({
        objectType: 'clue_sort_rule',
        objectId: rule.id,
        detail: `新增分拣规则“${rule.name}”`,
      });
      return reply.code(201).send(rule);
    },
  );
  app.post(
    '/api/clues/sort-rules/test',
    {
      config: { policy: { permission: 'clue:sort-rule:read' } },
      schema: {
        tags: TAGS,
        summary: '试算分拣建议（不保存）',
        body: sortPreviewSchema,
        response: { 200: sortSuggestionSchema.nullable() },
      },
    },
    async (req) => {
      const s = await classify(ctx.db, req.body.content, {
        title: req.body.title,
        channel: req.body.channel ?? 'phone',
        kind: req.body.kind ?? 'complaint',
      });
      if (!s) return null;
      return {
        ...s,
        respondents: [],
        ruleIds: s.ruleIds ?? [],
        ruleNames: s.ruleNames ?? [],
        matched: s.matched ?? [],
        at: new Date().toISOString(),
      };
    },
  );
  app.patch(
    '/api/clues/sort-rules/:id',
    {
      config: { policy: { permission: 'clue:sort-rule:update' } },
      schema: {
        tags: TAGS,
        summary: '修改分拣规则（带版本号）',
        params: idParams,
        body: sortRulePatchSchema,
        response: { 200: sortRuleSchema },
      },
    },
    async (req) => {
      const rule = await rules.update(actorOf(req), req.params.id, req.body);
      req.auditDetail({
        objectType: 'clue_sort_rule',
        objectId: rule.id,
        detail: `修改分拣规则“${rule.name}”`,
      });
      return rule;
    },
  );
  app.delete(
    '/api/clues/sort-rules/:id',
    {
      config: { policy: { permission: 'clue:sort-rule:delete' } },
      schema: { tags: TAGS, summary: '删除分拣规则', params: idParams, response: { 200: sortRuleSchema } },
    },
    async (req) => {
      const rule = await rules.remove(req.params.id);
      req.auditDetail({
        objectType: 'clue_sort_rule',
        objectId: rule.id,
        detail: `删除分拣规则“${rule.name}”`,
      });
      return rule;
    },
  );

  // ── 分拣确认、拆分 ──
  app.post(
    '/api/clues/:id/sorting',
    {
      config: { policy: { permission: 'clue:clue:handle' } },
      schema: {
        tags: TAGS,
        summary: '分拣确认（确认或更正类型、条线、分类、被投诉对象，并转直接办结/研判/调度；带版本号）',
        params: idParams,
        body: clueSortingSchema,
        response: { 200: clueDetailSchema },
      },
    },
    async (req) => {
      const viewer = requireUser(req);
      await confirmSorting(ctx, clues, viewer, req.params.id, req.body);
      const detail = await clues.get(viewer, req.params.id);
      req.auditDetail({
        objectType: 'clue',
        objectId: detail.id,
        detail: `分拣线索 ${detail.number}：${req.body.route}`,
      });
      return detail;
    },
  );
  app.post(
    '/api/clues/:id/split',
    {
      config: { policy: { permission: 'clue:clue:handle' } },
      schema: {
        tags: TAGS,
        summary: '拆分线索（同时含投诉与举报的，分别处理；带版本号）',
        params: idParams,
        body: clueSplitSchema,
        response: { 200: clueSplitResultSchema },
      },
    },
    async (req) => {
      const out = await splitClue(ctx, clues, requireUser(req), req.params.id, req.body);
      req.auditDetail({
        objectType: 'clue',
        objectId: req.params.id,
        detail: `拆分线索：${out.clues.map((c) => c.number).join('、')}`,
      });
      return out;
    },
  );

  // ── 重复线索与并案队列 ──
  app.get(
    '/api/clues/duplicates',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: {
        tags: TAGS,
        summary: '疑似重复线索（登记前查重：被投诉对象 + 内容）',
        querystring: clueDuplicateQuerySchema,
        response: { 200: duplicateListSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const items = await findDuplicates(
        ctx.db,
        ctx,
        {
          entityId: q.entityId ?? null,
          respondentName: q.respondentName ?? null,
          content: q.content,
          ...(q.receivedAt ? { receivedAt: new Date(q.receivedAt) } : {}),
        },
        requireUser(req),
      );
      return { items };
    },
  );
  app.get(
    '/api/clues/:id/duplicates',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: {
        tags: TAGS,
        summary: '某条线索的疑似重复线索',
        params: idParams,
        response: { 200: duplicateListSchema },
      },
    },
    async (req) => {
      const viewer = requireUser(req);
      const clue = await visibleClues(ctx.db, viewer)
        .selectAll('c')
        .where('c.id', '=', req.params.id)
        .executeTakeFirst();
      if (!clue) throw notFound('线索');
      return { items: await duplicatesOfClue(ctx.db, ctx, clue, viewer) };
    },
  );
  app.get(
    '/api/clues/merge-queue',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: {
        tags: TAGS,
        summary: '并案队列（待处理的疑似重复线索对，按数据权限）',
        querystring: mergeQueueQuerySchema,
        response: { 200: mergeQueuePageSchema },
      },
    },
    async (req) => mergeQueue(ctx.db, requireUser(req), req.query),
  );
  app.post(
    '/api/clues/merge-queue/:id/dismiss',
    {
      config: { policy: { permission: 'clue:clue:merge' } },
      schema: {
        tags: TAGS,
        summary: '忽略一对疑似重复线索（不并案）',
        params: idParams,
        body: mergeQueueDismissSchema,
        response: { 200: mergeQueueItemSchema },
      },
    },
    async (req) => {
      const item = await dismissPair(ctx.db, requireUser(req), req.params.id, req.body.reason);
      req.auditDetail({
        objectType: 'clue',
        objectId: item.clue.id,
        detail: `忽略疑似重复：${item.clue.number} / ${item.candidate.number}`,
      });
      return item;
    },
  );

  // ── 不予受理理由 ──
  app.get(
    '/api/clues/refusal-grounds',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: {
        tags: TAGS,
        summary: '不予受理理由（day=线索收到日期时，只列当日有效的理由）',
        querystring: refusalGroundQuerySchema,
        response: { 200: refusalGroundListSchema },
      },
    },
    async (req) => ({ items: await grounds.list(req.query) }),
  );
  app.post(
    '/api/clues/refusal-grounds',
    {
      config: { policy: { permission: 'clue:refusal-ground:create' } },
      schema: {
        tags: TAGS,
        summary: '新增不予受理理由',
        body: refusalGroundInputSchema,
        response: { 201: refusalGroundSchema },
      },
    },
    async (req, reply) => {
      const g = await grounds.create(req.body);
      req.auditDetail({
        objectType: 'clue_refusal_ground',
        objectId: g.id,
        detail: `新增不予受理理由 ${g.code}`,
      });
      return reply.code(201).send(g);
    },
  );
  app.patch(
    '/api/clues/refusal-grounds/:id',
    {
      config: { policy: { permission: 'clue:refusal-ground:update' } },
      schema: {
        tags: TAGS,
        summary: '修改不予受理理由',
        params: idParams,
        body: refusalGroundPatchSchema,
        response: { 200: refusalGroundSchema },
      },
    },
    async (req) => {
      const g = await grounds.update(req.params.id, req.body);
      req.auditDetail({
        objectType: 'clue_refusal_ground',
        objectId: g.id,
        detail: `修改不予受理理由 ${g.code}`,
      });
      return g;
    },
  );
  app.delete(
    '/api/clues/refusal-grounds/:id',
    {
      config: { policy: { permission: 'clue:refusal-ground:delete' } },
      schema: {
        tags: TAGS,
        summary: '删除不予受理理由（已被引用的只能停用）',
        params: idParams,
        response: { 200: refusalGroundSchema },
      },
    },
    async (req) => {
      const g = await grounds.remove(req.params.id);
      req.auditDetail({
        objectType: 'clue_refusal_ground',
        objectId: g.id,
        detail: `删除不予受理理由 ${g.code}`,
      });
      return g;
    },
  );

  // ── 转办函 ──
  app.get(
    '/api/clues/:id/transfer-letter',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: { tags: TAGS, summary: '转办函（可打印的 HTML）', params: idParams },
    },
    async (req, reply) => {
      const viewer = requireUser(req);
      const clue = await visibleClues(ctx.db, viewer)
        .select(['c.resolution'])
        .where('c.id', '=', req.params.id)
        .executeTakeFirst();
      if (!clue) throw notFound('线索');
      const letter = transferLetterSchema.safeParse(clue.resolution.transferLetter);
      if (!letter.success) throw new AppError('NOT_FOUND', '该线索没有转办函');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(transferLetterHtml(letter.data));
    },
  );
}
