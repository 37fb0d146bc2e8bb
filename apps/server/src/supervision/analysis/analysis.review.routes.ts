import {
  reviewAcceptedSchema,
  reviewDetailSchema,
  reviewListSchema,
  reviewPeriodInputSchema,
} from '@rongjian/shared/api';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams, keysetQuery } from '../../platform/http/schemas.ts';
import { buildReviewExport } from './analysis.review.excel.ts';
import { getReview, listReviews, requestReview } from './analysis.review.ts';

const TAGS = ['综合研判'];
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 研判复盘: list, detail, 生成报告 (a job; the page polls the report) and the audited xlsx export. */
export function registerAnalysisReviewRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/analysis/review',
    {
      config: { policy: { permission: 'analysis:review:read' } },
      schema: {
        tags: TAGS,
        summary: '研判复盘报告（新的在前）',
        querystring: keysetQuery,
        response: { 200: reviewListSchema },
      },
    },
    async (req) => ({ items: await listReviews(ctx, req.query) }),
  );

  app.get(
    '/api/analysis/review/:id',
    {
      config: { policy: { permission: 'analysis:review:read' } },
      schema: {
        tags: TAGS,
        summary: '研判复盘报告详情',
        params: idParams,
        response: { 200: reviewDetailSchema },
      },
    },
    async (req) => getReview(ctx, req.params.id),
  );

  app.post(
    '/api/analysis/review',
    {
      config: { policy: { permission: 'analysis:review:create' } },
      schema: {
        tags: TAGS,
        summary: '生成研判复盘报告（后台任务；含以更正样本训练候选模型）',
        body: reviewPeriodInputSchema,
        response: { 202: reviewAcceptedSchema },
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      // One report at a time: it may train a model, and the machine is shared with the day's work.
      const busy = await ctx.db
        .selectFrom('analysis_review_report')
        .select(['id', 'period_from', 'period_to'])
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (busy) {
        throw new AppError(
          'REVIEW_BUSY',
          `复盘报告（${busy.period_from} 至 ${busy.period_to}）正在生成，请等待其完成后再生成新的报告`,
          { status: 409 },
        );
      }
      const out = await requestReview(ctx, {
        from: req.body.from,
        to: req.body.to,
        trigger: 'manual',
        actor: { id: u.id, name: u.displayName },
      });
      req.auditDetail({
        objectType: 'analysis_review_report',
        objectId: out.reportId,
        detail: `生成研判复盘报告：${req.body.from} 至 ${req.body.to}`,
      });
      return reply.code(202).send(out);
    },
  );

  app.get(
    '/api/analysis/review/:id/export',
    {
      config: { policy: { permission: 'analysis:review:read' } },
      schema: { tags: TAGS, summary: '导出研判复盘报告（xlsx，记入审计）', params: idParams },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const report = await getReview(ctx, req.params.id);
      if (report.status !== 'done') {
        throw new AppError('REVIEW_NOT_READY', '报告尚未生成完成，不能导出', { status: 409 });
      }
      await ctx.audit.record(ctx.db, {
        actor: { id: u.id, name: u.displayName },
        ip: req.ip,
        action: 'analysis.review.export',
        objectType: 'analysis_review_report',
        objectId: report.id,
        result: 'success',
        detail: `导出研判复盘报告：${report.from} 至 ${report.to}`,
      });
      const data = await buildReviewExport(report);
      return reply
        .type(XLSX_MIME)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`研判复盘-${report.from}至${report.to}.xlsx`)}`,
        )
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
}
