import {
  findingDetectorSchema,
  findingHandleSchema,
  findingPageSchema,
  findingRunRequestSchema,
  findingRunResultSchema,
  findingSchema,
  findingStatusSchema,
  linkRequestSchema,
  linkResponseSchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams } from '../../platform/http/schemas.ts';
import { filterText } from '../../platform/org/org.schemas.ts';
import { runDetectors } from './analysis.findings.ts';
import { getFinding, handleFinding, listFindings } from './analysis.findings.repo.ts';
import { linkEntities, visibleCandidates } from './analysis.linking.ts';

const TAGS = ['综合研判'];

const listQuery = z.strictObject({
  detector: findingDetectorSchema.optional(),
  status: findingStatusSchema.optional(),
  businessLine: filterText(40).optional(),
  gridId: idParams.shape.id.optional(),
  after: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

/** 综合研判 · 主体关联 and 模式发现: entity linking from text, the findings list, 立即检测, 确认 / 忽略. */
export function registerAnalysisFindingRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/analysis/link',
    {
      config: { policy: { permission: 'analysis:judgment:read' } },
      schema: {
        tags: TAGS,
        summary:
          '从文本识别被投诉（举报）主体：按统一社会信用代码、电话、许可证号、名称和地址给出候选主体及理由',
        body: linkRequestSchema,
        response: { 200: linkResponseSchema },
      },
    },
    async (req) => {
      // Candidates are looked up across the register, then cut to the caller's data scope: ask for the most the
      // lookup gives, so an entity out of scope does not leave the page short.
      const found = await linkEntities(ctx.db, req.body.text, { limit: 50, vault: ctx.pii });
      return { candidates: await visibleCandidates(ctx.db, requireUser(req), found, req.body.limit) };
    },
  );

  app.get(
    '/api/analysis/findings',
    {
      config: { policy: { permission: 'analysis:finding:read' } },
      schema: {
        tags: TAGS,
        summary: '模式发现列表（按数据权限；新的在前，键集分页）',
        querystring: listQuery,
        response: { 200: findingPageSchema },
      },
    },
    async (req) => {
      const q = req.query;
      return listFindings(ctx.db, requireUser(req), {
        detector: q.detector,
        status: q.status,
        businessLine: q.businessLine === '' ? undefined : q.businessLine,
        gridId: q.gridId,
        after: q.after,
        limit: q.limit,
      });
    },
  );

  app.get(
    '/api/analysis/findings/:id',
    {
      config: { policy: { permission: 'analysis:finding:read' } },
      schema: { tags: TAGS, summary: '一条发现及其证据', params: idParams, response: { 200: findingSchema } },
    },
    async (req) => getFinding(ctx.db, requireUser(req), req.params.id),
  );

  app.post(
    '/api/analysis/findings/run',
    {
      config: { policy: { permission: 'analysis:finding:run' } },
      schema: {
        tags: TAGS,
        summary: '立即运行检测规则（已发现过的模式不会重复生成线索）',
        body: findingRunRequestSchema,
        response: { 200: findingRunResultSchema },
      },
    },
    async (req) => {
      const result = await runDetectors(ctx, { detectors: req.body.detectors });
      const raised = result.runs.reduce((s, r) => s + r.raised, 0);
      req.auditDetail({ objectType: 'analysis_finding', detail: `立即检测：新发现 ${raised} 条` });
      return result;
    },
  );

  for (const [action, status, label] of [
    ['confirm', 'confirmed', '确认'],
    ['dismiss', 'dismissed', '忽略'],
  ] as const) {
    app.post(
      `/api/analysis/findings/:id/${action}`,
      {
        config: { policy: { permission: 'analysis:finding:update' } },
        schema: {
          tags: TAGS,
          summary: `${label}一条发现（需填写说明，记入线索时间线）`,
          params: idParams,
          body: findingHandleSchema,
          response: { 200: findingSchema },
        },
      },
      async (req) => {
        const viewer = requireUser(req);
        const finding = await ctx.db
          .transaction()
          .execute((tx) => handleFinding(tx, viewer, req.params.id, status, req.body.note));
        req.auditDetail({
          objectType: 'analysis_finding',
          objectId: finding.id,
          detail: `${label}发现：${finding.title}`,
        });
        return finding;
      },
    );
  }
}
