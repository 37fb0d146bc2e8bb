import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import { hashPassword } from '../auth/password.ts';
import { json } from '../db/json.ts';
import type { App } from '../http/app.ts';
import { missingYearWarning } from './calendar.rules.ts';

let t: TestContext & { app: App };
let admin: Record<string, string>;
let reader: Record<string, string>;

const PASSWORD = 'Calendar-Test-1';

/** A user holding exactly `permissions`, logged in through the real route. */
async function loginWith(username: string, permissions: string[]): Promise<Record<string, string>> {
  const db = t.ctx.db;
  const dept = await db
    .insertInto('department')
    .values({ name: `${username}所在部门`, kind: 'bureau', code: `CAL-${username}`, path: '/' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const role = await db
    .insertInto('role')
    .values({
      code: `cal-${username}`,
      name: username,
      data_scope: 'all',
      scope_department_ids: json([]),
      permissions: json(permissions),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto('app_user')
    .values({
      username,
      display_name: `${username}（测试）`,
      department_id: dept.id,
      password_hash: await hashPassword(PASSWORD, 1000),
      must_change_password: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_role').values({ user_id: user.id, role_id: role.id }).execute();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: PASSWORD },
  });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'rj_session');
  return { cookie: `rj_session=${cookie?.value}`, 'x-csrf-token': res.json().user.csrfToken };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginWith('caladmin', ['system:calendar:read', 'system:calendar:update']);
  reader = await loginWith('calreader', ['system:calendar:read']);
});
afterAll(() => t.close());

describe('calendar routes', () => {
  it('require a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/system/calendar?year=2026' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/system/calendar/overrides/2026-12-01',
      payload: { kind: 'holiday', note: '' },
    });
    expect(put.statusCode).toBe(401);
  });

  it('compute 2026-09-30 + 7 working days and the count back', async () => {
    const add = await t.app.inject({
      method: 'GET',
      url: '/api/system/calendar/compute?start=2026-09-30&add=7',
      headers: reader,
    });
    expect(add.statusCode).toBe(200);
    expect(add.json()).toEqual({ result: '2026-10-15', warnings: [] });
    const between = await t.app.inject({
      method: 'GET',
      url: '/api/system/calendar/compute?start=2026-09-30&end=2026-10-15',
      headers: reader,
    });
    expect(between.json()).toEqual({ result: 7, warnings: [] });
    const both = await t.app.inject({
      method: 'GET',
      url: '/api/system/calendar/compute?start=2026-09-30',
      headers: reader,
    });
    expect(both.statusCode).toBe(400);
    const badDay = await t.app.inject({
      method: 'GET',
      url: '/api/system/calendar/compute?start=2026-02-30&add=1',
      headers: reader,
    });
    expect(badDay.json().code).toBe('VALIDATION_FAILED');
  });

  it('show a year with its coverage and the warning for 2027', async () => {
    const y2026 = await t.app.inject({
      method: 'GET',
      url: '/api/system/calendar?year=2026',
      headers: reader,
    });
    expect(y2026.json()).toMatchObject({ year: 2026, coverage: 'official', warning: null, overrides: [] });
    expect(y2026.json().workdays).toContain('2026-10-10');
    const y2027 = await t.app.inject({
      method: 'GET',
      url: '/api/system/calendar?year=2027',
      headers: reader,
    });
    expect(y2027.json()).toMatchObject({
      year: 2027,
      coverage: 'missing',
      warning: missingYearWarning(2027),
    });
    const warned = await t.app.inject({
      method: 'GET',
      url: '/api/system/calendar/compute?start=2026-12-30&add=3',
      headers: reader,
    });
    expect(warned.json()).toEqual({ result: '2027-01-04', warnings: [missingYearWarning(2027)] });
  });

  it('let an administrator set and remove an override, but not a reader', async () => {
    const url = '/api/system/calendar/overrides/2026-12-01';
    const denied = await t.app.inject({
      method: 'PUT',
      url,
      headers: reader,
      payload: { kind: 'holiday', note: '停电' },
    });
    expect(denied.statusCode).toBe(403);
    const noCsrf = await t.app.inject({
      method: 'PUT',
      url,
      headers: { cookie: admin.cookie as string },
      payload: { kind: 'holiday' },
    });
    expect(noCsrf.statusCode).toBe(403);
    const put = await t.app.inject({
      method: 'PUT',
      url,
      headers: admin,
      payload: { kind: 'holiday', note: '停电' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ day: '2026-12-01', kind: 'holiday', note: '停电' });
    const year = await t.app.inject({
      method: 'GET',
      url: '/api/system/calendar?year=2026',
      headers: reader,
    });
    expect(year.json().overrides).toEqual([{ day: '2026-12-01', kind: 'holiday', note: '停电' }]);
    expect(year.json().holidays).toContain('2026-12-01');

    const ledger = await t.ctx.db
      .selectFrom('ledger_event')
      .select(['actor_name', 'kind'])
      .where('subject_type', '=', 'calendar')
      .execute();
    expect(ledger).toEqual([{ actor_name: 'caladmin（测试）', kind: 'calendar.override.set' }]);

    const del = await t.app.inject({ method: 'DELETE', url, headers: admin });
    expect(del.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'DELETE', url, headers: admin });
    expect(again.statusCode).toBe(404);
  });

  it('validate bodies and days', async () => {
    const extra = await t.app.inject({
      method: 'PUT',
      url: '/api/system/calendar/overrides/2026-12-01',
      headers: admin,
      payload: { kind: 'holiday', note: '', by: 'x' },
    });
    expect(extra.statusCode).toBe(400);
    const badDay = await t.app.inject({
      method: 'PUT',
      url: '/api/system/calendar/overrides/2026-13-01',
      headers: admin,
      payload: { kind: 'holiday' },
    });
    expect(badDay.statusCode).toBe(400);
    expect(badDay.json().code).toBe('VALIDATION_FAILED');
  });

  it('enter the 2027 schedule, after which the warning is gone', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/system/calendar/years/2027',
      headers: admin,
      payload: {
        holidays: ['2027-01-01', '2027-10-01', '2027-10-04'],
        workdays: ['2027-10-09'],
        note: '按国务院通知录入',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      year: 2027,
      coverage: 'entered',
      warning: null,
      workdays: ['2027-10-09'],
    });
    const warned = await t.app.inject({
      method: 'GET',
      url: '/api/system/calendar/compute?start=2026-12-30&add=3',
      headers: reader,
    });
    expect(warned.json()).toEqual({ result: '2027-01-05', warnings: [] });
    const official = await t.app.inject({
      method: 'POST',
      url: '/api/system/calendar/years/2026',
      headers: admin,
      payload: { holidays: ['2026-01-05'], workdays: [], note: '' },
    });
    expect(official.statusCode).toBe(409);
  });
});
