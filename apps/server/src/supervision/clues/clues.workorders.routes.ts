import fastifyMultipart from '@fastify/multipart';
import {
  clueReplyInputSchema,
  clueReplyResultSchema,
  satisfactionInputSchema,
  satisfactionResultSchema,
  smsOutboxPageSchema,
  WORK_ORDER_FIELDS,
  workOrderImportResultSchema,
  workOrderPushResultSchema,
  workOrderRunPageSchema,
  workOrderSourceCodeSchema,
  workOrderSourceSchema,
  workOrderSourceUpdateSchema,
} from '@rongjian/shared/api';
import ExcelJS from 'exceljs';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { neutraliseFormula } from '../../fusion/entities/entities.excel.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams } from '../../platform/http/schemas.ts';
import { pageQuery } from '../../platform/org/org.schemas.ts';
import { visibleClues } from './clues.repo.ts';
import { readUpload } from './clues.routes.ts';
import { listOutbox, replyToComplainants } from './clues.replies.ts';
import { recordSatisfaction } from './clues.satisfaction.ts';
import {
  getSource,
  importWorkOrders,
  listSources,
  MAX_WORKORDER_FILE_BYTES,
  toRunApi,
  toSourceApi,
  updateSource,
} from './clues.workorders.ts';
import { receivePush } from './clues.workorders.push.ts';

const TAGS = ['工单对接'];
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const codeParams = z.strictObject({ code: workOrderSourceCodeSchema });
/** A push of 100 orders with long texts stays well below this. */
const PUSH_BODY_LIMIT = 4 * 1024 * 1024;
const FIELD_LABEL = new Map<string, string>(WORK_ORDER_FIELDS.map((f) => [f.key, f.label]));

/**
 * 12315/12345 work orders: sources and their mappings, file imports with run records and error reports, the signed
 * inbound push; replies to complainants (SMS), the SMS outbox and the satisfaction callback.
 */
export function registerWorkOrderRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/workorders/sources',
    {
      config: { policy: { permission: 'clue:workorder:read' } },
      schema: {
        tags: TAGS,
        summary: '工单来源及字段映射',
        response: { 200: z.array(workOrderSourceSchema) },
      },
    },
    async () => (await listSources(ctx.db)).map(toSourceApi),
  );

  app.get(
    '/api/workorders/sources/:code',
    {
      config: { policy: { permission: 'clue:workorder:read' } },
      schema: {
        tags: TAGS,
        summary: '一个工单来源',
        params: codeParams,
        response: { 200: workOrderSourceSchema },
      },
    },
    async (req) => toSourceApi(await getSource(ctx.db, req.params.code)),
  );

  app.put(
    '/api/workorders/sources/:code',
    {
      config: { policy: { permission: 'clue:workorder:configure' } },
      schema: {
        tags: TAGS,
        summary: '修改工单来源：字段映射、诉求类型映射、签名密钥（只写）、结果回推地址与开关',
        params: codeParams,
        body: workOrderSourceUpdateSchema,
        response: { 200: workOrderSourceSchema },
      },
    },
    async (req) => {
      const { before, after } = await updateSource(ctx, req.params.code, req.body);
      const view = (s: typeof before) => ({
        fieldMapping: s.field_mapping,
        valueMapping: s.value_mapping,
        outboundUrl: s.outbound_url,
        outboundEnabled: s.outbound_enabled,
        hasSecret: s.push_secret_enc !== null,
      });
      req.auditDetail({
        objectType: 'workorder_source',
        objectId: after.code,
        before: view(before),
        after: view(after),
        detail: `修改工单来源“${after.name}”${req.body.secret === undefined ? '' : req.body.secret === null ? '；已清除签名密钥' : '；已更换签名密钥'}`,
      });
      return toSourceApi(after);
    },
  );

  app.get(
    '/api/workorders/sms-key',
    {
      config: { policy: { permission: 'clue:workorder:configure' } },
      schema: {
        tags: TAGS,
        summary: '短信网关密钥是否已设置（从不返回密钥本身）',
        response: { 200: z.object({ hasKey: z.boolean() }) },
      },
    },
    async () => {
      const row = await ctx.db
        .selectFrom('sms_credential')
        .select('key_enc')
        .where('id', '=', 1)
        .executeTakeFirst();
      return { hasKey: Boolean(row?.key_enc) };
    },
  );

  app.put(
    '/api/workorders/sms-key',
    {
      config: { policy: { permission: 'clue:workorder:configure' } },
      schema: {
        tags: TAGS,
        summary: '设置短信网关密钥（加密保存，不返回；null 清除）',
        body: z.strictObject({ key: z.string().min(8, '密钥至少 8 个字符').max(200).nullable() }),
        response: { 200: z.object({ hasKey: z.boolean() }) },
      },
    },
    async (req) => {
      const keyEnc = req.body.key === null ? null : ctx.pii.encrypt('secret', req.body.key);
      await ctx.db
        .insertInto('sms_credential')
        .values({ id: 1, key_enc: keyEnc })
        .onConflict((oc) => oc.column('id').doUpdateSet({ key_enc: keyEnc, updated_at: new Date() }))
        .execute();
      req.auditDetail({
        objectType: 'sms_credential',
        objectId: 1,
        detail: keyEnc ? '更换短信网关密钥' : '清除短信网关密钥',
      });
      return { hasKey: keyEnc !== null };
    },
  );

  app.get(
    '/api/workorders/runs',
    {
      config: { policy: { permission: 'clue:workorder:read' } },
      schema: {
        tags: TAGS,
        summary: '工单导入批次（新的在前）',
        querystring: z.strictObject({ source: workOrderSourceCodeSchema.optional(), ...pageQuery }),
        response: { 200: workOrderRunPageSchema },
      },
    },
    async (req) => {
      let q = ctx.db.selectFrom('workorder_run').selectAll().orderBy('id', 'desc').limit(req.query.limit);
      if (req.query.source) q = q.where('source', '=', req.query.source);
      if (req.query.after) q = q.where('id', '<', req.query.after);
      const rows = await q.execute();
      return {
        items: rows.map(toRunApi),
        nextAfter: rows.length === req.query.limit ? Number(rows.at(-1)!.id) : null,
      };
    },
  );

  app.get(
    '/api/workorders/runs/:id/errors.xlsx',
    {
      config: { policy: { permission: 'clue:workorder:read' } },
      schema: {
        tags: TAGS,
        summary: '下载导入问题明细（xlsx：行号、工单编号、字段、级别、原因、原始行）',
        params: idParams,
      },
    },
    async (req, reply) => {
      const run = await ctx.db
        .selectFrom('workorder_run')
        .selectAll()
        .where('id', '=', req.params.id)
        .executeTakeFirst();
      if (!run) throw notFound('导入批次');
      const errors = run.errors;
      const columns = [...new Set(errors.flatMap((e) => Object.keys(e.raw ?? {})))];
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('问题明细');
      ws.columns = [
        { header: '行号', width: 8 },
        { header: '工单编号', width: 22 },
        { header: '字段', width: 16 },
        { header: '级别', width: 8 },
        { header: '原因', width: 50 },
        ...columns.map((c) => ({ header: neutraliseFormula(c), width: 20 })),
      ];
      for (let c = 2; c <= columns.length + 5; c++) ws.getColumn(c).numFmt = '@';
      ws.getRow(1).font = { bold: true };
      ws.views = [{ state: 'frozen', ySplit: 1 }];
      for (const e of errors) {
        ws.addRow([
          e.rowNo,
          neutraliseFormula(e.orderNo ?? ''),
          e.field ? (FIELD_LABEL.get(e.field) ?? e.field) : '整行',
          e.level === 'error' ? '拒绝' : '提示',
          neutraliseFormula(e.reason),
          ...columns.map((c) => neutraliseFormula(String(e.raw?.[c] ?? ''))),
        ]);
      }
      const data = Buffer.from(await wb.xlsx.writeBuffer());
      return reply
        .type(XLSX_MIME)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`工单导入问题明细-${run.id}.xlsx`)}`,
        )
        .header('cache-control', 'no-store')
        .send(data);
    },
  );

  app.get(
    '/api/workorders/sms-outbox',
    {
      config: { policy: { permission: 'clue:workorder:read' } },
      schema: {
        tags: TAGS,
        summary: '短信发件箱（号码脱敏，新的在前）',
        querystring: z.strictObject(pageQuery),
        response: { 200: smsOutboxPageSchema },
      },
    },
    async (req) => listOutbox(ctx, requireUser(req), req.query),
  );

  app.post(
    '/api/clues/:id/replies',
    {
      config: { policy: { permission: 'clue:clue:handle' } },
      schema: {
        tags: ['线索归集'],
        summary: '答复投诉举报人（按模板发短信，含并案线索的投诉人；号码脱敏返回）',
        params: idParams,
        body: clueReplyInputSchema,
        response: { 200: clueReplyResultSchema },
      },
    },
    async (req) => {
      const viewer = requireUser(req);
      const out = await replyToComplainants(ctx, viewer, req.params.id, req.body);
      req.auditDetail({
        objectType: 'clue',
        objectId: req.params.id,
        detail: `短信答复（${req.body.template}）：成功 ${out.sent} 条，失败 ${out.failed} 条`,
      });
      return out;
    },
  );

  app.post(
    '/api/clues/:id/satisfaction',
    {
      config: { policy: { permission: 'clue:clue:handle' } },
      schema: {
        tags: ['线索归集'],
        summary: '满意度回访（满意/基本满意/不满意；不满意须填原因，可重新办理）',
        params: idParams,
        body: satisfactionInputSchema,
        response: { 200: satisfactionResultSchema },
      },
    },
    async (req) => {
      const viewer = requireUser(req);
      const visible = await visibleClues(ctx.db, viewer)
        .select('c.id')
        .where('c.id', '=', req.params.id)
        .executeTakeFirst();
      if (!visible) throw notFound('线索');
      const out = await ctx.db
        .transaction()
        .execute((tx) =>
          recordSatisfaction(tx, ctx, req.params.id, req.body, { id: viewer.id, name: viewer.displayName }),
        );
      req.auditDetail({
        objectType: 'clue',
        objectId: req.params.id,
        detail: `满意度回访：${req.body.result}${out.reopened ? '，重新办理' : ''}`,
      });
      return out;
    },
  );

  app.register(async (plugin) => {
    await plugin.register(fastifyMultipart, {
      limits: { fileSize: MAX_WORKORDER_FILE_BYTES, files: 1, fields: 2, parts: 3 },
    });
    plugin.withTypeProvider<ZodTypeProvider>().post(
      '/api/workorders/:code/import',
      {
        config: { policy: { permission: 'clue:workorder:import' } },
        schema: {
          tags: TAGS,
          summary:
            '导入 12315/12345 工单导出文件（multipart 字段 file：XLSX 或 CSV（UTF-8/GBK），≤ 20 MB；按工单编号去重）',
          consumes: ['multipart/form-data'],
          params: codeParams,
          response: { 200: workOrderImportResultSchema },
        },
      },
      async (req) => {
        const viewer = requireUser(req);
        let upload: { fileName: string; data: Buffer };
        try {
          upload = await readUpload(req);
        } catch (err) {
          if (err instanceof AppError && err.code === 'PAYLOAD_TOO_LARGE') {
            throw new AppError('PAYLOAD_TOO_LARGE', '文件超过 20 MB，请拆分后分批导入');
          }
          throw err;
        }
        const result = await importWorkOrders(ctx, {
          code: req.params.code,
          fileName: upload.fileName,
          data: upload.data,
          actor: { id: viewer.id, name: viewer.displayName },
        });
        req.auditDetail({
          objectType: 'workorder_run',
          objectId: result.id,
          detail: `导入${req.params.code}工单 ${upload.fileName}：读入 ${result.rowsIn}，新建 ${result.created}，已存在 ${result.existing}，拒绝 ${result.rejected}`,
        });
        return result;
      },
    );
  });

  // The signed push: the raw body is kept as text, because the signature covers the exact bytes sent.
  app.register(async (plugin) => {
    plugin.removeContentTypeParser('application/json');
    plugin.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: PUSH_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    plugin.withTypeProvider<ZodTypeProvider>().post(
      '/api/workorders/:code/push',
      {
        config: { policy: 'public' },
        schema: {
          tags: TAGS,
          summary:
            '12315/12345 平台推送工单（HMAC-SM3 签名：X-Rongjian-Timestamp、X-Rongjian-Nonce、X-Rongjian-Signature；一次 1–100 个）',
          params: codeParams,
          response: { 200: workOrderPushResultSchema },
        },
      },
      async (req) => {
        const raw = typeof req.body === 'string' ? req.body : '';
        return receivePush(ctx, req.params.code, req.headers, raw);
      },
    );
  });
}
