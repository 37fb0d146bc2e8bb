import type { User } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { insertRole, insertUser } from '../../../test/roles-support.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';

/** Attack tests: data scope by id (IDOR) and hostile filter values. */
let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
let admin: Session;
let eastAdmin: Session;
let westUserId: number;
let eastUserId: number;

beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  const [east, west] = org.stations as [number, number];
  await org.user('sysadm', 'sysadmin');
  // A 所's own user administrator: reads and edits users, 本部门 scope only.
  const role = await insertRole(
    t.ctx.db,
    'station_user_admin',
    ['system:user:read', 'system:user:update'],
    'department',
  );
  await insertUser(t.ctx.db, 'east.admin', east, [role]);
  eastUserId = await org.user('east.one', 'officer', east);
  westUserId = await org.user('west.one', 'officer', west);
  await t.ctx.db
    .updateTable('app_user')
    .set({ cert_no: 'W-001', cert_valid_until: '2030-01-01' })
    .where('id', '=', westUserId)
    .execute();
  admin = await login(t.app, 'sysadm');
  eastAdmin = await login(t.app, 'east.admin');
});
afterAll(() => t.close());

const api = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });

const usernames = (body: { items: User[] }) => body.items.map((u) => u.username).sort();

describe('data scope (IDOR)', () => {
  it("lists only the users of the caller's own 所", async () => {
    const res = await api(eastAdmin, 'GET', '/api/system/users?limit=500');
    expect(usernames(res.json())).toEqual(['east.admin', 'east.one']);
    expect(res.json().total).toBe(2);
    // Asking for the other 所 explicitly does not widen the scope.
    const west = await api(eastAdmin, 'GET', `/api/system/users?departmentId=${org.stations[1]}`);
    expect(west.json()).toMatchObject({ items: [], total: 0 });
  });

  it("answers 404 for another 所's user by id, and changes nothing", async () => {
    const read = await api(eastAdmin, 'GET', `/api/system/users/${westUserId}`);
    expect(read.statusCode).toBe(404);
    expect(read.body).not.toContain('west.one');

    const edit = await api(eastAdmin, 'PUT', `/api/system/users/${westUserId}`, {
      displayName: '被篡改',
      departmentId: org.stations[0],
      roleCodes: [],
      postIds: [],
      phone: null,
      certNo: null,
      certValidUntil: null,
    });
    expect(edit.statusCode).toBe(404);
    const status = await api(eastAdmin, 'POST', `/api/system/users/${westUserId}/status`, {
      status: 'disabled',
    });
    expect(status.statusCode).toBe(404);

    const row = await t.ctx.db
      .selectFrom('app_user')
      .select(['display_name', 'department_id', 'status', 'cert_no'])
      .where('id', '=', westUserId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      display_name: 'west.one',
      department_id: org.stations[1],
      status: 'active',
      cert_no: 'W-001',
    });
    const roles = await t.ctx.db
      .selectFrom('user_role')
      .select('role_id')
      .where('user_id', '=', westUserId)
      .execute();
    expect(roles).toHaveLength(1);
  });

  it('cannot move an own user into another 所, nor reset passwords without the permission', async () => {
    const move = await api(eastAdmin, 'PUT', `/api/system/users/${eastUserId}`, {
      displayName: 'east.one',
      departmentId: org.stations[1],
      roleCodes: ['officer'],
      postIds: [],
      phone: null,
      certNo: null,
      certValidUntil: null,
    });
    expect(move.statusCode).toBe(404);
    const reset = await api(eastAdmin, 'POST', `/api/system/users/${eastUserId}/reset-password`);
    expect(reset.statusCode).toBe(403);
  });

  it('offers only in-scope departments in the form options', async () => {
    const res = await api(eastAdmin, 'GET', '/api/system/users/options');
    expect(res.json().departments.map((d: { id: number }) => d.id)).toEqual([org.stations[0]]);
  });
});

const HOSTILE = ["' OR 1=1 --", '%', '_', '\\', "'; drop table app_user; --", 'x'.repeat(10_000)];
const FILTERS = [
  'keyword',
  'departmentId',
  'includeSubtree',
  'roleCode',
  'postId',
  'status',
  'certExpiring',
  'phone',
  'after',
  'limit',
];

describe('hostile filter values', () => {
  it('answers every user-list filter with 200 or 400, never an error, and never extra rows', async () => {
    const allowed = new Set(['east.admin', 'east.one']);
    for (const field of FILTERS) {
      for (const value of HOSTILE) {
        const url = `/api/system/users?${new URLSearchParams({ [field]: value })}`;
        for (const s of [eastAdmin, admin]) {
          const res = await api(s, 'GET', url);
          expect(
            [200, 400],
            `${field}=${value.slice(0, 20)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
          ).toContain(res.statusCode);
          if (res.statusCode !== 200) continue;
          const names = usernames(res.json());
          if (s === eastAdmin) expect(names.every((n) => allowed.has(n))).toBe(true);
          // A wildcard or quote typed by a user matches itself only: no username contains one.
          if (field === 'keyword' || field === 'roleCode' || field === 'phone') expect(names).toEqual([]);
        }
      }
    }
    // sysadm, east.admin, east.one, west.one: nothing was created or dropped.
    expect(await t.ctx.db.selectFrom('app_user').select('id').execute()).toHaveLength(4);
  });

  it('answers hostile values in the export, post and department routes the same way', async () => {
    for (const value of HOSTILE) {
      const q = new URLSearchParams({ keyword: value });
      for (const url of [
        `/api/system/users/export?${q}`,
        `/api/system/posts?${q}`,
        `/api/system/users/${encodeURIComponent(value)}`,
        `/api/system/departments/${encodeURIComponent(value)}`,
        `/api/system/posts/${encodeURIComponent(value)}`,
      ]) {
        const res = await api(admin, 'GET', url);
        expect(res.statusCode, `${url.slice(0, 60)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        // 414: a 10,000-character path segment is refused by the router before any handler runs.
        expect([200, 400, 404, 414]).toContain(res.statusCode);
        if (url.includes('/posts?') && res.statusCode === 200) expect(res.json().items).toEqual([]);
      }
    }
  });

  it('treats LIKE wildcards in a keyword literally', async () => {
    await org.user('under_score', 'officer', org.stations[0]);
    const res = await api(admin, 'GET', '/api/system/users?keyword=_');
    expect(usernames(res.json())).toEqual(['under_score']);
  });
});
