import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csv, HEADER, LICENCE_HEADER, licenceRow, row, uscc } from '../../../test/exchange-fixtures.ts';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { createTestApp } from '../../../test/support.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let admin: Session;
let clerk: Session;

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  await org.user('exadmin', 'sysadmin');
  await org.user('exclerk', 'clerk', org.stations[0]);
  admin = await login(t.app, 'exadmin');
  clerk = await login(t.app, 'exclerk');
});
afterAll(async () => {
  await t?.close();
});

function multipart(fileName: string, content: Buffer | string) {
  const boundary = '----rongjian-test';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = async (
  s: Session,
  fileName: string,
  content: Buffer | string,
  source = 'demo-registration',
) => {
  const m = multipart(fileName, content);
  return t.app.inject({
    method: 'POST',
    url: `/api/exchange/sources/${source}/import`,
    headers: { ...s.headers, ...m.headers },
    payload: m.payload,
  });
};

describe('exchange API', () => {
  it('lists the seeded source with its Chinese column mapping; only system administrators may see it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/exchange/sources', headers: admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    const demo = res.json().find((s: { name: string }) => s.name === 'demo-registration');
    expect(demo).toMatchObject({ dataset: 'registration', datasetLabel: '登记注册' });
    expect(demo.mapping.uscc).toBe('统一社会信用代码');
    expect(demo.mapping.registrationNo).toBe('注册号');
    const names = res.json().map((s: { name: string }) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['demo-licence', 'demo-credit', 'demo-person', 'demo-exchange-api']),
    );
    // Fusion's 人工维护 source is no exchange source.
    expect(names).not.toContain('manual');
    const api = res.json().find((s: { name: string }) => s.name === 'demo-exchange-api');
    expect(api).toMatchObject({ kind: 'http', enabled: false, http: { pageSize: 500, hasToken: false } });
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/exchange/sources',
      headers: clerk.headers,
    });
    expect(denied.statusCode).toBe(403);
  });

  it('imports an upload, shows quality per field, and reports row errors in xlsx with formulas neutralised', async () => {
    const formula = '=HYPERLINK("http://evil.example","点我")';
    const res = await upload(
      admin,
      '登记.csv',
      csv([
        row(701, '示范县网传甲'),
        row(702, formula, { 成立日期: '' }),
        row(703, '示范县网传丙', { 成立日期: '明天' }),
        row(704, '示范县网传丁', { 住所: '' }),
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json();
    expect(result).toMatchObject({ status: 'succeeded', rowsIn: 4, accepted: 2, rejected: 2 });

    const page = await t.app.inject({
      method: 'GET',
      url: '/api/exchange/runs?limit=1',
      headers: admin.headers,
    });
    expect(page.json().items[0]).toMatchObject({ id: result.runId, fileName: '登记.csv', rejected: 2 });

    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/exchange/runs/${result.runId}`,
      headers: admin.headers,
    });
    expect(detail.statusCode, detail.body).toBe(200);
    const d = detail.json();
    const q = Object.fromEntries(d.quality.map((f: { field: string }) => [f.field, f]));
    expect(q.establishedOn).toMatchObject({ label: '成立日期', present: 3, valid: 2, completeness: 0.75 });
    expect(q.address).toMatchObject({ present: 3, valid: 3, completeness: 0.75, validity: 1 });
    expect(d.errors.map((e: { reason: string }) => e.reason)).toEqual([
      '成立日期“明天”不是有效日期（应为 YYYY-MM-DD）',
      '住所/经营场所不能为空',
    ]);

    const xlsx = await t.app.inject({
      method: 'GET',
      url: `/api/exchange/runs/${result.runId}/errors.xlsx`,
      headers: admin.headers,
    });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows = ws.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => r[3])).toEqual([
      '成立日期“明天”不是有效日期（应为 YYYY-MM-DD）',
      '住所/经营场所不能为空',
    ]);
    // The row as it was, in the file's own column order after 行号, 字段, 错误原因.
    expect((ws.getRow(1).values as unknown[]).slice(4)).toEqual(HEADER);

    // The formula row was accepted as text; an error row holding one arrives neutralised in the report.
    const bad = await upload(admin, 'f.csv', csv([row(705, formula, { 住所: '' })]));
    const report = await t.app.inject({
      method: 'GET',
      url: `/api/exchange/runs/${bad.json().runId}/errors.xlsx`,
      headers: admin.headers,
    });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const cells = (wb2.worksheets[0]!.getRow(2).values as unknown[]).filter((v) => typeof v === 'string');
    expect(cells).toContain(`'${formula}`);
    expect(cells).not.toContain(formula);
    const stored = await t.ctx.db
      .selectFrom('entity')
      .select('name')
      .where('uscc', '=', uscc(702))
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe(formula);
  });

  it('edits a mapping (audited) and refuses one that leaves a required field unmapped', async () => {
    const put = (mapping: Record<string, string>) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/exchange/sources/demo-registration',
        headers: admin.headers,
        payload: { mapping },
      });
    const bad = await put({ name: '名称' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/必填字段未指定来源列：住所\/经营场所/);
    const neither = await put({ name: '名称', address: '地址' });
    expect(neither.json().message).toBe('统一社会信用代码与注册号至少应指定一个来源列');
    const ok = await put({ uscc: '信用代码', name: '名称', address: '地址' });
    expect(ok.statusCode, ok.body).toBe(200);
    const res = await upload(
      admin,
      'm.csv',
      csv([[uscc(801), '示范县新映射店', '示范县北路 8 号']], ['信用代码', '名称', '地址']),
    );
    expect(res.json()).toMatchObject({ status: 'succeeded', accepted: 1 });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('object_type', '=', 'exchange_source')
      .execute();
    expect(audit).toEqual([expect.objectContaining({ object_id: 'demo-registration' })]);
  });

  it('answers 404 for an unknown source or run', async () => {
    const run = await t.app.inject({
      method: 'GET',
      url: '/api/exchange/runs/999999',
      headers: admin.headers,
    });
    expect(run.statusCode).toBe(404);
    const m = multipart('x.csv', 'a');
    const src = await t.app.inject({
      method: 'POST',
      url: '/api/exchange/sources/none/import',
      headers: { ...admin.headers, ...m.headers },
      payload: m.payload,
    });
    expect(src.statusCode).toBe(404);
  });

  it('refuses an upload above 50 MB with a clear message and no run', async () => {
    const runs = await t.ctx.db.selectFrom('exchange_run').select('id').execute();
    const res = await upload(admin, 'big.csv', Buffer.alloc(50 * 1024 * 1024 + 1, 0x41));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: '文件超过 50 MB，请拆分后分批导入',
    });
    expect(await t.ctx.db.selectFrom('exchange_run').select('id').execute()).toHaveLength(runs.length);
  });

  it('imports a licence file through the same upload, and shows the source’s quality', async () => {
    const res = await upload(
      admin,
      '许可.csv',
      csv(
        [
          licenceRow(701),
          licenceRow(702),
          licenceRow(701, { 经营者名称: '重复' }),
          licenceRow(9999),
          licenceRow(703, { 发证日期: '昨天' }),
        ],
        LICENCE_HEADER,
      ),
      'demo-licence',
    );
    expect(res.json()).toMatchObject({ status: 'succeeded', rowsIn: 5, accepted: 2, rejected: 3 });
    const q = await t.app.inject({
      method: 'GET',
      url: '/api/exchange/sources/demo-licence/quality',
      headers: admin.headers,
    });
    expect(q.statusCode, q.body).toBe(200);
    const quality = q.json();
    expect(quality).toMatchObject({
      source: 'demo-licence',
      datasetLabel: '许可',
      latestRun: { id: res.json().runId, rowsIn: 5 },
      duplicates: { inFile: 1, known: 0 },
      trend: [{ runId: res.json().runId, rowsIn: 5, accepted: 2, rejected: 3 }],
    });
    const issued = quality.fields.find((f: { field: string }) => f.field === 'issuedOn');
    expect(issued).toMatchObject({ label: '发证日期', present: 5, valid: 4, completeness: 1, validity: 0.8 });
    // The newest 更新时间 received is last year's: the data is stale.
    expect(quality.freshness).toMatchObject({
      basis: 'record',
      level: 'stale',
      at: '2025-06-01T01:30:00.000Z',
    });
    const none = await t.app.inject({
      method: 'GET',
      url: '/api/exchange/sources/demo-credit/quality',
      headers: admin.headers,
    });
    expect(none.json()).toMatchObject({ latestRun: null, fields: [], freshness: { level: 'unknown' } });
  });

  it('configures an http source (token sealed, never returned) and queues one sync at a time', async () => {
    const put = (body: Record<string, unknown>) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/exchange/sources/demo-exchange-api/http',
        headers: admin.headers,
        payload: body,
      });
    const config = {
      baseUrl: 'http://127.0.0.1:9/api/exchange',
      pageSize: 200,
      timeoutSeconds: 10,
      retries: 2,
      cron: '*/15 * * * *',
      enabled: true,
    };
    const ok = await put({ ...config, token: 'tok-123456' });
    expect(ok.statusCode, ok.body).toBe(200);
    const { enabled: _enabled, ...http } = config;
    expect(ok.json()).toMatchObject({ enabled: true, http: { ...http, hasToken: true } });
    expect(ok.body).not.toContain('tok-123456');
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['detail', 'summary'])
      .where('object_id', '=', 'demo-exchange-api')
      .execute();
    expect(JSON.stringify(audit)).not.toContain('tok-123456');
    expect(audit.at(-1)!.detail).toContain('已更换访问令牌');
    const schedule = await t.ctx.db
      .selectFrom('job_schedule')
      .select(['cron', 'payload'])
      .where('name', '=', 'exchange.sync:demo-exchange-api')
      .executeTakeFirstOrThrow();
    expect(schedule).toEqual({ cron: '*/15 * * * *', payload: { source: 'demo-exchange-api' } });

    expect((await put({ ...config, cron: 'every minute' })).json().message).toMatch(/^定时规则不合法/);
    expect((await put({ ...config, baseUrl: 'ftp://x' })).statusCode).toBe(400);
    const file = await t.app.inject({
      method: 'PUT',
      url: '/api/exchange/sources/demo-licence/http',
      headers: admin.headers,
      payload: config,
    });
    expect(file.json().message).toBe('数据源“演示县 许可（政务信息网导出文件）”不是接口数据源');

    const syncNow = (s: Session) =>
      t.app.inject({
        method: 'POST',
        url: '/api/exchange/sources/demo-exchange-api/sync',
        headers: s.headers,
      });
    expect((await syncNow(admin)).json()).toMatchObject({ queued: true });
    expect((await syncNow(admin)).json()).toMatchObject({ queued: false });
    expect((await syncNow(clerk)).statusCode).toBe(403);
    const jobs = await t.ctx.db
      .selectFrom('job')
      .select('payload')
      .where('name', '=', 'exchange.sync')
      .execute();
    expect(jobs.map((j) => j.payload)).toEqual([{ source: 'demo-exchange-api', requestedBy: 'exadmin' }]);

    // Disabled: the schedule goes; a token given as null is removed.
    const off = await put({ ...config, enabled: false, token: null });
    expect(off.json()).toMatchObject({ enabled: false, http: { hasToken: false } });
    const left = await t.ctx.db
      .selectFrom('job_schedule')
      .select('name')
      .where('name', 'like', 'exchange.sync:%')
      .execute();
    expect(left).toEqual([]);
  });
});
