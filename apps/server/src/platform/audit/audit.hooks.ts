import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { RoutePolicy } from '../http/policy.ts';
import type { AuditActor } from './audit.service.ts';

/** What a handler adds to the automatic record of its request. Never a raw request body. */
export interface AuditDetail {
  objectType?: string;
  objectId?: string | number;
  before?: unknown;
  after?: unknown;
  /** A short Chinese note, e.g. what was exported. */
  detail?: string;
  /** The person the request acted for when nobody was signed in yet (a successful login). */
  actor?: AuditActor;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Describe the object this request changed; merged into its audit record. */
    auditDetail(detail: AuditDetail): void;
    auditInfo: AuditDetail | null;
    auditError: string | null;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function actionOf(req: FastifyRequest): string {
  const policy = (req.routeOptions.config as { policy?: RoutePolicy } | undefined)?.policy;
  if (policy && typeof policy === 'object') return policy.permission;
  const url = req.routeOptions.url ?? req.url.split('?')[0] ?? req.url;
  return `${req.method} ${url}`;
}

function actorOf(req: FastifyRequest, info: AuditDetail | null): AuditActor | null {
  if (req.user) return { id: req.user.id, name: req.user.displayName };
  if (info?.actor) return info.actor;
  // An anonymous attempt (a failed login): name the account it tried, and only that field of the body.
  const username = (req.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' && username.trim()
    ? { id: null, name: username.trim().slice(0, 64) }
    : null;
}

/**
 * Every mutating API request becomes one audit record (DB3205/T 1112-2024 security audit). The record is written
 * before the response leaves (onSend), so a client that got an answer can rely on the record existing. A failure
 * to write it is logged loudly but does not turn the user's completed request into an error.
 */
export function installAuditHooks(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('auditInfo', null);
  app.decorateRequest('auditError', null);
  app.decorateRequest('auditDetail', function (this: FastifyRequest, detail: AuditDetail) {
    this.auditInfo = { ...this.auditInfo, ...detail };
  });

  app.addHook('onError', async (req, _reply, error) => {
    const code = (error as { code?: unknown }).code;
    req.auditError = `${typeof code === 'string' ? `${code}：` : ''}${error.message}`.slice(0, 500);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    if (!MUTATING.has(req.method) || !req.url.startsWith('/api/')) return payload;
    const info = req.auditInfo;
    const ok = reply.statusCode < 400;
    try {
      await ctx.audit.record(ctx.db, {
        actor: actorOf(req, info),
        ip: req.ip,
        action: actionOf(req),
        ...(info?.objectType !== undefined ? { objectType: info.objectType } : {}),
        ...(info?.objectId !== undefined ? { objectId: info.objectId } : {}),
        ...(info && 'before' in info ? { before: info.before } : {}),
        ...(info && 'after' in info ? { after: info.after } : {}),
        result: ok ? 'success' : 'failure',
        detail: [info?.detail, ok ? undefined : (req.auditError ?? `HTTP ${reply.statusCode}`)]
          .filter(Boolean)
          .join('；'),
      });
    } catch (err) {
      req.log.error({ err, action: actionOf(req) }, '审计记录写入失败');
    }
    return payload;
  });
}
