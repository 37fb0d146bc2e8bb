import fastifyMultipart from '@fastify/multipart';
import {
  type ExchangeSource,
  exchangeHttpConfigInputSchema,
  exchangeImportResultSchema,
  exchangeQualitySchema,
  exchangeRunDetailSchema,
  exchangeRunPageSchema,
  exchangeSourceSchema,
  exchangeSyncResultSchema,
} from '@rongjian/shared/api';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams } from '../../platform/http/schemas.ts';
import { pageQuery } from '../../platform/org/org.schemas.ts';
import {
  DATASET_FIELDS,
  DATASET_LABELS,
  type ExchangeSource as Source,
  getSource,
  listSources,
  updateHttpConfig,
  updateMapping,
} from './exchange.connector.ts';
import { MAX_FILE_BYTES } from './exchange.files.ts';
import { runImport } from './exchange.import.ts';
import { reconcileSchedules, requestSync } from './exchange.jobs.ts';
import { sourceQuality } from './exchange.quality.ts';
import { buildErrorReport, getRunDetail, listRuns } from './exchange.runs.ts';

const TAGS = ['数据交换'];
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const nameParams = z.strictObject({ name: z.string().trim().min(1).max(64) });

/** A source as the console sees it: the token only as `hasToken`. */
const toApi = (s: Source): ExchangeSource => ({
  name: s.name,
  label: s.label,
  kind: s.kind,
  dataset: s.dataset,
  datasetLabel: DATASET_LABELS[s.dataset],
  mapping: s.mapping,
  fields: DATASET_FIELDS[s.dataset].map((f) => ({ key: f.key, label: f.label, required: f.required })),
  trustedRank: s.trustedRank,
  enabled: s.enabled,
  http: s.http ? { ...s.http, hasToken: s.tokenEnc !== null } : null,
  updatedAt: s.updatedAt,
});

/** A source's http settings for the audit record: never the token, only whether one is set. */
const auditView = (s: Source) => ({ enabled: s.enabled, ...s.http, hasToken: s.tokenEnc !== null });

/**
 * 数据交换 (support/exchange): sources with their mapping and http settings, file imports, API syncs, runs with
 * their quality figures and error reports, and the per-source quality view.
 */
export function registerExchangeRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/exchange/sources',
    {
      config: { policy: { permission: 'system:exchange:read' } },
      schema: { tags: TAGS, summary: '数据源及其字段映射', response: { 200: z.array(exchangeSourceSchema) } },
    },
    async () => (await listSources(ctx.db)).map(toApi),
  );

  app.put(
    '/api/exchange/sources/:name',
    {
      config: { policy: { permission: 'system:exchange:update' } },
      schema: {
        tags: TAGS,
        summary: '修改数据源的字段映射（目标字段 → 来源列名，“a|b”表示取文件中先出现的列）',
        params: nameParams,
        body: z.strictObject({
          mapping: z.record(z.string().max(40), z.string().max(200, '列名最多 200 个字符')),
        }),
        response: { 200: exchangeSourceSchema },
      },
    },
    async (req) => {
      const { before, after } = await updateMapping(ctx.db, req.params.name, req.body.mapping);
      req.auditDetail({
        objectType: 'exchange_source',
        objectId: before.name,
        before: before.mapping,
        after: after.mapping,
      });
      return toApi(after);
    },
  );

  app.put(
    '/api/exchange/sources/:name/http',
    {
      config: { policy: { permission: 'system:exchange:update' } },
      schema: {
        tags: TAGS,
        summary:
          '修改接口数据源的地址、分页、超时、重试、定时规则、启用状态与访问令牌（令牌加密保存，不返回）',
        params: nameParams,
        body: exchangeHttpConfigInputSchema,
        response: { 200: exchangeSourceSchema },
      },
    },
    async (req) => {
      const { before, after } = await updateHttpConfig(ctx, req.params.name, req.body);
      await reconcileSchedules(ctx);
      const token =
        req.body.token === undefined ? '' : req.body.token === null ? '；已清除访问令牌' : '；已更换访问令牌';
      req.auditDetail({
        objectType: 'exchange_source',
        objectId: before.name,
        before: auditView(before),
        after: auditView(after),
        detail: `修改接口数据源“${after.label}”：${after.enabled ? '启用' : '停用'}，${after.http?.baseUrl}${token}`,
      });
      return toApi(after);
    },
  );

  app.post(
    '/api/exchange/sources/:name/sync',
    {
      config: { policy: { permission: 'system:exchange:sync' } },
      schema: {
        tags: TAGS,
        summary: '立即同步接口数据源（排入后台任务；已在排队或同步中时不重复排入）',
        params: nameParams,
        response: { 200: exchangeSyncResultSchema },
      },
    },
    async (req) => {
      const viewer = requireUser(req);
      const queued = await requestSync(ctx, req.params.name, viewer.displayName);
      req.auditDetail({
        objectType: 'exchange_source',
        objectId: req.params.name,
        detail: queued ? '立即同步：已排入后台任务' : '立即同步：已在排队或同步中，未重复排入',
      });
      return {
        queued,
        message: queued
          ? '已排入同步任务，稍后在导入批次中查看结果'
          : '该数据源已在排队或同步中，请稍后查看导入批次',
      };
    },
  );

  app.get(
    '/api/exchange/sources/:name/quality',
    {
      config: { policy: { permission: 'system:exchange:read' } },
      schema: {
        tags: TAGS,
        summary: '数据源的数据质量：最近一批的字段完整率与有效率、重复、近期批次趋势与时效',
        params: nameParams,
        response: { 200: exchangeQualitySchema },
      },
    },
    async (req) => sourceQuality(ctx, req.params.name),
  );

  app.get(
    '/api/exchange/runs',
    {
      config: { policy: { permission: 'system:exchange:read' } },
      schema: {
        tags: TAGS,
        summary: '导入批次（新的在前，游标分页）',
        querystring: z.strictObject({ source: z.string().trim().max(64).optional(), ...pageQuery }),
        response: { 200: exchangeRunPageSchema },
      },
    },
    async (req) => listRuns(ctx.db, { ...req.query, source: req.query.source || undefined }),
  );

  app.get(
    '/api/exchange/runs/:id',
    {
      config: { policy: { permission: 'system:exchange:read' } },
      schema: {
        tags: TAGS,
        summary: '导入批次详情：各字段完整率、有效率及错误行',
        params: idParams,
        response: { 200: exchangeRunDetailSchema },
      },
    },
    async (req) => getRunDetail(ctx.db, req.params.id),
  );

  app.get(
    '/api/exchange/runs/:id/errors.xlsx',
    {
      config: { policy: { permission: 'system:exchange:read' } },
      schema: { tags: TAGS, summary: '下载错误明细（xlsx：行号、字段、原因、原始行）', params: idParams },
    },
    async (req, reply) => {
      const data = await buildErrorReport(ctx.db, req.params.id);
      return reply
        .type(XLSX_MIME)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`导入错误明细-${req.params.id}.xlsx`)}`,
        )
        .header('cache-control', 'no-store')
        .send(data);
    },
  );

  app.register(async (plugin) => {
    await plugin.register(fastifyMultipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5, parts: 6 },
    });
    plugin.withTypeProvider<ZodTypeProvider>().post(
      '/api/exchange/sources/:name/import',
      {
        config: { policy: { permission: 'system:exchange:import' } },
        schema: {
          tags: TAGS,
          summary:
            '导入文件（文件数据源；multipart 字段 file：CSV（UTF-8/GBK）、XLSX 或 JSON-lines，≤ 50 MB）',
          consumes: ['multipart/form-data'],
          params: nameParams,
          response: { 200: exchangeImportResultSchema },
        },
      },
      async (req) => {
        const viewer = requireUser(req);
        await getSource(ctx.db, req.params.name);
        if (!req.isMultipart()) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段名 file）');
        }
        const part = await req.file();
        if (part?.fieldname !== 'file') {
          throw new AppError('VALIDATION_FAILED', '请选择要导入的文件（字段名 file）');
        }
        let data: Buffer;
        try {
          data = await part.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new AppError('PAYLOAD_TOO_LARGE', '文件超过 50 MB，请拆分后分批导入');
          }
          throw err;
        }
        const result = await runImport(ctx, {
          source: req.params.name,
          fileName: part.filename || 'upload',
          data,
          actor: { id: viewer.id, name: viewer.displayName },
          ip: req.ip,
        });
        req.auditDetail({
          objectType: 'exchange_run',
          objectId: result.runId,
          detail: `导入 ${part.filename}：读入 ${result.rowsIn} 行，接收 ${result.accepted}，拒绝 ${result.rejected}`,
        });
        return result;
      },
    );
  });
}
