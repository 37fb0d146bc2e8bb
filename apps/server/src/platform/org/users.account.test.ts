import type { User } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/fixtures.ts';
import { BASE_USER as base, usernames as names, usersTestApp } from '../../../test/users-support.ts';

/** Account status, password resets and the list's filters and paging. */
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

describe('status and passwords', () => {
  it('disabling a user ends their session at once and stops them signing in', async () => {
    const id = await u.org.user('to.disable', 'officer', east);
    const s = await login(u.t.app, 'to.disable');
    expect(
      (await u.t.app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).statusCode,
    ).toBe(200);
    const res = await api('POST', `/api/system/users/${id}/status`, { status: 'disabled' });
    expect(res.json().status).toBe('disabled');
    expect(
      (await u.t.app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).statusCode,
    ).toBe(401);
    expect(await u.t.ctx.db.selectFrom('session').select('id').where('user_id', '=', id).execute()).toEqual(
      [],
    );
    await expect(login(u.t.app, 'to.disable')).rejects.toThrow(/401/);

    await api('POST', `/api/system/users/${id}/status`, { status: 'active' });
    await expect(login(u.t.app, 'to.disable')).resolves.toBeTruthy();
  });

  it('resets a password to a one-time password that must be changed; the old one and old sessions stop working', async () => {
    const id = await u.org.user('to.reset', 'officer', east);
    const s = await login(u.t.app, 'to.reset');
    const res = await api('POST', `/api/system/users/${id}/reset-password`);
    expect(res.statusCode, res.body).toBe(200);
    const { password } = res.json();
    expect(
      (await u.t.app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).statusCode,
    ).toBe(401);
    await expect(login(u.t.app, 'to.reset')).rejects.toThrow(/401/);
    const again = await u.t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'to.reset', password },
    });
    expect(again.statusCode).toBe(200);
    expect((await api('GET', `/api/system/users/${id}`)).json().mustChangePassword).toBe(true);
  });
});

describe('list filters', () => {
  it('filters by keyword, department subtree, role, post, status and expiring certificates', async () => {
    const post = await u.t.ctx.db
      .insertInto('post')
      .values({ code: 'p_filter', name: '筛选岗' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const { user: a } = await createUser({
      username: 'flt.a',
      displayName: '筛选甲',
      certNo: 'C1',
      certValidUntil: soon,
    });
    await createUser({
      username: 'flt.b',
      displayName: '筛选乙',
      departmentId: west,
      certNo: 'C2',
      certValidUntil: '2099-01-01',
    });
    await api('PUT', `/api/system/users/${a.id}`, {
      ...base,
      displayName: '筛选甲',
      departmentId: east,
      postIds: [post.id],
      certNo: 'C1',
      certValidUntil: soon,
    });

    expect(names(await api('GET', '/api/system/users?keyword=筛选'))).toEqual(['flt.a', 'flt.b']);
    expect(names(await api('GET', '/api/system/users?keyword=FLT.B'))).toEqual(['flt.b']);
    expect(names(await api('GET', `/api/system/users?keyword=筛选&departmentId=${west}`))).toEqual(['flt.b']);
    expect(names(await api('GET', `/api/system/users?keyword=筛选&departmentId=${u.org.bureauId}`))).toEqual([
      'flt.a',
      'flt.b',
    ]);
    expect(
      names(
        await api(
          'GET',
          `/api/system/users?keyword=筛选&departmentId=${u.org.bureauId}&includeSubtree=false`,
        ),
      ),
    ).toEqual([]);
    expect(names(await api('GET', `/api/system/users?postId=${post.id}`))).toEqual(['flt.a']);
    expect(names(await api('GET', '/api/system/users?keyword=筛选&certExpiring=30'))).toEqual(['flt.a']);
    expect(names(await api('GET', '/api/system/users?roleCode=sysadmin'))).toEqual(['sysadm']);
    await api('POST', `/api/system/users/${a.id}/status`, { status: 'disabled' });
    expect(names(await api('GET', '/api/system/users?keyword=筛选&status=disabled'))).toEqual(['flt.a']);
  });

  it('pages by keyset with the total of all matching users', async () => {
    for (let i = 0; i < 5; i++) await u.org.user(`page.${i}`, 'officer', west);
    const first = (await api('GET', '/api/system/users?keyword=page.&limit=2')).json();
    expect(first.total).toBe(5);
    expect(first.items.map((u: User) => u.username)).toEqual(['page.0', 'page.1']);
    const rest = [];
    let after = first.nextAfter;
    while (after !== null) {
      const page = (await api('GET', `/api/system/users?keyword=page.&limit=2&after=${after}`)).json();
      rest.push(...page.items.map((u: User) => u.username));
      after = page.nextAfter;
    }
    expect(rest).toEqual(['page.2', 'page.3', 'page.4']);
  });
});
