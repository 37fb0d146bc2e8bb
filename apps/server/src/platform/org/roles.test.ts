import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/fixtures.ts';
import {
  insertRole,
  type RolesTestBed,
  roleBody as body,
  startRolesTestBed,
} from '../../../test/roles-support.ts';

let bed: RolesTestBed;
const sys = (...args: Parameters<RolesTestBed['sys']>) => bed.sys(...args);

async function lastAudit(action: string) {
  return bed.t.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

beforeAll(async () => {
  bed = await startRolesTestBed();
});

afterAll(async () => {
  await bed?.close();
});

describe('roles: list and CRUD', () => {
  it('lists the built-in roles with their duty and member counts', async () => {
    const res = await sys('GET', '/api/system/roles');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { code: string; duty: string; memberCount: number; builtin: boolean }[];
    const byCode = new Map(items.map((r) => [r.code, r]));
    expect(byCode.get('sysadmin')).toMatchObject({ duty: 'system', memberCount: 2, builtin: true });
    expect(byCode.get('secadmin')).toMatchObject({ duty: 'security', builtin: true });
    expect(byCode.get('auditor')).toMatchObject({ duty: 'audit', memberCount: 1 });
    expect(byCode.get('officer')).toMatchObject({ duty: 'business', memberCount: 2 });
  });

  it('creates a role with a 指定部门 scope, shows it expanded, and audits it as a security event', async () => {
    const [a] = bed.org.stations as [number];
    const res = await sys(
      'POST',
      '/api/system/roles',
      body({ dataScope: 'custom', scopeDepartmentIds: [a] }),
    );
    expect(res.statusCode).toBe(200);
    const role = res.json();
    expect(role).toMatchObject({ code: 'food_checker', builtin: false, duty: 'business', memberCount: 0 });
    expect(role.scopeDepartments).toEqual([{ id: a, name: '城东市场监管所' }]);
    expect(role.effectivePermissions).toContain('inspection:task:update');
    bed.ids.food = role.id;

    const audit = await lastAudit('system:role:create');
    expect(audit).toMatchObject({ object_type: 'role', object_id: String(role.id), result: 'success' });
    expect(JSON.stringify(audit!.summary)).toContain('inspection:task:update');

    const dup = await sys('POST', '/api/system/roles', body());
    expect(dup.statusCode).toBe(400);
    expect(dup.json().details[0].path).toBe('code');
  });

  it('updates permissions and scope; the change reaches holders at once and is audited with before/after', async () => {
    await sys('POST', `/api/system/roles/${bed.ids.food}/members`, { userIds: [bed.ids.officerA] });
    const res = await sys(
      'PUT',
      `/api/system/roles/${bed.ids.food}`,
      body({ dataScope: 'department_tree', permissions: ['entity:profile:read', 'inspection:draw:create'] }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dataScope: 'department_tree', scopeDepartmentIds: [] });
    const audit = await lastAudit('system:role:update');
    const summary = audit!.summary as { before: { permissions: string[] }; after: { permissions: string[] } };
    expect(summary.before.permissions).toContain('inspection:task:update');
    expect(summary.after.permissions).toEqual(['entity:profile:read', 'inspection:draw:create']);

    const me = await bed.t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: (await login(bed.t.app, 'officer_a')).headers,
    });
    expect(me.json().user.permissions).toContain('inspection:draw:create');
  });

  it('refuses permissions that are not in the catalogue', async () => {
    const res = await sys(
      'POST',
      '/api/system/roles',
      body({ code: 'ghost', permissions: ['ghost:thing:read'] }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('ghost:thing:read');
  });

  it('deletes a custom role only once nobody holds it', async () => {
    const held = await sys('DELETE', `/api/system/roles/${bed.ids.food}`);
    expect(held.statusCode).toBe(409);
    expect(held.json()).toMatchObject({ code: 'ROLE_IN_USE' });
    expect(
      (await sys('DELETE', `/api/system/roles/${bed.ids.food}/members/${bed.ids.officerA}`)).statusCode,
    ).toBe(204);
    expect((await sys('DELETE', `/api/system/roles/${bed.ids.food}`)).statusCode).toBe(204);
    expect((await sys('GET', `/api/system/roles/${bed.ids.food}`)).statusCode).toBe(404);
  });

  it('answers SQL metacharacters and over-long keywords without an error', async () => {
    for (const keyword of ["' OR 1=1 --", '%', '_', '\\', '管理员%']) {
      const res = await sys('GET', `/api/system/roles?keyword=${encodeURIComponent(keyword)}`);
      expect(res.statusCode).toBe(200);
      // Wildcards match themselves only: `_` finds codes with an underscore, `%` nothing.
      for (const r of res.json().items as { code: string; name: string }[]) {
        expect(`${r.code} ${r.name}`).toContain(keyword);
      }
    }
    const long = await sys('GET', `/api/system/roles?keyword=${'x'.repeat(10_000)}`);
    expect(long.statusCode).toBe(400);
  });
});

describe('roles: separation of duties (三员分立)', () => {
  const expectViolation = async (permissions: string[]) => {
    const res = await sys('POST', '/api/system/roles', body({ code: 'mixed', permissions }));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ROLE_SEPARATION_VIOLATION');
    expect(res.json().message).toContain('三员分立');
    return res.json().message as string;
  };

  it('refuses a role mixing two administrator duties, or administration with business work', async () => {
    expect(await expectViolation(['system:user:read', 'audit:log:read'])).toContain('「安全审计」');
    await expectViolation(['security:session:read', 'audit:log:read']);
    expect(await expectViolation(['system:grid:*', 'clue:clue:read'])).toContain('业务权限');
    // The shared calendar reading is fine for business roles but still a system permission for an auditor.
    await expectViolation(['audit:log:read', 'system:calendar:read']);
    const ok = await sys(
      'POST',
      '/api/system/roles',
      body({ code: 'clerk2', permissions: ['clue:clue:read', 'system:calendar:read'] }),
    );
    expect(ok.statusCode).toBe(200);
  });

  it('keeps built-in roles: no delete, no rename, no change of duty, no lock-out of role administration', async () => {
    const roles = (await sys('GET', '/api/system/roles')).json().items as { id: number; code: string }[];
    const id = (code: string) => roles.find((r) => r.code === code)!.id;
    const del = await sys('DELETE', `/api/system/roles/${id('auditor')}`);
    expect(del.json()).toMatchObject({ code: 'ROLE_BUILTIN_PROTECTED' });
    expect(del.statusCode).toBe(409);

    const auditor = (await sys('GET', `/api/system/roles/${id('auditor')}`)).json();
    const put = (rid: number, over: Record<string, unknown>) =>
      sys('PUT', `/api/system/roles/${rid}`, {
        code: auditor.code,
        name: auditor.name,
        dataScope: 'all',
        scopeDepartmentIds: [],
        permissions: auditor.permissions,
        ...over,
      });
    expect((await put(id('auditor'), { name: '审计员' })).json().code).toBe('ROLE_BUILTIN_PROTECTED');
    // Widening the auditor into system administration breaks the separation.
    const widened = await put(id('auditor'), { permissions: ['audit:log:read', 'system:user:read'] });
    expect(widened.json().code).toBe('ROLE_SEPARATION_VIOLATION');
    // Turning the auditor into a business role keeps the rule but changes its duty.
    const turned = await put(id('auditor'), { permissions: ['clue:clue:read'] });
    expect(turned.json()).toMatchObject({ code: 'ROLE_BUILTIN_PROTECTED' });
    expect(turned.json().message).toContain('安全审计');
    const sysadmin = (await sys('GET', `/api/system/roles/${id('sysadmin')}`)).json();
    const lockout = await put(id('sysadmin'), {
      code: 'sysadmin',
      name: sysadmin.name,
      permissions: ['system:user:*'],
    });
    expect(lockout.json().code).toBe('ROLE_BUILTIN_PROTECTED');
    // Narrowing within the rule is allowed.
    expect((await put(id('auditor'), { permissions: ['audit:log:read'] })).statusCode).toBe(200);
  });

  it('refuses to give one user roles of two duties, and a role change that would do so to its members', async () => {
    const roles = (await sys('GET', '/api/system/roles')).json().items as { id: number; code: string }[];
    const sysadminId = roles.find((r) => r.code === 'sysadmin')!.id;
    const res = await sys('POST', `/api/system/roles/${sysadminId}/members`, { userIds: [bed.ids.auditor] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('用户「auditor1」');

    const extra = await insertRole(bed.t.ctx.db, 'extra_reader', ['entity:profile:read']);
    expect(
      (await sys('POST', `/api/system/roles/${extra}/members`, { userIds: [bed.ids.officerB] })).statusCode,
    ).toBe(200);
    const toSystem = await sys(
      'PUT',
      `/api/system/roles/${extra}`,
      body({
        code: 'extra_reader',
        name: 'extra_reader',
        dataScope: 'all',
        permissions: ['system:grid:read'],
      }),
    );
    expect(toSystem.statusCode).toBe(400);
    expect(toSystem.json().message).toContain('officer_b');
  });
});
