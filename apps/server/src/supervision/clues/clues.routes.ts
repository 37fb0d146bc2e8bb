import fastifyMultipart from '@fastify/multipart';
import {
  CLUE_STATUS_LABELS,
  clueChannelSchema,
  clueCreatedSchema,
  clueDetailSchema,
  clueIntakeSchema,
  clueKindSchema,
  clueMachineSchema,
  cluePageSchema,
  clueStatusSchema,
  clueTransitionSchema,
  deadlineSchema,
} from '@rongjian/shared/api';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idempotencyKeyOf, idempotent, requestHash } from '../../platform/http/idempotency.ts';
import { filterText, idParams } from '../../platform/org/org.schemas.ts';
import { XLSX_MIME } from '../../platform/org/users.excel.ts';
import { MAX_ATTACHMENT_BYTES, storeAttachment } from './clues.attachments.ts';
import { buildClueExport } from './clues.excel.ts';
import { createDeadlineService } from '../../platform/deadlines/deadlines.service.ts';
import { CLUE_EDGES } from './clues.machine.ts';
import { visibleClues } from './clues.repo.ts';
import { createClueService } from './clues.service.ts';

const TAGS = ['线索归集'];
const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

const filters = {
  q: filterText(64).optional().describe('线索编号、工单号、被投诉对象或内容片段'),
  status: z
    .union([clueStatusSchema, z.array(clueStatusSchema).max(11)])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v])),
  kind: clueKindSchema.optional(),
  channel: clueChannelSchema.optional(),
  businessLine: filterText(40).optional(),
  category12315: filterText(60).optional(),
  departmentId: idParams.shape.id.optional(),
  gridId: idParams.shape.id.optional(),
  entityId: idParams.shape.id.optional(),
  receivedFrom: DAY.optional(),
  receivedTo: DAY.optional(),
  includeMerged: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
};
const listQuery = z.strictObject({
  ...filters,
  after: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

/** Blank text filters mean "no filter" (a cleared search box sends `q=`). */
function clean<T extends Record<string, unknown>>(f: T): T {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as T;
}

const stamp = () =>
  new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).replace(/\D/g, '').slice(0, 12);

/** 线索归集 for staff: intake, list, detail with timeline, transitions, attachments, export. */
export function registerClueRoutes(app: App, ctx: AppContext): void {
  const clues = createClueService(ctx);

  app.get(
    '/api/clues',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: {
        tags: TAGS,
        summary: '线索列表（按数据权限；按收到时间倒序，键集分页）',
        querystring: listQuery,
        response: { 200: cluePageSchema },
      },
    },
    async (req) => clues.list(requireUser(req), clean(req.query)),
  );

  app.get(
    '/api/clues/export',
    {
      config: { policy: { permission: 'clue:clue:export' } },
      schema: { tags: TAGS, summary: '导出线索（xlsx，记入审计）', querystring: z.strictObject(filters) },
    },
    async (req, reply) => {
      const viewer = requireUser(req);
      const filter = clean(req.query);
      const rows = await clues.exportRows(viewer, filter);
      await ctx.audit.record(ctx.db, {
        actor: { id: viewer.id, name: viewer.displayName },
        ip: req.ip,
        action: 'clue.export',
        objectType: 'clue',
        result: 'success',
        detail: `导出线索 ${rows.length} 条；筛选条件：${JSON.stringify(filter)}`,
      });
      const data = await buildClueExport(rows, ctx.dicts);
      return reply
        .type(XLSX_MIME)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`线索-${stamp()}.xlsx`)}`,
        )
        .header('cache-control', 'no-store')
        .send(data);
    },
  );

  app.get(
    '/api/clues/machine',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: { tags: TAGS, summary: '线索状态机（状态与流转）', response: { 200: clueMachineSchema } },
    },
    async () => ({
      states: clueStatusSchema.options.map((value) => ({ value, label: CLUE_STATUS_LABELS[value] })),
      edges: CLUE_EDGES.map((e) => ({
        action: e.action,
        label: e.label,
        from: [...e.from],
        to: e.to,
        permission: e.permission,
      })),
    }),
  );

  app.post(
    '/api/clues',
    {
      config: { policy: { permission: 'clue:clue:create' } },
      schema: {
        tags: TAGS,
        summary: '登记线索（来电、来访、来信、上级交办等，工作人员代为登记）',
        body: clueIntakeSchema,
        response: { 201: clueCreatedSchema },
      },
    },
    async (req, reply) => {
      const viewer = requireUser(req);
      if (
        ['sensing', 'analysis', 'inspection', 'enforcement', 'supervision', 'open311'].includes(
          req.body.channel,
        )
      ) {
        throw new AppError('VALIDATION_FAILED', '该渠道的线索由系统自动生成，不能手工登记', {
          details: [{ path: 'channel', message: '请选择来电、来访、来信等人工渠道' }],
        });
      }
      // A retry with the same Idempotency-Key (per user) returns the first answer and creates nothing.
      // Drawn before the idempotent transaction: the day counter's lock must not last the whole intake.
      const drawn = await clues.drawNumber(req.body);
      const { body: created } = await idempotent(
        ctx.db,
        { scope: `clue:user:${viewer.id}`, key: idempotencyKeyOf(req.headers), hash: requestHash(req.body) },
        async (tx) => ({
          status: 201,
          body: await clues.intake(req.body, {
            actor: { id: viewer.id, name: viewer.displayName },
            enteredByDepartmentId: viewer.departmentId,
            status: 'sorting',
            tx,
            drawn,
          }),
        }),
      );
      req.auditDetail({ objectType: 'clue', objectId: created.id, detail: `登记线索 ${created.number}` });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/clues/:id',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: {
        tags: TAGS,
        summary: '线索详情（含办理时间线；个人信息脱敏）',
        params: idParams,
        response: { 200: clueDetailSchema },
      },
    },
    async (req) => clues.get(requireUser(req), req.params.id),
  );

  const deadlines = createDeadlineService(ctx);
  app.get(
    '/api/clues/:id/deadlines',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: {
        tags: TAGS,
        summary: '线索的法定时限（受理、调解、核查、告知，以及调度单等关联事项的时限）',
        params: idParams,
        response: { 200: z.object({ items: z.array(deadlineSchema) }) },
      },
    },
    async (req) => {
      // Visible clue first (404 outside the viewer's data scope), then every limit linked to it.
      await clues.get(requireUser(req), req.params.id);
      return { items: await deadlines.forClue(ctx.db, req.params.id) };
    },
  );

  app.post(
    '/api/clues/:id/transitions',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: {
        tags: TAGS,
        summary:
          '线索流转（登记、直接办结、转研判、转调度、不予受理、转办、并案、办结、重新办理…；带版本号防并发）',
        params: idParams,
        body: clueTransitionSchema,
        response: { 200: clueDetailSchema },
      },
    },
    async (req) => {
      const detail = await clues.transition(requireUser(req), req.params.id, req.body);
      req.auditDetail({
        objectType: 'clue',
        objectId: detail.id,
        detail: `线索 ${detail.number}：${req.body.action} → ${CLUE_STATUS_LABELS[detail.status]}`,
      });
      return detail;
    },
  );

  app.get(
    '/api/clues/:id/attachments/:attachmentId',
    {
      config: { policy: { permission: 'clue:clue:read' } },
      schema: {
        tags: TAGS,
        summary: '下载线索附件',
        params: z.strictObject({ id: idParams.shape.id, attachmentId: idParams.shape.id }),
      },
    },
    async (req, reply) => {
      const viewer = requireUser(req);
      const row = await visibleClues(ctx.db, viewer)
        .innerJoin('clue_attachment as a', 'a.clue_id', 'c.id')
        .select(['a.file_name', 'a.mime', 'a.content'])
        .where('c.id', '=', req.params.id)
        .where('a.id', '=', req.params.attachmentId)
        .executeTakeFirst();
      if (!row) throw notFound('附件');
      return reply
        .type(row.mime)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(row.file_name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(row.content);
    },
  );

  app.register(async (plugin) => {
    await plugin.register(fastifyMultipart, {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 2, parts: 3 },
    });
    plugin.withTypeProvider<ZodTypeProvider>().post(
      '/api/clues/:id/attachments',
      {
        config: { policy: { permission: 'clue:clue:update' } },
        schema: {
          tags: TAGS,
          summary: '上传线索附件（multipart 字段 file：JPEG/PNG/GIF/WebP 图片或 PDF，按内容识别类型）',
          consumes: ['multipart/form-data'],
          params: idParams,
          response: { 201: z.object({ id: z.number(), sha256: z.string(), duplicate: z.boolean() }) },
        },
      },
      async (req, reply) => {
        const viewer = requireUser(req);
        const clue = await visibleClues(ctx.db, viewer)
          .select(['c.id', 'c.department_id'])
          .where('c.id', '=', req.params.id)
          .executeTakeFirst();
        if (!clue) throw notFound('线索');
        const data = await readUpload(req);
        const stored = await ctx.db.transaction().execute((tx) =>
          storeAttachment(tx, ctx, {
            clueId: Number(clue.id),
            departmentId: clue.department_id === null ? null : Number(clue.department_id),
            fileName: data.fileName,
            data: data.data,
            actor: { id: viewer.id, name: viewer.displayName },
          }),
        );
        req.auditDetail({ objectType: 'clue', objectId: clue.id, detail: `上传附件 ${data.fileName}` });
        return reply.code(201).send(stored);
      },
    );
  });
}

/** The single file of a multipart upload (field `file`), with clear errors for the usual mistakes. */
export async function readUpload(req: {
  isMultipart(): boolean;
  file(): Promise<{ fieldname: string; filename: string; toBuffer(): Promise<Buffer> } | undefined>;
}): Promise<{ fileName: string; data: Buffer }> {
  if (!req.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段名 file）');
  }
  const part = await req.file();
  if (part?.fieldname !== 'file')
    throw new AppError('VALIDATION_FAILED', '请选择要上传的文件（字段名 file）');
  try {
    return { fileName: part.filename || '附件', data: await part.toBuffer() };
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('PAYLOAD_TOO_LARGE', '附件过大');
    }
    throw err;
  }
}
