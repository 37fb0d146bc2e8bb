import {
  open311ClientCreateSchema,
  open311ClientCreatedSchema,
  open311ClientSchema,
  open311ClientUpdateSchema,
} from '@rongjian/shared/api';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { toAppError } from '../../platform/http/error-handler.ts';
import { idempotencyKeyOf, idempotent, requestHash } from '../../platform/http/idempotency.ts';
import { hitRateLimit } from '../../platform/http/rate-limit.ts';
import { idParams } from '../../platform/http/schemas.ts';
import { conflictOnDuplicate } from '../../platform/org/org.errors.ts';
import {
  clientOfKey,
  errorsBody,
  findRequests,
  flattenBody,
  formatOfUrl,
  hashApiKey,
  newApiKey,
  Open311Error,
  type Open311Fields,
  type Open311Format,
  open311ToIntake,
  parseW3c,
  serviceByCode,
  serviceDefinition,
  services,
  splitFormat,
  toXml,
} from './clues.open311.ts';
import { publicIntakeSetting } from './clues.public.settings.ts';
import { createClueService } from './clues.service.ts';

const PREFIX = '/open311/v2';
const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const TAGS = ['Open311 GeoReport v2'];

const fileParams = z.strictObject({ file: z.string().max(300) });
const requestsQuery = z.object({
  service_request_id: z.string().max(20_000).optional(),
  service_code: z.string().max(100).optional(),
  start_date: z.string().max(40).optional(),
  end_date: z.string().max(40).optional(),
  status: z.string().max(20).optional(),
  jurisdiction_id: z.string().max(100).optional(),
  api_key: z.string().max(200).optional(),
});

/** Send `data` as JSON or as the spec's XML document under `root`. */
function send(reply: FastifyReply, format: Open311Format, root: string, data: unknown, status = 200) {
  reply.code(status).header('cache-control', 'no-store');
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(data));
  return reply.type('text/xml; charset=utf-8').send(toXml(root, data as never));
}

function sendError(reply: FastifyReply, format: Open311Format, status: number, description: string) {
  return send(reply, format, 'errors', errorsBody(status, description), status);
}

const nowNotice = (number: string) => `已收到，编号 ${number}；可凭此编号查询办理进度（requests/${number}）`;

/**
 * Open311 GeoReport v2 at `/open311/v2/`: discovery, services, service definitions, POST/GET requests and tokens,
 * each as `.json` or `.xml`, errors in the spec's format. Plus the console API for the clients' api_keys.
 */
export function registerOpen311Routes(app: App, ctx: AppContext): void {
  const clues = createClueService(ctx);

  app.register(
    async (plugin) => {
      const p = plugin.withTypeProvider<ZodTypeProvider>();
      // Spec errors everywhere under the prefix: `[{code, description}]` or `<errors><error>…`.
      p.setErrorHandler((err: FastifyError, req, reply) => {
        const format = formatOfUrl(req.url);
        if (err instanceof Open311Error) return sendError(reply, format, err.status, err.message);
        const e = toAppError(err);
        if (e.status >= 500) req.log.error({ err }, 'open311 request failed');
        return sendError(reply, format, e.status, e.message);
      });
      p.setNotFoundHandler((req, reply) =>
        sendError(reply, formatOfUrl(req.url), 404, `资源不存在：${req.method} ${req.url.split('?')[0]}`),
      );
      // Open311 clients post form-encoded fields (`attribute[kind]=…` stays one key).
      p.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, done) => {
          done(null, Object.fromEntries(new URLSearchParams(String(body))));
        },
      );

      p.get(
        '/:file',
        {
          config: { policy: 'public' },
          schema: {
            tags: TAGS,
            summary: 'discovery.{json,xml}、services.{json,xml}、requests.{json,xml}（GET）',
            params: fileParams,
            querystring: requestsQuery,
          },
        },
        async (req, reply) => {
          const { name, format } = splitFormat(req.params.file);
          if (name === 'discovery') return send(reply, format, 'discovery', discovery(req));
          if (name === 'services') {
            return send(
              reply,
              format,
              'services',
              services(ctx).map(({ value: _v, ...s }) => s),
            );
          }
          if (name === 'requests')
            return send(reply, format, 'service_requests', await listRequests(req.query));
          throw new Open311Error(404, `资源不存在：${name}`);
        },
      );

      p.get(
        '/services/:file',
        {
          config: { policy: 'public' },
          schema: { tags: TAGS, summary: '服务定义（属性）', params: fileParams },
        },
        async (req, reply) => {
          const { name, format } = splitFormat(req.params.file);
          if (!serviceByCode(ctx, name))
            throw new Open311Error(404, `service_code 不存在：${name.slice(0, 60)}`);
          return send(reply, format, 'service_definition', serviceDefinition(name));
        },
      );

      p.get(
        '/requests/:file',
        {
          config: { policy: 'public' },
          schema: { tags: TAGS, summary: '查询一个服务请求', params: fileParams },
        },
        async (req, reply) => {
          const { name, format } = splitFormat(req.params.file);
          const rows = await findRequests(ctx, { ids: [name] });
          if (rows.length === 0)
            throw new Open311Error(404, `service_request_id 不存在：${name.slice(0, 60)}`);
          return send(reply, format, 'service_requests', rows);
        },
      );

      p.get(
        '/tokens/:file',
        {
          config: { policy: 'public' },
          schema: {
            tags: TAGS,
            summary: '按 token 查询服务请求编号（本平台同步创建，token 即编号）',
            params: fileParams,
          },
        },
        async (req, reply) => {
          const { name, format } = splitFormat(req.params.file);
          const rows = await findRequests(ctx, { ids: [name] });
          if (rows.length === 0) throw new Open311Error(404, `token 不存在：${name.slice(0, 60)}`);
          return send(reply, format, 'service_requests', [{ service_request_id: name, token: name }]);
        },
      );

      p.post(
        '/:file',
        {
          config: { policy: 'public' },
          schema: {
            tags: TAGS,
            summary: '提交服务请求（form-urlencoded 或 JSON；需 api_key；支持 Idempotency-Key）',
            params: fileParams,
            querystring: z.object({ api_key: z.string().max(200).optional() }),
          },
        },
        async (req, reply) => {
          const { name, format } = splitFormat(req.params.file);
          if (name !== 'requests') throw new Open311Error(404, `资源不存在：${name}`);
          const fields: Open311Fields = flattenBody(req.body);
          const { api_key: bodyKey, ...rest } = fields;
          const client = await clientOfKey(ctx.db, bodyKey ?? req.query.api_key);
          const limits = ctx.settings.get(publicIntakeSetting);
          await hitRateLimit(
            ctx.db,
            `open311:${client.id}`,
            [
              { windowSeconds: 60, max: limits.open311PerMinute },
              { windowSeconds: 86_400, max: limits.open311PerDay },
            ],
            { onLimited: (s) => void reply.header('retry-after', String(s)) },
          );
          const intake = open311ToIntake(ctx, rest);
          const actor = { id: null, name: `Open311 接入方 ${client.name}` };
          const drawn = await clues.drawNumber(intake);
          const out = await idempotent(
            ctx.db,
            {
              scope: `open311:${client.id}`,
              key: idempotencyKeyOf(req.headers),
              hash: requestHash({ path: 'requests', fields: rest }),
            },
            async (tx) => {
              const created = await clues.intake(intake, {
                actor,
                enteredByDepartmentId: null,
                status: 'registering',
                tx,
                drawn,
              });
              return {
                status: 201,
                body: [
                  {
                    service_request_id: created.number,
                    service_notice: nowNotice(created.number),
                    account_id: null,
                  },
                ],
              };
            },
          );
          return send(reply, format, 'service_requests', out.body, out.status);
        },
      );
    },
    { prefix: PREFIX },
  );

  function discovery(req: FastifyRequest) {
    const base = `${req.protocol}://${req.host}${PREFIX}/`;
    return {
      changeset: '2026-11-28T00:00:00+08:00',
      contact: '请联系本级市场监督管理局信息化管理部门',
      key_service: '由系统管理员在“系统管理 › Open311 接入”中登记接入方并发放 api_key',
      endpoints: [
        {
          specification: SPEC,
          url: base,
          changeset: '2026-11-28T00:00:00+08:00',
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  async function listRequests(q: z.infer<typeof requestsQuery>) {
    if (q.service_request_id) {
      const ids = q.service_request_id
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.length > 1000) throw new Open311Error(400, 'service_request_id 最多 1000 个');
      return findRequests(ctx, { ids });
    }
    let serviceValue: string | undefined;
    if (q.service_code) {
      const s = serviceByCode(ctx, q.service_code);
      if (!s) throw new Open311Error(400, `service_code 无效：${q.service_code.slice(0, 60)}`);
      serviceValue = s.value;
    }
    const status = q.status?.split(',').map((s) => s.trim());
    if (status?.some((s) => s !== 'open' && s !== 'closed'))
      throw new Open311Error(400, 'status 应为 open 或 closed');
    const start = q.start_date ? parseW3c(q.start_date, 'start_date') : undefined;
    const end = q.end_date ? parseW3c(q.end_date, 'end_date') : undefined;
    if (start && end && start > end) throw new Open311Error(400, 'start_date 不能晚于 end_date');
    return findRequests(ctx, {
      ...(serviceValue !== undefined ? { serviceValue } : {}),
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
      ...(status ? { status: status as ('open' | 'closed')[] } : {}),
    });
  }

  // ------------------------------------------------------------ console: the clients and their api_keys

  const toClient = (r: {
    id: number;
    name: string;
    enabled: boolean;
    created_by_name: string;
    created_at: Date;
    last_used_at: Date | null;
  }) => ({
    id: Number(r.id),
    name: r.name,
    enabled: r.enabled,
    createdByName: r.created_by_name,
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  });
  const CLIENT_COLUMNS = ['id', 'name', 'enabled', 'created_by_name', 'created_at', 'last_used_at'] as const;

  app.get(
    '/api/open311/clients',
    {
      config: { policy: { permission: 'system:open311:read' } },
      schema: {
        tags: ['系统管理'],
        summary: 'Open311 接入方列表',
        response: { 200: z.array(open311ClientSchema) },
      },
    },
    async () =>
      (await ctx.db.selectFrom('open311_client').select(CLIENT_COLUMNS).orderBy('id').execute()).map(
        toClient,
      ),
  );

  app.post(
    '/api/open311/clients',
    {
      config: { policy: { permission: 'system:open311:create' } },
      schema: {
        tags: ['系统管理'],
        summary: '登记 Open311 接入方（api_key 只在此时显示一次）',
        body: open311ClientCreateSchema,
        response: { 201: open311ClientCreatedSchema },
      },
    },
    async (req, reply) => {
      const viewer = requireUser(req);
      const apiKey = newApiKey();
      const row = await conflictOnDuplicate(
        () =>
          ctx.db
            .insertInto('open311_client')
            .values({
              name: req.body.name,
              api_key_hash: hashApiKey(apiKey),
              created_by_name: viewer.displayName,
            })
            .returning(CLIENT_COLUMNS)
            .executeTakeFirstOrThrow(),
        `接入方“${req.body.name}”已存在`,
      );
      req.auditDetail({
        objectType: 'open311_client',
        objectId: row.id,
        detail: `登记 Open311 接入方 ${row.name}`,
      });
      return reply.code(201).send({ ...toClient(row), apiKey });
    },
  );

  app.patch(
    '/api/open311/clients/:id',
    {
      config: { policy: { permission: 'system:open311:update' } },
      schema: {
        tags: ['系统管理'],
        summary: '启用或停用 Open311 接入方',
        params: idParams,
        body: open311ClientUpdateSchema,
        response: { 200: open311ClientSchema },
      },
    },
    async (req) => {
      const row = await ctx.db
        .updateTable('open311_client')
        .set({ enabled: req.body.enabled, updated_at: new Date() })
        .where('id', '=', req.params.id)
        .returning(CLIENT_COLUMNS)
        .executeTakeFirst();
      if (!row) throw notFound('接入方');
      req.auditDetail({
        objectType: 'open311_client',
        objectId: row.id,
        detail: `${req.body.enabled ? '启用' : '停用'} Open311 接入方 ${row.name}`,
      });
      return toClient(row);
    },
  );
}
