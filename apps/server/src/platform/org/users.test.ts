import type { User } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRole, insertUser } from '../../../test/roles-support.ts';
import { login } from '../../../test/fixtures.ts';
import { BASE_USER as base, usernames as names, usersTestApp } from '../../../test/users-support.ts';

let u: Awaited<ReturnType<typeof usersTestApp>>;
let east: number;
let west: number;
beforeAll(async () => {
  u = await usersTestApp();
  ({ east, west } = u);
});
afterAll(() => u.t.close());

const api: Awaited<ReturnType<typeof usersTestApp>>['api'] = (...args) => u.api(...args);
const createUser = (body: Record<string, unknown>) => u.createUser(body);

describe('creating users', () => {
  it('generates a strong one-time password that works once and must be changed', async () => {
    const { user, initialPassword } = await createUser({ username: 'zhang.san', displayName: '张三' });
    expect(initialPassword).toMatch(/^.{14,}$/);
    expect(user).toMatchObject({
      username: 'zhang.san',
      departmentName: '城东市场监管所',
      mustChangePassword: true,
    });
    expect(user.roles).toEqual([{ code: 'officer', name: '执法人员' }]);
    const res = await u.t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'zhang.san', password: initialPassword },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.restriction).toBe('password_change');
  });

  it('takes a given password only when it meets the password policy', async () => {
    const weak = await api('POST', '/api/system/users', {
      username: 'weak.pw',
      displayName: '弱密码',
      departmentId: east,
      ...base,
      password: '12345678',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toContain('密码不符合安全策略');
    expect((await api('GET', '/api/system/users?keyword=weak.pw')).json().total).toBe(0);

    const ok = await createUser({
      username: 'given.pw',
      displayName: '给定密码',
      password: 'Given-Passw0rd',
    });
    expect(ok.initialPassword).toBeNull();
  });

  it('refuses a taken or malformed username, an unknown role and an unknown department', async () => {
    const taken = await api('POST', '/api/system/users', {
      username: 'sysadm',
      displayName: 'x',
      departmentId: east,
      ...base,
    });
    expect(taken.statusCode).toBe(409);
    const malformed = await api('POST', '/api/system/users', {
      username: 'A b',
      displayName: 'x',
      departmentId: east,
      ...base,
    });
    expect(malformed.statusCode).toBe(400);
    const role = await api('POST', '/api/system/users', {
      username: 'no.role',
      displayName: 'x',
      departmentId: east,
      ...base,
      roleCodes: ['no_such_role'],
    });
    expect(role.statusCode).toBe(400);
    expect(role.json().message).toContain('no_such_role');
    const dept = await api('POST', '/api/system/users', {
      username: 'no.dept',
      displayName: 'x',
      departmentId: 999999,
      ...base,
    });
    expect(dept.statusCode).toBe(404);
  });

  it('refuses roles that would break the separation of the three administrators', async () => {
    const res = await api('POST', '/api/system/users', {
      username: 'two.hats',
      displayName: '兼职管理员',
      departmentId: u.org.bureauId,
      ...base,
      roleCodes: ['sysadmin', 'auditor'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ROLE_SEPARATION_VIOLATION');
  });
});

describe('phone numbers', () => {
  it('stores the phone encrypted, shows it masked and finds it by exact number', async () => {
    const { user } = await createUser({ username: 'li.si', displayName: '李四', phone: '138 0013 5678' });
    expect(user.phoneMasked).toBe('138****5678');
    const row = await u.t.ctx.db
      .selectFrom('app_user')
      .select(['phone_enc', 'phone_bidx'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.phone_enc).not.toContain('13800135678');
    expect(row.phone_bidx).toBeTruthy();

    const found = await api('GET', '/api/system/users?phone=13800135678');
    expect(names(found)).toEqual(['li.si']);
    expect(found.body).not.toContain('13800135678');
    expect(found.body).not.toContain(row.phone_enc!);
    expect(names(await api('GET', '/api/system/users?phone=13800135679'))).toEqual([]);

    const detail = await api('GET', `/api/system/users/${user.id}`);
    expect(detail.json().phoneMasked).toBe('138****5678');
    expect(detail.body).not.toContain(row.phone_enc!);

    // An edit that does not mention the phone keeps it (the form only ever sees it masked); null removes it.
    const edit = { displayName: '李四', departmentId: east, ...base };
    const { phone: _omit, ...withoutPhone } = edit;
    const kept = await api('PUT', `/api/system/users/${user.id}`, withoutPhone);
    expect(kept.json().phoneMasked).toBe('138****5678');
    const cleared = await api('PUT', `/api/system/users/${user.id}`, { ...edit, phone: null });
    expect(cleared.json().phoneMasked).toBeNull();
    expect(names(await api('GET', '/api/system/users?phone=13800135678'))).toEqual([]);
  });
});

describe('editing users', () => {
  it('changes department, posts and certificate, and audits a role change with before/after codes', async () => {
    const post = await u.t.ctx.db
      .insertInto('post')
      .values({ code: 'p_edit', name: '执法员' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { user } = await createUser({ username: 'wang.wu', displayName: '王五' });
    const res = await api('PUT', `/api/system/users/${user.id}`, {
      displayName: '王五',
      departmentId: west,
      roleCodes: ['officer', 'clerk'],
      postIds: [post.id],
      phone: null,
      certNo: '32050012345',
      certValidUntil: '2030-06-30',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      departmentName: '城西市场监管所',
      posts: [{ code: 'p_edit' }],
      certNo: '32050012345',
      certValidUntil: '2030-06-30',
    });
    const record = await u.t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'summary', 'detail', 'result'])
      .where('object_type', '=', 'user')
      .where('object_id', '=', String(user.id))
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(record.result).toBe('success');
    expect(JSON.stringify(record.summary)).toContain('"roles":["officer"]');
    expect(JSON.stringify(record.summary)).toMatch(
      /"roles":\["officer","clerk"\]|"roles":\["clerk","officer"\]/,
    );
    expect(record.detail).toContain('角色变更');
  });

  it('does not let anyone remove the last active system administrator', async () => {
    const role = await insertRole(u.t.ctx.db, 'user_admin', ['system:user:*'], 'all');
    await insertUser(u.t.ctx.db, 'useradmin', u.org.bureauId, [role]);
    const s = await login(u.t.app, 'useradmin');
    const sysadm = (await api('GET', '/api/system/users?roleCode=sysadmin')).json().items[0] as User;
    const strip = await api(
      'PUT',
      `/api/system/users/${sysadm.id}`,
      { displayName: sysadm.displayName, departmentId: sysadm.departmentId, ...base, roleCodes: [] },
      s,
    );
    expect(strip.statusCode).toBe(409);
    expect(strip.json().code).toBe('LAST_SYSADMIN');
    const disable = await api('POST', `/api/system/users/${sysadm.id}/status`, { status: 'disabled' }, s);
    expect(disable.statusCode).toBe(409);
    const still = (await api('GET', `/api/system/users/${sysadm.id}`)).json();
    expect(still).toMatchObject({ status: 'active', roles: [{ code: 'sysadmin' }] });
  });

  it('does not let an administrator change their own roles or disable themselves', async () => {
    const me = (await api('GET', '/api/system/users?keyword=sysadm')).json().items[0] as User;
    const own = await api('PUT', `/api/system/users/${me.id}`, {
      displayName: me.displayName,
      departmentId: me.departmentId,
      ...base,
      roleCodes: ['sysadmin', 'clerk'],
    });
    expect(own.statusCode).toBe(403);
    expect((await api('POST', `/api/system/users/${me.id}/status`, { status: 'disabled' })).statusCode).toBe(
      403,
    );
  });
});
