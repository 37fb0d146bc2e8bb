import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { type CsvRecord, CsvSplitter, CsvTruncatedError, type FieldDecoder } from './exchange.csv.ts';

/** What the web upload accepts, and the most an XLSX file (read whole) may be. CSV / JSON-lines from a path stream. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
const CHUNK = 1 << 20;

/** A problem with the whole file: the run fails with this message and nothing is imported. */
export class ExchangeFileError extends Error {}

/** An upload held in memory, or a file on disk read as a stream (the CLI, a benchmark). */
export type FileInput = { data: Buffer } | { path: string };

export interface SourceRow {
  /** Line (CSV, JSON-lines) or sheet row (XLSX) number as the user sees it in the file. */
  rowNo: number;
  /** Values in the order of the reader's `columns`. */
  cells: string[];
  /** Why the row could not be read (it is rejected with this reason). */
  problem?: string;
  /** The row as the error report shows it, when `cells` could not be read. */
  raw?: Record<string, string>;
}

export type FileFormat = 'csv' | 'xlsx' | 'jsonl';
export type TextEncoding = 'utf-8' | 'gbk';

/** What a first pass over the file learns before anything is imported. */
export interface FileScan {
  format: FileFormat;
  encoding: TextEncoding | null;
  sha256: string;
  bytes: number;
  /** Data rows (header excluded) as far as the pass could count them: the progress bar's total. */
  rows: number;
  /** Read as UTF-8 although some byte sequences are not: rows holding one (U+FFFD once decoded) are rejected. */
  damaged: boolean;
}

/** Rows of a file in batches; `columns` is known once the first batch is out (JSON-lines may add more later). */
export interface RowReader {
  columns: string[];
  /** Data rows, when only opening the file tells (XLSX). */
  rows?: number;
  batches(): AsyncGenerator<SourceRow[]>;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function* chunks(input: FileInput): AsyncGenerator<Buffer> {
  if ('data' in input) {
    for (let i = 0; i < input.data.length; i += CHUNK) yield input.data.subarray(i, i + CHUNK);
    return;
  }
  const stream = fs.createReadStream(input.path, { highWaterMark: CHUNK });
  for await (const c of stream) yield c as Buffer;
}

async function readHead(input: FileInput, n: number): Promise<Buffer> {
  if ('data' in input) return input.data.subarray(0, n);
  const fh = await fs.promises.open(input.path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function sizeOf(input: FileInput): Promise<number> {
  if ('data' in input) return input.data.length;
  try {
    return (await fs.promises.stat(input.path)).size;
  } catch {
    throw new ExchangeFileError('无法读取文件');
  }
}

/**
 * Incremental UTF-8 check: a multi-byte character split across chunks is carried to the next one. A chunk that is
 * not valid UTF-8 is decoded to count its non-ASCII characters and its invalid byte sequences, so that a
 * UTF-8 export with a few damaged bytes (a field cut by byte length) is told from GBK, where most multi-byte
 * pairs are invalid UTF-8.
 */
class Utf8Check {
  /** Every chunk so far was valid UTF-8. */
  clean = true;
  private valid = 0;
  private invalid = 0;
  private carry: Buffer | null = null;
  push(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let cut = buf.length;
    // Back up over a trailing incomplete sequence (at most 3 bytes).
    for (let k = buf.length - 1; k >= Math.max(0, buf.length - 4); k--) {
      const b = buf[k]!;
      if ((b & 0xc0) === 0x80) continue;
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (buf.length - k < need) cut = k;
      break;
    }
    const body = buf.subarray(0, cut);
    if (!isUtf8(body)) {
      this.clean = false;
      this.count(body);
    }
    this.carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : null;
  }
  /** The end of the input: a sequence left incomplete at the very end is damage too. */
  end(): void {
    if (this.carry) {
      this.clean = false;
      this.invalid++;
      this.carry = null;
    }
  }
  /** UTF-8 if clean, or if damaged sequences are rare beside valid characters (at most 1 in 100). */
  get utf8(): boolean {
    return this.clean || this.valid >= 100 * this.invalid;
  }
  /** Node's decoder replaces each invalid sequence with U+FFFD: those are the damage, other non-ASCII the valid. */
  private count(buf: Buffer): void {
    const text = buf.toString('utf8');
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0xfffd) this.invalid++;
      else if (c >= 0x80) this.valid++;
    }
  }
}

function detectFormat(head: Buffer): FileFormat {
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) return 'xlsx';
  const start = head.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
  for (let i = start; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b ? 'jsonl' : 'csv';
  }
  return 'csv';
}

/**
 * First pass: format, encoding (UTF-8 when every byte sequence is valid UTF-8, else GB18030 — a superset of GBK,
 * what 政务 exports usually are), sha256 and the row count. A CSV cut off inside a quoted field fails here, before
 * any row is imported. An upload (`data`) above 50 MB is refused, as is an XLSX file above it.
 */
export async function scanFile(input: FileInput): Promise<FileScan> {
  const bytes = await sizeOf(input);
  if ('data' in input && bytes > MAX_FILE_BYTES) {
    throw new ExchangeFileError(`文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，请拆分后分批导入`);
  }
  if (bytes === 0) throw new ExchangeFileError('文件为空');
  const format = detectFormat(await readHead(input, 4096));
  if (format === 'xlsx' && bytes > MAX_FILE_BYTES) {
    throw new ExchangeFileError(
      `XLSX 文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，请另存为 CSV（CSV 文件不限大小）后导入`,
    );
  }
  const hash = createHash('sha256');
  const utf8 = new Utf8Check();
  const csv = format === 'csv' ? new CsvSplitter(null) : null;
  let lines = 0;
  let lastByte = 0x0a;
  try {
    for await (const c of chunks(input)) {
      hash.update(c);
      if (format === 'xlsx') continue;
      utf8.push(c);
      if (csv) csv.push(c, null);
      else {
        for (let i = c.indexOf(0x0a); i !== -1; i = c.indexOf(0x0a, i + 1)) lines++;
        lastByte = c[c.length - 1]!;
      }
    }
    csv?.end(null);
    utf8.end();
  } catch (err) {
    if (err instanceof CsvTruncatedError) throw new ExchangeFileError(err.message);
    if (err instanceof ExchangeFileError) throw err;
    throw new ExchangeFileError('无法读取文件');
  }
  const rows = csv ? Math.max(0, csv.count - 1) : lines + (lastByte === 0x0a ? 0 : 1);
  return {
    format,
    encoding: format === 'xlsx' ? null : utf8.utf8 ? 'utf-8' : 'gbk',
    damaged: format !== 'xlsx' && utf8.utf8 && !utf8.clean,
    sha256: hash.digest('hex'),
    bytes,
    rows,
  };
}

function isAscii(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return false;
  return true;
}

function decoderFor(encoding: TextEncoding): FieldDecoder {
  if (encoding === 'utf-8') return (buf, start, end) => buf.toString('utf8', start, end);
  return (buf, start, end) =>
    isAscii(buf, start, end)
      ? buf.toString('latin1', start, end)
      : iconv.decode(buf.subarray(start, end), 'gb18030');
}

/** Rows per batch handed to validation; the run applies them in transactions of its own size. */
const ROWS_PER_BATCH = 1000;

function* inBatches(rows: SourceRow[]): Generator<SourceRow[]> {
  for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) yield rows.slice(i, i + ROWS_PER_BATCH);
}

function csvReader(input: FileInput, encoding: TextEncoding): RowReader {
  const reader: RowReader = {
    columns: [],
    async *batches() {
      const splitter = new CsvSplitter(decoderFor(encoding));
      let header: string[] | null = null;
      let first = true;
      const records: CsvRecord[] = [];
      const toRows = (): SourceRow[] => {
        const out: SourceRow[] = [];
        for (const r of records) {
          if (!header) {
            header = r.fields.map((c) => c.trim());
            reader.columns.push(...header);
            continue;
          }
          out.push(
            r.fields.length < header.length
              ? {
                  rowNo: r.line,
                  cells: r.fields,
                  problem: `列数不足：应为 ${header.length} 列，实际 ${r.fields.length} 列（文件可能被截断）`,
                }
              : { rowNo: r.line, cells: r.fields },
          );
        }
        records.length = 0;
        return out;
      };
      try {
        for await (let c of chunks(input)) {
          if (first && c.subarray(0, 3).equals(UTF8_BOM)) c = c.subarray(3);
          first = false;
          splitter.push(c, records);
          if (records.length >= ROWS_PER_BATCH || (!header && records.length > 0)) yield* inBatches(toRows());
        }
        splitter.end(records);
      } catch (err) {
        if (err instanceof CsvTruncatedError) throw new ExchangeFileError(err.message);
        throw err;
      }
      const rows = toRows();
      if (!header) throw new ExchangeFileError('文件为空：没有表头行');
      yield* inBatches(rows);
    },
  };
  return reader;
}

/** A JSON value as the cell text a CSV export would carry. */
export function cellOf(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * Objects (JSON-lines rows, API records) → cells along a column list that grows as new keys appear. Not an object:
 * null (the caller rejects the row).
 */
export class ObjectColumns {
  private readonly index = new Map<string, number>();
  constructor(readonly columns: string[] = []) {
    for (const [i, c] of columns.entries()) this.index.set(c, i);
  }
  cells(obj: unknown): string[] | null {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null;
    const cells: string[] = new Array(this.columns.length).fill('');
    for (const key in obj) {
      let i = this.index.get(key);
      if (i === undefined) {
        i = this.columns.length;
        this.columns.push(key);
        this.index.set(key, i);
      }
      cells[i] = cellOf((obj as Record<string, unknown>)[key]);
    }
    return cells;
  }
}

function jsonlReader(input: FileInput, encoding: TextEncoding): RowReader {
  const cols = new ObjectColumns();
  const decode = decoderFor(encoding);
  return {
    columns: cols.columns,
    async *batches() {
      let rest: Buffer | null = null;
      let lineNo = 0;
      let out: SourceRow[] = [];
      const line = (buf: Buffer, start: number, end: number) => {
        lineNo++;
        if (end > start && buf[end - 1] === 0x0d) end--;
        if (lineNo === 1 && buf.subarray(start, start + 3).equals(UTF8_BOM)) start += 3;
        const text = decode(buf, start, end);
        if (text.trim() === '') return;
        let obj: unknown;
        try {
          obj = JSON.parse(text);
        } catch {
          out.push({
            rowNo: lineNo,
            cells: [],
            raw: { 原始内容: text.slice(0, 500) },
            problem: '不是有效的 JSON（行不完整或格式错误）',
          });
          return;
        }
        const cells = cols.cells(obj);
        if (cells) out.push({ rowNo: lineNo, cells });
        else
          out.push({
            rowNo: lineNo,
            cells: [],
            raw: { 原始内容: text.slice(0, 500) },
            problem: '每行应为一个 JSON 对象',
          });
      };
      for await (const c of chunks(input)) {
        const buf: Buffer = rest ? Buffer.concat([rest, c]) : c;
        let start = 0;
        for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, start)) {
          line(buf, start, i);
          start = i + 1;
        }
        rest = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
        if (out.length >= ROWS_PER_BATCH) {
          yield* inBatches(out);
          out = [];
        }
      }
      if (rest) line(rest, 0, rest.length);
      yield* inBatches(out);
    },
  };
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

/** The first sheet, loaded whole (XLSX is at most 50 MB here; a larger export comes as CSV). */
async function xlsxReader(input: FileInput): Promise<RowReader> {
  const data = 'data' in input ? input.data : await fs.promises.readFile(input.path);
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
  return {
    columns,
    rows: ws.rowCount - 1,
    async *batches() {
      let out: SourceRow[] = [];
      for (let rowNo = 2; rowNo <= ws.rowCount; rowNo++) {
        const row = ws.getRow(rowNo);
        const cells = columns.map((_, i) => cellText(row.getCell(i + 1).value));
        if (cells.some((v) => v.trim() !== '')) out.push({ rowNo, cells });
        if (out.length >= ROWS_PER_BATCH) {
          yield out;
          out = [];
        }
      }
      if (out.length > 0) yield out;
    },
  };
}

/** Second pass: the rows, batch by batch, decoded as the scan found. Whole-file problems throw ExchangeFileError. */
export async function openRows(input: FileInput, scan: FileScan): Promise<RowReader> {
  if (scan.format === 'xlsx') return xlsxReader(input);
  if (scan.format === 'jsonl') return jsonlReader(input, scan.encoding ?? 'utf-8');
  return csvReader(input, scan.encoding ?? 'utf-8');
}
