import fastifyMultipart from '@fastify/multipart';
import { userImportResultSchema } from '@rongjian/shared/api';
import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { idParams } from './org.schemas.ts';
import { buildExport, buildTemplate, XLSX_MIME } from './users.excel.ts';
import type { UserImporter } from './users.import.ts';
import { userExportQuery } from './users.schemas.ts';
import type { UserService } from './users.service.ts';

const TAGS = ['系统管理'];
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Rows one export may hold; beyond it the filters must be narrowed. */
const MAX_EXPORT_ROWS = 50_000;
/** Every xlsx is a zip archive: local file header `PK\x03\x04`. */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function sendXlsx(reply: FastifyReply, fileName: string, data: Buffer) {
  return reply
    .type(XLSX_MIME)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .header('cache-control', 'no-store')
    .send(data);
}

const stamp = () =>
  new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).replace(/\D/g, '').slice(0, 12);

/** Excel import (template, upload, error report) and export of users. Multipart is parsed only in this scope. */
export function registerUserTransferRoutes(
  app: App,
  ctx: AppContext,
  deps: { users: UserService; importer: UserImporter },
): void {
  const { users, importer } = deps;

  app.get(
    '/api/system/users/import-template',
    {
      config: { policy: { permission: 'system:user:import' } },
      schema: { tags: TAGS, summary: '下载用户导入模板（xlsx，含可用部门、角色、岗位编码）' },
    },
    async (req, reply) =>
      sendXlsx(reply, '用户导入模板.xlsx', await buildTemplate(await users.options(requireUser(req)))),
  );

  app.get(
    '/api/system/users/import-errors/:id',
    {
      config: { policy: { permission: 'system:user:import' } },
      schema: { tags: TAGS, summary: '下载导入错误报告（原始行 + 错误原因）', params: idParams },
    },
    async (req, reply) =>
      sendXlsx(
        reply,
        `用户导入错误报告-${req.params.id}.xlsx`,
        await importer.report(requireUser(req), req.params.id),
      ),
  );

  app.get(
    '/api/system/users/export',
    {
      config: { policy: { permission: 'system:user:export' } },
      schema: {
        tags: TAGS,
        summary: '导出用户（与列表相同的筛选条件与数据范围；手机号脱敏）',
        querystring: userExportQuery,
      },
    },
    async (req, reply) => {
      const viewer = requireUser(req);
      const rows = [];
      let after: number | undefined;
      for (;;) {
        const page = await users.list(viewer, { ...req.query, after, limit: 500 });
        rows.push(...page.items);
        if (rows.length > MAX_EXPORT_ROWS) {
          throw new AppError('EXPORT_TOO_LARGE', `一次最多导出 ${MAX_EXPORT_ROWS} 条，请缩小筛选范围`, {
            status: 400,
          });
        }
        if (page.nextAfter === null) break;
        after = page.nextAfter;
      }
      const filter = Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== undefined));
      // A bulk copy of personal data is a security event (GB/T 35273): recorded although it is a GET.
      const detail = `导出用户 ${rows.length} 条；筛选条件：${JSON.stringify(filter)}`;
      req.auditDetail({ objectType: 'user', detail });
      await ctx.audit.record(ctx.db, {
        actor: { id: viewer.id, name: viewer.displayName },
        ip: req.ip,
        action: 'system.user.export',
        objectType: 'user',
        result: 'success',
        detail,
      });
      return sendXlsx(reply, `用户-${stamp()}.xlsx`, await buildExport(rows));
    },
  );

  app.register(async (plugin) => {
    await plugin.register(fastifyMultipart, {
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 },
    });
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.post(
      '/api/system/users/import',
      {
        config: { policy: { permission: 'system:user:import' } },
        schema: {
          tags: TAGS,
          summary: '导入用户（multipart 字段 file，xlsx ≤ 5 MB；?dryRun=1 只校验不写入）',
          consumes: ['multipart/form-data'],
          querystring: z.strictObject({
            dryRun: z
              .enum(['0', '1', 'true', 'false'])
              .default('0')
              .transform((v) => v === '1' || v === 'true'),
          }),
          response: { 200: userImportResultSchema },
        },
      },
      async (req) => {
        const viewer = requireUser(req);
        if (!req.isMultipart()) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段名 file）');
        }
        const part = await req.file();
        if (part?.fieldname !== 'file')
          throw new AppError('VALIDATION_FAILED', '请选择要导入的文件（字段名 file）');
        let data: Buffer;
        try {
          data = await part.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new AppError('PAYLOAD_TOO_LARGE', '文件超过 5 MB，请拆分后分批导入');
          }
          throw err;
        }
        // Trust the bytes, not the file name or the declared type.
        if (data.length < 4 || !data.subarray(0, 4).equals(ZIP_MAGIC)) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 .xlsx 格式的 Excel 文件，请使用导入模板');
        }
        const result = await importer.run(
          viewer,
          { name: part.filename || 'upload.xlsx', data },
          req.query.dryRun,
        );
        req.auditDetail({
          objectType: 'user',
          detail: `${result.dryRun ? '预检' : '导入'}用户：共 ${result.total} 行，新增 ${result.created}，更新 ${result.updated}，失败 ${result.failed}`,
        });
        return result;
      },
    );
  });
}
