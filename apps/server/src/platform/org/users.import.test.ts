import { USER_IMPORT_HEADERS, type UserImportResult } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type Session } from '../../../test/fixtures.ts';
import { insertRole, insertUser } from '../../../test/roles-support.ts';
import { multipartFile, readWorkbook, sheetRows, usersTestApp } from '../../../test/users-support.ts';

let u: Awaited<ReturnType<typeof usersTestApp>>;
beforeAll(async () => {
  u = await usersTestApp();
  await u.t.ctx.db.insertInto('post').values({ code: 'law', name: '执法员' }).execute();
});
afterAll(() => u.t.close());

async function upload(data: Buffer, opts: { dryRun?: boolean; session?: Session } = {}) {
  const body = multipartFile(data);
  return u.t.app.inject({
    method: 'POST',
    url: `/api/system/users/import${opts.dryRun ? '?dryRun=1' : ''}`,
    headers: { ...(opts.session ?? u.admin).headers, 'content-type': body.type },
    payload: body.payload,
  });
}

/** The downloaded template, filled in the way a person would in Excel. */
async function filledTemplate(rows: (string | number | Date)[][]): Promise<Buffer> {
  const res = await u.t.app.inject({
    method: 'GET',
    url: '/api/system/users/import-template',
    headers: u.admin.headers,
  });
  const wb = await readWorkbook(res);
  const ws = wb.worksheets[0]!;
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const ROWS: (string | number | Date)[][] = [
  ['imp.a', '导入甲', 'T-ST1', 'officer', 'law', 13900001111, 'ZF-001', '2030-12-31'],
  ['imp.b', '导入乙', 'T-ST2', 'officer，clerk', '', '', '', new Date(Date.UTC(2031, 0, 15))],
  ['imp.c', '部门不存在', 'NOPE', 'officer', '', '', '', ''],
  ['imp.a', '重复用户名', 'T-ST1', 'officer', '', '', '', ''],
  ['imp.d', '手机号错', 'T-ST1', 'officer', '', '12345', '', ''],
  ['imp.e', '日期错', 'T-ST1', 'officer', '', '', 'ZF-9', '2030-13-45'],
  ['Bad Name', '用户名错', 'T-ST1', 'officer', '', '', '', ''],
  ['imp.f', '角色错', 'T-ST1', 'no_such_role', '', '', '', ''],
];

describe('user import', () => {
  it('offers a template with the Chinese header and the valid codes', async () => {
    const res = await u.t.app.inject({
      method: 'GET',
      url: '/api/system/users/import-template',
      headers: u.admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = await readWorkbook(res);
    expect(sheetRows(wb.worksheets[0]!)[0]).toEqual([...USER_IMPORT_HEADERS]);
    const codes = sheetRows(wb.getWorksheet('可用编码')!).flat();
    expect(codes).toEqual(expect.arrayContaining(['T-ST1', '城东市场监管所', 'officer', '执法人员', 'law']));
  });

  it('checks every row in a dry run without writing anything', async () => {
    const res = await upload(await filledTemplate(ROWS), { dryRun: true });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as UserImportResult;
    expect(r).toMatchObject({
      dryRun: true,
      total: 8,
      created: 2,
      updated: 0,
      failed: 6,
      initialPasswords: [],
    });
    const users = await u.t.ctx.db
      .selectFrom('app_user')
      .select('id')
      .where('username', 'like', 'imp.%')
      .execute();
    expect(users).toEqual([]);
  });

  it('imports the valid rows, reports each invalid row with a Chinese reason, and offers an error report', async () => {
    const file = await filledTemplate(ROWS);
    const res = await upload(file);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as UserImportResult;
    expect(r).toMatchObject({ dryRun: false, total: 8, created: 2, updated: 0, failed: 6 });
    const reasonOf = (row: number) =>
      r.errors
        .filter((e) => e.row === row)
        .map((e) => `${e.field}:${e.reason}`)
        .join();
    expect(reasonOf(4)).toContain('部门编码“NOPE”不存在');
    expect(reasonOf(5)).toContain('与第 2 行重复');
    expect(reasonOf(6)).toContain('手机号');
    expect(reasonOf(7)).toContain('执法证有效期');
    expect(reasonOf(8)).toContain('用户名');
    expect(reasonOf(9)).toContain('no_such_role');

    const list = await u.t.app.inject({
      method: 'GET',
      url: '/api/system/users?keyword=imp.',
      headers: u.admin.headers,
    });
    const users = list.json().items;
    expect(users.map((u: { username: string }) => u.username)).toEqual(['imp.a', 'imp.b']);
    expect(users[0]).toMatchObject({
      phoneMasked: '139****1111',
      certNo: 'ZF-001',
      certValidUntil: '2030-12-31',
      posts: [{ code: 'law' }],
      mustChangePassword: true,
    });
    expect(users[1].roles.map((x: { code: string }) => x.code).sort()).toEqual(['clerk', 'officer']);
    expect(users[1].certValidUntil).toBe('2031-01-15');

    const pw = r.initialPasswords.find((p) => p.username === 'imp.a')!.password;
    const signIn = await u.t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'imp.a', password: pw },
    });
    expect(signIn.statusCode).toBe(200);

    const report = await u.t.app.inject({
      method: 'GET',
      url: `/api/system/users/import-errors/${r.errorReportId}`,
      headers: u.admin.headers,
    });
    expect(report.statusCode).toBe(200);
    const rows = sheetRows((await readWorkbook(report)).worksheets[0]!);
    expect(rows[0]).toEqual(['行号', ...USER_IMPORT_HEADERS, '错误原因']);
    expect(rows).toHaveLength(7);
    expect(rows[1]).toEqual([
      '4',
      'imp.c',
      '部门不存在',
      'NOPE',
      'officer',
      '',
      '',
      '',
      '',
      expect.stringContaining('NOPE'),
    ]);
    expect(rows.map((x) => x.at(-1)).join()).toContain('日期“2030-13-45”无效');

    // Re-importing the same file updates the same two accounts; nothing is duplicated.
    const again = (await upload(file)).json() as UserImportResult;
    expect(again).toMatchObject({ created: 0, updated: 2, failed: 6, initialPasswords: [] });
    const count = await u.t.ctx.db
      .selectFrom('app_user')
      .select('id')
      .where('username', 'like', 'imp.%')
      .execute();
    expect(count).toHaveLength(2);
  });

  it('keeps the error report to the person who imported', async () => {
    const r = (await upload(await filledTemplate([['x.only', '', 'T-ST1', '', '', '', '', '']]))).json();
    const role = await insertRole(
      u.t.ctx.db,
      'importer_all',
      ['system:user:read', 'system:user:import'],
      'all',
    );
    await insertUser(u.t.ctx.db, 'other.importer', u.org.bureauId, [role]);
    const other = await login(u.t.app, 'other.importer');
    const res = await u.t.app.inject({
      method: 'GET',
      url: `/api/system/users/import-errors/${r.errorReportId}`,
      headers: other.headers,
    });
    expect(res.statusCode).toBe(404);
  });

  it("refuses rows outside the importer's data scope", async () => {
    const role = await insertRole(
      u.t.ctx.db,
      'east_importer',
      ['system:user:read', 'system:user:import'],
      'department',
    );
    await insertUser(u.t.ctx.db, 'east.importer', u.org.stations[0]!, [role]);
    await u.org.user('west.person', 'officer', u.org.stations[1]);
    const s = await login(u.t.app, 'east.importer');
    const file = await filledTemplate([
      ['east.new', '东所新人', 'T-ST1', 'officer', '', '', '', ''],
      ['west.new', '西所新人', 'T-ST2', 'officer', '', '', '', ''],
      ['west.person', '改西所的人', 'T-ST1', 'officer', '', '', '', ''],
    ]);
    const r = (await upload(file, { session: s })).json() as UserImportResult;
    expect(r).toMatchObject({ created: 1, updated: 0, failed: 2 });
    expect(r.errors.map((e) => e.reason).join()).toMatch(/不在您的管理范围内.*管理范围以外/);
    const west = await u.t.ctx.db
      .selectFrom('app_user')
      .select(['display_name', 'department_id'])
      .where('username', '=', 'west.person')
      .executeTakeFirstOrThrow();
    expect(west).toEqual({ display_name: 'west.person', department_id: u.org.stations[1] });
  });

  it('accepts only xlsx files up to 5 MB', async () => {
    const text = await upload(Buffer.from('用户名,姓名\nabc,张三\n'));
    expect(text.statusCode).toBe(415);
    const zipButNotXlsx = await upload(
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]),
    );
    expect(zipButNotXlsx.statusCode).toBe(400);
    expect(zipButNotXlsx.json().code).toBe('IMPORT_FILE_INVALID');
    // A file whose entries claim to unpack to 200 MB is refused before anything is unpacked.
    const bomb = await filledTemplate([]);
    const cd = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(200 * 1024 * 1024, cd + 24);
    const bombRes = await upload(bomb);
    expect(bombRes.statusCode).toBe(400);
    expect(bombRes.json().message).toContain('解压后过大');
    // Larger than the JSON body limit (1 MiB) but within 5 MB: read, and judged by its content.
    const midsize = await upload(
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2 * 1024 * 1024)]),
    );
    expect(midsize.json().code).toBe('IMPORT_FILE_INVALID');
    const big = await upload(
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(5 * 1024 * 1024 + 10)]),
    );
    expect(big.statusCode).toBe(413);
    const json = await u.t.app.inject({
      method: 'POST',
      url: '/api/system/users/import',
      headers: u.admin.headers,
      payload: {},
    });
    expect(json.statusCode).toBe(415);
  });
});
