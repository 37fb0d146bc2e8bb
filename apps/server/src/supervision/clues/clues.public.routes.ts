import fastifyMultipart from '@fastify/multipart';
import {
  publicChallengeSchema,
  publicClueCreatedSchema,
  publicClueIntakeSchema,
  publicClueProgressSchema,
} from '@rongjian/shared/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { idempotencyKeyOf, idempotent, requestHash } from '../../platform/http/idempotency.ts';
import { hitRateLimit, type RateRule } from '../../platform/http/rate-limit.ts';
import { errorBody } from '../../platform/http/schemas.ts';
import { MAX_ATTACHMENT_BYTES, storeAttachment } from './clues.attachments.ts';
import { consumeChallenge, createChallenge } from './clues.challenge.ts';
import {
  ATTACHABLE_STATUSES,
  checkBusinessLine,
  findByQueryCode,
  PUBLIC_ACTOR,
  publicIntakeToClue,
  publicProgress,
} from './clues.public.ts';
import { publicIntakeSetting } from './clues.public.settings.ts';
import { readUpload } from './clues.routes.ts';
import { createClueService } from './clues.service.ts';

const TAGS = ['公众入口'];
const MINUTE = 60;
const DAY = 86_400;

const progressParams = z.strictObject({ number: z.string().max(40) });
const codeQuery = z.strictObject({ code: z.string().max(40).default('') });

/** 429 with `Retry-After`, counted per address in the database (all API nodes share the counters). */
function limiter(ctx: AppContext, name: string, rules: (s: ReturnType<typeof settingsOf>) => RateRule[]) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    await hitRateLimit(ctx.db, `${name}:${req.ip}`, rules(settingsOf(ctx)), {
      onLimited: (s) => void reply.header('retry-after', String(s)),
    });
  };
}
const settingsOf = (ctx: AppContext) => ctx.settings.get(publicIntakeSetting);

/**
 * 公众入口 (no login): the challenge, the submission form, the progress page and attachments to one's own
 * submission. Rate-limited per address; submissions honour `Idempotency-Key`.
 */
export function registerPublicClueRoutes(app: App, ctx: AppContext): void {
  const clues = createClueService(ctx);

  app.get(
    '/api/public/challenge',
    {
      config: { policy: 'public' },
      preValidation: limiter(ctx, 'public-challenge', (s) => [
        { windowSeconds: MINUTE, max: s.challengePerMinute },
      ]),
      schema: {
        tags: TAGS,
        summary: '获取验证码（SVG 图片，一次有效）',
        response: { 200: publicChallengeSchema, 429: errorBody },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return createChallenge(ctx.db, settingsOf(ctx).challengeMinutes);
    },
  );

  app.post(
    '/api/public/clues',
    {
      config: { policy: 'public' },
      preValidation: limiter(ctx, 'public-clue', (s) => [
        { windowSeconds: MINUTE, max: s.perMinute },
        { windowSeconds: DAY, max: s.perDay },
      ]),
      schema: {
        tags: TAGS,
        summary: '公众提交投诉、举报、咨询或建议（无需登录；需验证码；支持 Idempotency-Key）',
        body: publicClueIntakeSchema,
        response: { 201: publicClueCreatedSchema, 400: errorBody, 409: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const body = req.body;
      checkBusinessLine(ctx, body.businessLine);
      const key = idempotencyKeyOf(req.headers);
      const drawn = await clues.drawNumber(publicIntakeToClue(body));
      const out = await idempotent(
        ctx.db,
        { scope: 'public-clue', key, hash: requestHash({ path: '/api/public/clues', body }) },
        async (tx) => {
          const created = await clues.intake(publicIntakeToClue(body), {
            actor: PUBLIC_ACTOR,
            enteredByDepartmentId: null,
            status: 'registering',
            withQueryCode: true,
            tx,
            drawn,
          });
          return {
            status: 201,
            // The stored answer (Idempotency-Key) keeps the query code sealed, never in plain text.
            body: {
              id: created.id,
              number: created.number,
              sealedCode: ctx.pii.encrypt('secret', created.queryCode ?? ''),
            },
          };
        },
        { beforeFirstRun: () => consumeChallenge(ctx.db, body.challengeId, body.challengeAnswer) },
      );
      req.auditDetail({
        actor: PUBLIC_ACTOR,
        objectType: 'clue',
        objectId: out.body.id,
        detail: `公众网上提交线索 ${out.body.number}${out.replayed ? '（重复提交，返回首次结果）' : ''}`,
      });
      return reply
        .code(201)
        .send({ number: out.body.number, queryCode: ctx.pii.decrypt(out.body.sealedCode) });
    },
  );

  app.get(
    '/api/public/clues/:number',
    {
      config: { policy: 'public' },
      preValidation: limiter(ctx, 'public-query', (s) => [{ windowSeconds: MINUTE, max: s.queryPerMinute }]),
      schema: {
        tags: TAGS,
        summary: '按编号和查询码查询办理进度（不含任何个人信息）',
        params: progressParams,
        querystring: codeQuery,
        response: { 200: publicClueProgressSchema, 404: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const clue = await findByQueryCode(ctx, req.params.number, req.query.code);
      if (!clue) throw notFoundPublic();
      reply.header('cache-control', 'no-store');
      return publicProgress(ctx.db, clue);
    },
  );

  app.register(async (plugin) => {
    await plugin.register(fastifyMultipart, {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 2, parts: 3 },
    });
    plugin.withTypeProvider<ZodTypeProvider>().post(
      '/api/public/clues/:number/attachments',
      {
        config: { policy: 'public' },
        preValidation: limiter(ctx, 'public-query', (s) => [
          { windowSeconds: MINUTE, max: s.queryPerMinute },
        ]),
        schema: {
          tags: TAGS,
          summary: '为自己提交的线索补充附件（multipart 字段 file：图片或 PDF；仅在登记、分办阶段）',
          consumes: ['multipart/form-data'],
          params: progressParams,
          querystring: codeQuery,
          response: {
            201: z.object({ sha256: z.string(), duplicate: z.boolean() }),
            404: errorBody,
            429: errorBody,
          },
        },
      },
      async (req, reply) => {
        const clue = await findByQueryCode(ctx, req.params.number, req.query.code);
        if (!clue) throw notFoundPublic();
        if (!ATTACHABLE_STATUSES.includes(clue.status as (typeof ATTACHABLE_STATUSES)[number])) {
          throw new AppError(
            'CLUE_STATE_CONFLICT',
            '线索已进入办理阶段，不能再补充附件；如有新材料请另行提交',
            {
              status: 409,
            },
          );
        }
        const data = await readUpload(req);
        const stored = await ctx.db.transaction().execute((tx) =>
          storeAttachment(tx, ctx, {
            clueId: clue.id,
            departmentId: clue.department_id,
            fileName: data.fileName,
            data: data.data,
            actor: PUBLIC_ACTOR,
          }),
        );
        req.auditDetail({
          actor: PUBLIC_ACTOR,
          objectType: 'clue',
          objectId: clue.id,
          detail: `公众补充附件 ${clue.number}`,
        });
        return reply.code(201).send({ sha256: stored.sha256, duplicate: stored.duplicate });
      },
    );
  });
}

/** Unknown number and wrong code are the same answer. */
const notFoundPublic = () => notFound('该编号或查询码对应的线索');
