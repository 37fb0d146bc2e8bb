import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import { json } from '../db/json.ts';
import type { App } from '../http/app.ts';
import { sessionSetting } from './auth.settings.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
let sec: Session;
beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  await org.user('sec1', 'secadmin');
  await org.user('east1', 'officer', org.stations[0]);
  await org.user('west1', 'officer', org.stations[1]);
  sec = await login(t.app, 'sec1');
});
afterAll(() => t.close());

interface Row {
  id: string;
  username: string;
  departmentName: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}
async function online(s: Session, query = ''): Promise<Row[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/system/sessions${query}`, headers: s.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}
const me = (s: Session) =>
  t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
const kick = (s: Session, id: string, headers = s.headers) =>
  t.app.inject({ method: 'DELETE', url: `/api/system/sessions/${id}`, headers });

describe('在线用户 (online sessions)', () => {
  it('lists who is signed in with department, IP and browser, under an id that is not the cookie token', async () => {
    const east = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'east1', password: 'Test-Passw0rd' },
      headers: { 'user-agent': 'Mozilla/5.0 测试浏览器' },
    });
    const token = east.cookies.find((c) => c.name === 'rj_session')!.value;
    const rows = await online(sec);
    const row = rows.find((r) => r.username === 'east1')!;
    expect(row).toMatchObject({
      departmentName: '城东市场监管所',
      ip: '127.0.0.1',
      userAgent: 'Mozilla/5.0 测试浏览器',
    });
    expect(row.current).toBe(false);
    expect(row.id).not.toBe(token);
    const hashes = await t.ctx.db.selectFrom('session').select('id').execute();
    expect(hashes.map((h) => h.id)).not.toContain(row.id);
    expect(rows.find((r) => r.username === 'sec1')?.current).toBe(true);
    expect((await online(sec, '?keyword=east')).map((r) => r.username)).toEqual(['east1']);
  });

  it('is for the security administrator only', async () => {
    const officer = await login(t.app, 'east1');
    const res = await t.app.inject({ method: 'GET', url: '/api/system/sessions', headers: officer.headers });
    expect(res.statusCode).toBe(403);
  });

  it('force logout: the session cookie of that user no longer works (401), and it is audited', async () => {
    const victim = await login(t.app, 'west1');
    expect((await me(victim)).statusCode).toBe(200);
    const row = (await online(sec, '?keyword=west1'))[0]!;
    const res = await kick(sec, row.id);
    expect(res.statusCode).toBe(204);
    const after = await me(victim);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHENTICATED');
    const events = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail', 'actor_name'])
      .where('action', '=', 'auth.session.revoke')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toContain('west1');
    expect(events[0]?.actor_name).toBe('sec1');
    expect((await kick(sec, row.id)).statusCode).toBe(404);
  });

  it('refuses a force logout without the CSRF token (403) and of one’s own session (409)', async () => {
    const victim = await login(t.app, 'west1');
    const row = (await online(sec, '?keyword=west1'))[0]!;
    const noCsrf = await kick(sec, row.id, { cookie: sec.cookie });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('CSRF_REJECTED');
    expect((await me(victim)).statusCode).toBe(200);
    const own = (await online(sec)).find((r) => r.current)!;
    expect((await kick(sec, own.id)).statusCode).toBe(409);
  });

  it('shows and ends only sessions inside the viewer’s data scope (others are 404)', async () => {
    const role = await t.ctx.db
      .insertInto('role')
      .values({
        code: 'east_sec',
        name: '城东安全员',
        data_scope: 'department',
        scope_department_ids: json([]),
        permissions: json(['security:session:read', 'security:session:delete']),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const uid = await org.user('eastsec', 'officer', org.stations[0]);
    await t.ctx.db.insertInto('user_role').values({ user_id: uid, role_id: role.id }).execute();
    await login(t.app, 'west1');
    const scoped = await login(t.app, 'eastsec');
    const names = new Set((await online(scoped)).map((r) => r.username));
    expect(names.has('east1')).toBe(true);
    expect(names.has('west1')).toBe(false);
    const westRow = (await online(sec, '?keyword=west1'))[0]!;
    expect((await kick(scoped, westRow.id)).statusCode).toBe(404);
  });
});

describe('session limits', () => {
  it('expires an idle session after the idle limit of the security setting', async () => {
    await t.ctx.settings.set({ id: null, name: '测试' }, sessionSetting, { idleMinutes: 5, maxHours: null });
    const s = await login(t.app, 'east1');
    await t.ctx.db
      .updateTable('session')
      .set({ last_seen_at: new Date(Date.now() - 6 * 60_000) })
      .where('restriction', 'is', null)
      .where(
        'user_id',
        '=',
        (
          await t.ctx.db
            .selectFrom('app_user')
            .select('id')
            .where('username', '=', 'east1')
            .executeTakeFirstOrThrow()
        ).id,
      )
      .execute();
    expect((await me(s)).statusCode).toBe(401);
    await t.ctx.settings.set({ id: null, name: '测试' }, sessionSetting, sessionSetting.default);
  });

  it('ends a session at its absolute lifetime even while it is in use', async () => {
    const s = await login(t.app, 'west1');
    const row = (await online(sec, '?keyword=west1'))[0]!;
    await t.ctx.db
      .updateTable('session')
      .set({ created_at: new Date(Date.now() - 12 * 3600_000 - 1000) })
      .where('public_id', '=', row.id)
      .execute();
    expect((await me(s)).statusCode).toBe(401);
  });
});
