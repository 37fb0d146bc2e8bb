import { USER_IMPORT_HEADERS, type User, type UserOptions } from '@rongjian/shared/api';
import ExcelJS from 'exceljs';
import { AppError } from '../errors.ts';
import type { ImportReportRow } from './org.tables.ts';

/** xlsx files of the user administration: import template, parsing an upload, error report, export. */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** More rows than a county bureau has staff: a larger file is a mistake (or an attack on the server). */
export const MAX_IMPORT_ROWS = 5000;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F2' } };

function styleHeader(ws: ExcelJS.Worksheet) {
  const row = ws.getRow(1);
  row.font = { bold: true };
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The import template: the header row, one example row, and a sheet of the codes the caller may use. */
export async function buildTemplate(options: UserOptions): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('用户导入');
  ws.columns = USER_IMPORT_HEADERS.map((header) => ({ header, width: header.length > 6 ? 24 : 16 }));
  // Text format, so Excel keeps leading zeros and does not turn phone numbers and dates into numbers.
  for (let c = 1; c <= USER_IMPORT_HEADERS.length; c++) ws.getColumn(c).numFmt = '@';
  styleHeader(ws);
  ws.getCell('A1').note =
    '必填：3–32 位，小写字母开头，可含小写字母、数字、下划线、点和短横线。已存在的用户名将被更新。';
  ws.getCell('C1').note = '必填：见“可用编码”工作表。';
  ws.getCell('D1').note = '多个角色用逗号分隔；更新已有用户时留空表示不修改。';
  ws.getCell('H1').note = '格式：YYYY-MM-DD，如 2027-12-31。';

  const codes = wb.addWorksheet('可用编码');
  codes.columns = [
    { header: '部门编码', width: 16 },
    { header: '部门名称', width: 28 },
    { header: '角色编码', width: 16 },
    { header: '角色名称', width: 16 },
    { header: '岗位编码', width: 16 },
    { header: '岗位名称', width: 16 },
  ];
  styleHeader(codes);
  const n = Math.max(options.departments.length, options.roles.length, options.posts.length);
  for (let i = 0; i < n; i++) {
    const d = options.departments[i];
    const r = options.roles[i];
    const p = options.posts[i];
    codes.addRow([d?.code, d?.name, r?.code, r?.name, p?.code, p?.name]);
  }
  const help = wb.addWorksheet('填写说明');
  help.getColumn(1).width = 100;
  for (const line of [
    '1. 第一行为表头，请勿修改；从第二行起每行一名用户。',
    '2. 用户名、姓名、部门编码为必填项；部门须在您的数据权限范围内。',
    '3. 已存在的用户名按本表更新，不会重复创建；更新时空白单元格（手机号、岗位、执法证等）表示不修改。',
    '4. 新建用户的初始密码由系统生成，仅在导入结果中显示一次，用户首次登录须修改。',
    '5. 导入前可先“预检”，预检不会写入任何数据。有错误的行不会导入，可下载错误报告修改后重新导入。',
  ]) {
    help.addRow([line]);
  }
  return toBuffer(wb);
}

/** Text of a cell as a person typed it: numbers without exponent, dates as `YYYY-MM-DD`, rich text flattened. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value).trim();
}

export interface SheetRow {
  /** Row number in the sheet, as Excel shows it. */
  row: number;
  values: string[];
}

/** Uncompressed bytes an xlsx (zip) unpacks to, from its central directory; null when it is not a readable zip. */
export function zipUnpackedSize(buf: Buffer): number | null {
  const min = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return null;
    const size = buf.readUInt32LE(at + 24);
    // 0xFFFFFFFF: a ZIP64 entry (≥ 4 GB), never part of a user list.
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY;
    total += size;
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return total;
}

/** A 5 MB upload may not unpack into more than this (a "zip bomb" would exhaust the server's memory). */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

/** The first sheet's data rows, checked against the template's header. */
export async function parseUserSheet(buffer: Buffer): Promise<SheetRow[]> {
  const unpacked = zipUnpackedSize(buffer);
  if (unpacked === null)
    throw new AppError('IMPORT_FILE_INVALID', '无法读取该文件，请使用导入模板保存的 .xlsx 文件');
  if (unpacked > MAX_UNPACKED_BYTES)
    throw new AppError('IMPORT_FILE_INVALID', '文件解压后过大，不像是用户导入表');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new AppError('IMPORT_FILE_INVALID', '无法读取该文件，请使用导入模板保存的 .xlsx 文件');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('IMPORT_FILE_INVALID', '文件中没有工作表');
  const header = USER_IMPORT_HEADERS.map((_, i) => cellText(ws.getRow(1).getCell(i + 1).value));
  const mismatch = USER_IMPORT_HEADERS.findIndex((h, i) => header[i] !== h);
  if (mismatch >= 0) {
    throw new AppError(
      'IMPORT_FILE_INVALID',
      `表头与模板不一致：第 ${mismatch + 1} 列应为“${USER_IMPORT_HEADERS[mismatch]}”，请下载最新模板`,
    );
  }
  const rows: SheetRow[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const cells = ws.getRow(r);
    const values = USER_IMPORT_HEADERS.map((_, i) => cellText(cells.getCell(i + 1).value));
    if (values.every((v) => v === '')) continue;
    rows.push({ row: r, values });
    if (rows.length > MAX_IMPORT_ROWS) {
      throw new AppError('IMPORT_FILE_INVALID', `一次最多导入 ${MAX_IMPORT_ROWS} 行，请拆分文件后分批导入`);
    }
  }
  return rows;
}

/** The rejected rows as uploaded, plus a 错误原因 column. */
export async function buildErrorReport(rows: ImportReportRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('错误报告');
  ws.columns = [
    { header: '行号', width: 8 },
    ...USER_IMPORT_HEADERS.map((header) => ({ header, width: 16 })),
    { header: '错误原因', width: 60 },
  ];
  for (let c = 1; c <= USER_IMPORT_HEADERS.length + 2; c++) ws.getColumn(c).numFmt = '@';
  styleHeader(ws);
  for (const r of rows) {
    const added = ws.addRow([r.row, ...r.values, r.reason]);
    added.getCell(USER_IMPORT_HEADERS.length + 2).font = { color: { argb: 'FFC00000' } };
  }
  return toBuffer(wb);
}

const STATUS_LABELS = { active: '正常', disabled: '停用' } as const;

/** The export: what the list shows, phone numbers masked. */
export async function buildExport(users: User[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('用户');
  ws.columns = [
    { header: '用户名', width: 16 },
    { header: '姓名', width: 12 },
    { header: '部门', width: 24 },
    { header: '角色', width: 24 },
    { header: '岗位', width: 16 },
    { header: '手机号', width: 16 },
    { header: '执法证号', width: 16 },
    { header: '执法证有效期', width: 14 },
    { header: '状态', width: 8 },
    { header: '创建时间', width: 20 },
  ];
  styleHeader(ws);
  for (const u of users) {
    ws.addRow([
      u.username,
      u.displayName,
      u.departmentName,
      u.roles.map((r) => r.name).join('、'),
      u.posts.map((p) => p.name).join('、'),
      u.phoneMasked ?? '',
      u.certNo ?? '',
      u.certValidUntil ?? '',
      STATUS_LABELS[u.status],
      u.createdAt.slice(0, 19).replace('T', ' '),
    ]);
  }
  return toBuffer(wb);
}
