import type { AuditLog, AuditLogDetail, AuditLogPage, AuditVerify, LoginLogPage } from '@rongjian/shared/api';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { createTestApp } from '../../../test/support.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let auditor: Session;

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  await org.user('auditor1', 'auditor');
  await org.user('sysadmin1', 'sysadmin');
  await org.user('director1', 'director');
  await org.user('secadmin1', 'secadmin');
  auditor = await login(t.app, 'auditor1');
});
afterAll(() => t.close());

async function get<T>(url: string, s: Session = auditor): Promise<{ status: number; body: T }> {
  const res = await t.app.inject({ method: 'GET', url, headers: s.headers });
  return { status: res.statusCode, body: res.json() as T };
}

async function newest(query = ''): Promise<AuditLog[]> {
  const r = await get<AuditLogPage>(`/api/audit/logs?limit=100${query}`);
  expect(r.status).toBe(200);
  return r.body.items;
}

describe('automatic audit of mutating requests', () => {
  it('records a failed login with the attempted account, the client IP and the reason — never the password', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'sysadmin1', password: 'wrong-Passw0rd' },
      remoteAddress: '10.20.30.40',
    });
    expect(res.statusCode).toBe(401);
    const [rec] = await newest('&action=POST%20/api/auth/login&result=failure');
    expect(rec).toMatchObject({
      actorName: 'sysadmin1',
      actorId: null,
      ip: '10.20.30.40',
      action: 'POST /api/auth/login',
      result: 'failure',
      detail: expect.stringContaining('AUTH_FAILED'),
    });
    const detail = await get<AuditLogDetail>(`/api/audit/logs/${rec!.id}`);
    expect(JSON.stringify(detail.body)).not.toContain('wrong-Passw0rd');

    const logins = await get<LoginLogPage>('/api/audit/logins?username=sysadmin1&result=failure');
    expect(logins.body.items[0]).toMatchObject({
      username: 'sysadmin1',
      ip: '10.20.30.40',
      result: 'failure',
    });
    expect(logins.body.items[0]?.reason).toBeTruthy();
  });

  it('records a logout with the signed-in user', async () => {
    const s = await login(t.app, 'director1');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(res.statusCode).toBe(204);
    const [rec] = await newest('&action=POST%20/api/auth/logout');
    expect(rec).toMatchObject({ actorName: 'director1', result: 'success', ip: '127.0.0.1' });
    expect(rec?.actorId).toEqual(expect.any(Number));
  });

  it('records refused requests as failures, named by the permission they needed', async () => {
    const s = await login(t.app, 'director1');
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/system/calendar/overrides/2026-05-06',
      headers: s.headers,
      payload: { kind: 'holiday', note: '' },
    });
    expect(res.statusCode).toBe(403);
    const [rec] = await newest('&action=system:calendar:update');
    expect(rec).toMatchObject({
      actorName: 'director1',
      result: 'failure',
      detail: expect.stringContaining('FORBIDDEN'),
    });
  });

  it('records successful logins in the login log', async () => {
    await login(t.app, 'secadmin1');
    const r = await get<LoginLogPage>('/api/audit/logins?username=secadmin1&result=success');
    expect(r.body.items[0]).toMatchObject({
      username: 'secadmin1',
      result: 'success',
      userAgent: 'lightMyRequest',
    });
  });
});

describe('who may read the audit trail', () => {
  it('lets the audit administrator search, open and verify records', async () => {
    const items = await newest();
    expect(items.length).toBeGreaterThan(0);
    const ids = items.map((i) => i.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const verify = await get<AuditVerify>('/api/audit/verify');
    expect(verify.body).toMatchObject({
      ok: true,
      recordId: null,
      message: expect.stringMatching(/^审计链完整：共 \d+ 条记录$/),
    });

    const page1 = await get<AuditLogPage>('/api/audit/logs?limit=2');
    const page2 = await get<AuditLogPage>(`/api/audit/logs?limit=2&after=${page1.body.nextAfter}`);
    expect(page2.body.items[0]!.id).toBeLessThan(page1.body.items[1]!.id);
    expect((await get(`/api/audit/logs/999999`)).status).toBe(404);
    const empty = await get<AuditLogPage>(
      `/api/audit/logs?from=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`,
    );
    expect(empty.body.items).toEqual([]);
  });

  it('refuses the system administrator, the security administrator and business roles', async () => {
    for (const name of ['sysadmin1', 'secadmin1', 'director1']) {
      const s = await login(t.app, name);
      for (const url of ['/api/audit/logs', '/api/audit/logins', '/api/audit/verify', '/api/audit/logs/1']) {
        expect((await get(url, s)).status, `${name} ${url}`).toBe(403);
      }
    }
  });

  it('offers no way to change or delete audit data, even to the auditor', async () => {
    const [rec] = await newest();
    for (const method of ['DELETE', 'PUT', 'PATCH'] as const) {
      const res = await t.app.inject({
        method,
        url: `/api/audit/logs/${rec!.id}`,
        headers: auditor.headers,
        payload: {},
      });
      expect(res.statusCode).toBe(404);
    }
    expect((await get<AuditLogDetail>(`/api/audit/logs/${rec!.id}`)).body.id).toBe(rec!.id);
  });

  it('shows tampering done directly in the database', async () => {
    const [rec] = await newest();
    await t.ctx.db.transaction().execute(async (tx) => {
      await sql`set local session_replication_role = replica`.execute(tx);
      await sql`update audit_log set actor_name = '他人' where id = ${rec!.id}`.execute(tx);
    });
    const verify = await get<AuditVerify>('/api/audit/verify');
    expect(verify.body).toMatchObject({
      ok: false,
      recordId: rec!.id,
      reason: 'altered',
      message: `审计链在第 ${rec!.id} 条记录处断开：该记录被篡改（内容与哈希不符）`,
    });
  });
});
