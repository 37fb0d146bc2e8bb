import type { User } from '@rongjian/shared/api';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { App } from '../src/platform/http/app.ts';
import { cellText } from '../src/platform/org/users.excel.ts';
import { createOrg, login, type Session } from './fixtures.ts';
import { createTestApp, type TestContext } from './support.ts';

/** Test helpers of the user administration (platform/org users tests). */

/** Editable fields of a user with nothing optional set: spread it and override what a test cares about. */
export const BASE_USER = {
  roleCodes: ['officer'],
  postIds: [],
  phone: null,
  certNo: null,
  certValidUntil: null,
};

export const usernames = (res: { json(): { items: User[] } }) => res.json().items.map((u) => u.username);

/** A test app with the fixture org and a signed-in 系统管理员 `sysadm`, plus request helpers. */
export async function usersTestApp() {
  const t: TestContext & { app: App } = await createTestApp();
  const org = await createOrg(t.ctx.db);
  const [east, west] = org.stations as [number, number];
  await org.user('sysadm', 'sysadmin');
  const admin = await login(t.app, 'sysadm');
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, s: Session = admin) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });
  async function createUser(body: Record<string, unknown>) {
    const res = await api('POST', '/api/system/users', { departmentId: east, ...BASE_USER, ...body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { user: User; initialPassword: string | null };
  }
  return { t, org, east, west, admin, api, createUser };
}

/** A `multipart/form-data` body with one file in field `file`, as a browser's FormData sends it. */
export function multipartFile(data: Buffer, filename = 'users.xlsx') {
  const boundary = `----rjtest${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, data, tail]), type: `multipart/form-data; boundary=${boundary}` };
}

export async function readWorkbook(res: { rawPayload: Buffer }): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

/** Every row of a sheet as the texts a person sees in Excel. */
export function sheetRows(ws: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1).map((v) => cellText(v))));
  return rows;
}
