import type { RouteOptions } from 'fastify';

/**
 * Every API route declares who may call it, in its own definition (`config.policy`). The app refuses to start
 * when an `/api` route has none, so a forgotten check is a start-up error, not a hole.
 *   - `public`: anyone, no session (login, health, public intake)
 *   - `authenticated`: any signed-in user (their own profile, the home overview)
 *   - `{ permission }`: a signed-in user whose roles grant `module:object:action`
 */
export type RoutePolicy = 'public' | 'authenticated' | { permission: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
}

const PERMISSION_RE = /^[a-z]+(:[a-z0-9-]+){2}$/;

export class MissingPolicyError extends Error {}

export function assertRouteHasPolicy(route: RouteOptions): void {
  const url = route.url ?? '';
  if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return;
  const policy = (route.config as { policy?: RoutePolicy } | undefined)?.policy;
  if (!policy) {
    throw new MissingPolicyError(`路由 ${String(route.method)} ${url} 未声明访问策略（config.policy）`);
  }
  if (typeof policy === 'object' && !PERMISSION_RE.test(policy.permission)) {
    throw new MissingPolicyError(
      `路由 ${url} 的权限标识 "${policy.permission}" 不符合 module:object:action 格式`,
    );
  }
}

/** Request bodies must reject unknown fields: every body schema is a strict zod object. */
export function assertStrictBody(route: RouteOptions): void {
  const body = (route.schema as { body?: unknown } | undefined)?.body as
    | { _zod?: { def?: { type?: string; catchall?: { _zod?: { def?: { type?: string } } } } } }
    | undefined;
  if (!body) return;
  const def = body._zod?.def;
  if (def?.type === 'object' && def.catchall?._zod?.def?.type !== 'never') {
    throw new MissingPolicyError(
      `路由 ${String(route.method)} ${route.url} 的请求体必须使用 z.strictObject（拒绝未知字段）`,
    );
  }
}
