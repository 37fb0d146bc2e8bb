import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { createTestApp } from '../../../test/support.ts';
import { hasPermission } from '../auth/permissions.ts';
import type { RoutePolicy } from '../http/policy.ts';
import { catalogEntry } from './permissions.catalog.ts';
import { BUILTIN_ROLES } from './roles.ts';

/**
 * The route × role matrix: every registered route, every built-in role. The route list is what the app itself
 * registers, after its start-up checks (`assertRouteHasPolicy` on every route), so a route added anywhere is
 * covered here without editing this file.
 */
const registered: RouteOptions[] = [];

interface ApiRoute {
  method: string;
  url: string;
  policy: RoutePolicy | undefined;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Plausible values per path parameter, so that a permitted call reaches its handler (404 is fine).
const PARAM_VALUES: Record<string, string> = { day: '2025-01-01', year: '2025', key: 'system.platform' };

let t: Awaited<ReturnType<typeof createTestApp>>;
const sessions = new Map<string, Session>();
let routes: ApiRoute[] = [];

const permissionOf = (r: ApiRoute) => (typeof r.policy === 'object' ? r.policy.permission : null);
const concreteUrl = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => PARAM_VALUES[name] ?? '1');
const rolePermissions = (code: string) => BUILTIN_ROLES.find((r) => r.code === code)!.permissions;
const guarded = (method: 'GET' | 'MUTATING') =>
  routes.filter(
    (r) =>
      permissionOf(r) &&
      (method === 'GET' ? r.method === 'GET' : MUTATING.has(r.method)) &&
      // Streams never end; their policy is still checked below.
      !r.url.endsWith('/stream'),
  );

async function call(role: string, r: ApiRoute) {
  const s = sessions.get(role)!;
  const res = await t.app.inject({
    method: r.method as 'GET',
    url: concreteUrl(r.url),
    headers: s.headers,
    ...(MUTATING.has(r.method) && r.method !== 'DELETE' ? { payload: {} } : {}),
  });
  const json = String(res.headers['content-type'] ?? '').includes('json');
  return { status: res.statusCode, code: json ? (res.json() as { code?: string } | null)?.code : undefined };
}

beforeAll(async () => {
  t = await createTestApp({}, { onRoute: (r) => registered.push(r) });
  const org = await createOrg(t.ctx.db);
  for (const role of BUILTIN_ROLES) {
    await org.user(`policy_${role.code}`, role.code);
    sessions.set(role.code, await login(t.app, `policy_${role.code}`));
  }
  routes = registered.flatMap((r) =>
    [r.method]
      .flat()
      .filter((m) => m !== 'HEAD' && m !== 'OPTIONS')
      .map((method) => ({
        method,
        url: r.url ?? '',
        policy: (r.config as { policy?: RoutePolicy } | undefined)?.policy,
      })),
  );
});

afterAll(async () => {
  await t?.close();
});

describe('route policies', () => {
  it('every /api route declares a policy, and every permission it names is in the catalogue', () => {
    const api = routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
    expect(api.length).toBeGreaterThan(30);
    const missing = api.filter((r) => !r.policy).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const uncatalogued = api
      .filter((r) => permissionOf(r) && !catalogEntry(permissionOf(r)!))
      .map((r) => `${r.method} ${r.url} → ${permissionOf(r)}`);
    expect(uncatalogued).toEqual([]);
  });

  it('no route edits or deletes audit data: audit routes are read-only', () => {
    const audit = routes.filter(
      (r) => r.url.startsWith('/api/audit') || permissionOf(r)?.startsWith('audit:'),
    );
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(routes.filter((r) => r.method === 'DELETE' && /audit|login-log/.test(r.url))).toEqual([]);
  });
});

describe('route × built-in role', () => {
  it.each(BUILTIN_ROLES.map((r) => r.code))(
    '%s: 403 exactly on the guarded routes it lacks',
    async (role) => {
      const perms = rolePermissions(role);
      const wrong: string[] = [];
      for (const r of guarded('GET')) {
        const { status, code } = await call(role, r);
        const allowed = hasPermission(perms, permissionOf(r)!);
        if (allowed ? status === 403 : status !== 403 || code !== 'FORBIDDEN') {
          wrong.push(`${r.method} ${r.url} (${permissionOf(r)}) → ${status} ${code ?? ''}`);
        }
      }
      // Mutating routes are only called where the permission is missing: the refusal comes before anything else.
      for (const r of guarded('MUTATING').filter((r) => !hasPermission(perms, permissionOf(r)!))) {
        const { status, code } = await call(role, r);
        if (status !== 403 || code !== 'FORBIDDEN')
          wrong.push(`${r.method} ${r.url} → ${status} ${code ?? ''}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('审计管理员 gets 2xx only on audit routes', async () => {
    const ok: string[] = [];
    for (const r of guarded('GET')) {
      const { status } = await call('auditor', r);
      if (status < 300) ok.push(permissionOf(r)!);
    }
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.filter((p) => !p.startsWith('audit:'))).toEqual([]);
  });

  it('系统管理员 is refused every audit route', async () => {
    const audit = routes.filter((r) => r.url.startsWith('/api/audit/') && !r.url.endsWith('/stream'));
    expect(audit.length).toBeGreaterThan(0);
    for (const r of audit) {
      expect((await call('sysadmin', r)).status, `${r.method} ${r.url}`).toBe(403);
    }
  });

  it('安全管理员 is refused user and role administration', async () => {
    const admin = routes.filter((r) => /^system:(user|role):/.test(permissionOf(r) ?? ''));
    expect(admin.length).toBeGreaterThan(5);
    for (const r of admin) {
      const { status, code } = await call('secadmin', r);
      expect([status, code], `${r.method} ${r.url}`).toEqual([403, 'FORBIDDEN']);
    }
  });
});
