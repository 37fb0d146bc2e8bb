import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** Government exports of one county stay far below this; anything larger is split before import. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** A problem with the whole file: the run fails with this message and nothing is imported. */
export class ExchangeFileError extends Error {}

export interface SourceRow {
  /** Line (CSV, JSON-lines) or sheet row (XLSX) number as the user sees it in the file. */
  rowNo: number;
  values: Record<string, string>;
  /** Why the row could not be read (it is rejected with this reason). */
  problem?: string;
}

export interface ParsedFile {
  format: 'csv' | 'xlsx' | 'jsonl';
  encoding: 'utf-8' | 'gbk' | null;
  columns: string[];
  rows: SourceRow[];
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** UTF-8 when the bytes are valid UTF-8, else GB18030 (a superset of GBK, what 政务 exports usually are). */
export function decodeText(data: Buffer): { text: string; encoding: 'utf-8' | 'gbk' } {
  if (data.subarray(0, 3).equals(UTF8_BOM))
    return { text: data.subarray(3).toString('utf8'), encoding: 'utf-8' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    if (!text.includes('\uFFFD')) return { text, encoding: 'utf-8' };
  } catch {
    // Invalid UTF-8 sequences: fall through to GBK.
  }
  return { text: iconv.decode(data, 'gb18030'), encoding: 'gbk' };
}

/** RFC 4180 records; an unclosed quote at the end means the file was cut off. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      quoteStart = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      out.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) throw new ExchangeFileError(`文件不完整：第 ${quoteStart} 行的引号没有闭合（文件可能被截断）`);
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    out.push({ line: recordLine, fields });
  }
  return out.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''));
}

function readCsv(data: Buffer): ParsedFile {
  const { text, encoding } = decodeText(data);
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) throw new ExchangeFileError('文件为空：没有表头行');
  const columns = header.fields.map((c) => c.trim());
  const rows = records.map(({ line, fields }): SourceRow => {
    const values = Object.fromEntries(columns.map((c, i) => [c, fields[i] ?? '']));
    const problem =
      fields.length < columns.length
        ? `列数不足：应为 ${columns.length} 列，实际 ${fields.length} 列（文件可能被截断）`
        : undefined;
    return { rowNo: line, values, ...(problem ? { problem } : {}) };
  });
  return { format: 'csv', encoding, columns, rows };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  // A formula is kept as the text it is, never as the value a spreadsheet would compute from it.
  if ('formula' in value && value.formula) return `=${value.formula}`;
  if ('sharedFormula' in value && value.sharedFormula) return `=${value.sharedFormula}`;
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}

async function readXlsx(data: Buffer): Promise<ParsedFile> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new ExchangeFileError('无法读取 xlsx 文件：文件已损坏或不完整');
  }
  const ws = wb.worksheets[0];
  if (!ws || ws.rowCount === 0) throw new ExchangeFileError('文件为空：第一个工作表没有表头行');
  const width = ws.getRow(1).cellCount;
  const columns = Array.from({ length: width }, (_, i) => cellText(ws.getRow(1).getCell(i + 1).value).trim());
  const rows: SourceRow[] = [];
  ws.eachRow((row, rowNo) => {
    if (rowNo === 1) return;
    const values = Object.fromEntries(columns.map((c, i) => [c, cellText(row.getCell(i + 1).value)]));
    if (Object.values(values).some((v) => v.trim() !== '')) rows.push({ rowNo, values });
  });
  return { format: 'xlsx', encoding: null, columns, rows };
}

function readJsonl(data: Buffer): ParsedFile {
  const { text, encoding } = decodeText(data);
  const columns = new Set<string>();
  const rows: SourceRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      rows.push({
        rowNo: i + 1,
        values: { 原始内容: line.slice(0, 500) },
        problem: '不是有效的 JSON（行不完整或格式错误）',
      });
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      rows.push({
        rowNo: i + 1,
        values: { 原始内容: line.slice(0, 500) },
        problem: '每行应为一个 JSON 对象',
      });
      return;
    }
    const values = Object.fromEntries(
      Object.entries(obj).map(([k, v]) => [
        k,
        v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v),
      ]),
    );
    for (const k of Object.keys(values)) columns.add(k);
    rows.push({ rowNo: i + 1, values });
  });
  return { format: 'jsonl', encoding, columns: [...columns], rows };
}

/** Read an export by its content (zip → xlsx, `{` → JSON-lines, else CSV); whole-file problems throw ExchangeFileError. */
export async function readExchangeFile(data: Buffer): Promise<ParsedFile> {
  if (data.length > MAX_FILE_BYTES) {
    throw new ExchangeFileError(`文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，请拆分后分批导入`);
  }
  if (data.length === 0) throw new ExchangeFileError('文件为空');
  if (data.subarray(0, 4).equals(ZIP_MAGIC)) return readXlsx(data);
  const head = decodeText(data.subarray(0, 64)).text.trimStart();
  if (head.startsWith('{')) return readJsonl(data);
  return readCsv(data);
}
