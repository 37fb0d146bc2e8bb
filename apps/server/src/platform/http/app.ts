import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawServerDefault,
  type RouteOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { installAuditHooks } from '../audit/audit.hooks.ts';
import type { AppContext } from '../context.ts';
import { installErrorHandler, installNotFoundHandler } from './error-handler.ts';
import { installAuthHooks } from './auth-hooks.ts';
import { installTextGuard } from './text-guard.ts';
import { assertRouteHasPolicy, assertStrictBody } from './policy.ts';
import { registerAllRoutes } from './routes.ts';
import { serveWebApp } from './static.ts';
import { gisTilesSetting, tileImageSources } from '../../support/gis/gis.settings.ts';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

// Zod's own Chinese messages for field-level validation errors, with the ones it leaves half English (“期望 number
// >0”, “期望 int”) said in Chinese.
z.config(z.locales.zhCN());
z.config({ customError: chineseNumberIssue });

function chineseNumberIssue(iss: z.core.$ZodRawIssue): string | undefined {
  const numeric = iss.origin === 'number' || iss.origin === 'int' || iss.origin === 'bigint';
  if (iss.code === 'too_small' && numeric) return `应${iss.inclusive ? '不小于' : '大于'} ${iss.minimum}`;
  if (iss.code === 'too_big' && numeric) return `应${iss.inclusive ? '不大于' : '小于'} ${iss.maximum}`;
  if (iss.code === 'too_small' && iss.origin === 'string') return `至少 ${iss.minimum} 个字`;
  if (iss.code === 'too_big' && iss.origin === 'string') return `最多 ${iss.maximum} 个字`;
  if (iss.code === 'invalid_type' && iss.expected === 'int') return '应为整数';
  if (iss.code === 'invalid_type' && iss.expected === 'number') return '应为数字';
  return undefined;
}

export interface BuildOptions {
  /** Serve the built web app from this folder (production); omitted in API-only tests. */
  webDist?: string | undefined;
  logger?: boolean;
  /** Told of every route once it has passed the start-up checks (the route × role test lists them this way). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ? { level: ctx.config.logLevel } : false,
    // Per-request lines would drown the console of an embedded install; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.config.bodyLimit,
    // Only behind a reverse proxy may X-Forwarded-For be believed (client IPs go into login records).
    trustProxy: ctx.config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRoute', (route) => {
    assertRouteHasPolicy(route);
    assertStrictBody(route);
    opts.onRoute?.(route);
  });
  installErrorHandler(app);
  installTextGuard(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // Map tiles come from the 地图底图 setting's service, if one is set (support/gis).
        imgSrc: ["'self'", 'data:', 'blob:', () => tileImageSources(ctx.settings.get(gisTilesSetting))],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '融监 Rongjian API',
        description:
          '基层市场监管数字化监管平台（DB3205/T 1112-2024）接口。错误统一返回 `{ code, message }`。',
        version: ctx.version,
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'rj_session' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  installAuthHooks(app, ctx);
  installAuditHooks(app, ctx);
  await registerAllRoutes(app, ctx);
  installNotFoundHandler(app, opts.webDist ? await serveWebApp(app, opts.webDist) : undefined);
  return app;
}
