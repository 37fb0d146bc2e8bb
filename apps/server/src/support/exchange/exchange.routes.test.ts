import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csv, row, uscc } from '../../../test/exchange-fixtures.ts';
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

const upload = async (s: Session, fileName: string, content: Buffer | string) => {
  const m = multipart(fileName, content);
  return t.app.inject({
    method: 'POST',
    url: '/api/exchange/sources/demo-registration/import',
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
    expect(bad.json().message).toMatch(/必填字段未指定来源列：统一社会信用代码/);
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
});
