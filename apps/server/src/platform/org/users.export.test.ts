import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/fixtures.ts';
import { insertRole, insertUser } from '../../../test/roles-support.ts';
import { readWorkbook, sheetRows, usersTestApp } from '../../../test/users-support.ts';

let u: Awaited<ReturnType<typeof usersTestApp>>;
beforeAll(async () => {
  u = await usersTestApp();
  await u.createUser({ username: 'exp.a', displayName: '导出甲', phone: '13900001111' });
  await u.createUser({
    username: 'exp.b',
    displayName: '导出乙',
    departmentId: u.west,
    phone: '13900002222',
  });
});
afterAll(() => u.t.close());

async function exportedRows(url: string, headers = u.admin.headers) {
  const res = await u.t.app.inject({ method: 'GET', url, headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-disposition']).toContain('attachment');
  return sheetRows((await readWorkbook(res)).worksheets[0]!);
}

describe('user export', () => {
  it('exports the filtered list with masked phones only, and records the export as a security event', async () => {
    const rows = await exportedRows('/api/system/users/export?keyword=exp.');
    expect(rows.map((r) => r[0])).toEqual(['用户名', 'exp.a', 'exp.b']);
    expect(rows[1]).toContain('139****1111');
    expect(rows.flat().join()).not.toMatch(/13900001111|13900002222/);

    const record = await u.t.ctx.db
      .selectFrom('audit_log')
      .select(['detail', 'actor_name', 'result'])
      .where('action', '=', 'system.user.export')
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ actor_name: 'sysadm', result: 'success' });
    expect(record.detail).toContain('导出用户 2 条');
    expect(record.detail).toContain('exp.');
  });

  it('applies the same filters as the list', async () => {
    const rows = await exportedRows(`/api/system/users/export?keyword=exp.&departmentId=${u.west}`);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['exp.b']);
  });

  it("exports only the caller's data scope", async () => {
    const role = await insertRole(
      u.t.ctx.db,
      'east_exporter',
      ['system:user:read', 'system:user:export'],
      'department',
    );
    await insertUser(u.t.ctx.db, 'east.exporter', u.east, [role]);
    const s = await login(u.t.app, 'east.exporter');
    const names = (await exportedRows('/api/system/users/export', s.headers)).slice(1).map((r) => r[0]);
    expect(names).toContain('exp.a');
    expect(names).not.toContain('exp.b');
    expect(names).not.toContain('sysadm');
  });

  it('needs the export permission', async () => {
    const role = await insertRole(u.t.ctx.db, 'reader_only', ['system:user:read'], 'all');
    await insertUser(u.t.ctx.db, 'reader.only', u.org.bureauId, [role]);
    const s = await login(u.t.app, 'reader.only');
    const res = await u.t.app.inject({ method: 'GET', url: '/api/system/users/export', headers: s.headers });
    expect(res.statusCode).toBe(403);
  });
});
