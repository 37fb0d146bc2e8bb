import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { csv, HEADER, row } from '../../../test/exchange-fixtures.ts';
import { type CsvRecord, CsvSplitter } from './exchange.csv.ts';
import { ExchangeFileError, type FileInput, MAX_FILE_BYTES, openRows, scanFile } from './exchange.files.ts';

/** Scan and read a whole file, rows as {column: value} (what the run sees, for assertions). */
async function readAll(input: FileInput) {
  const scan = await scanFile(input);
  const reader = await openRows(input, scan);
  const rows: { rowNo: number; values: Record<string, string>; problem?: string }[] = [];
  for await (const batch of reader.batches()) {
    for (const r of batch) {
      const values = r.raw ?? Object.fromEntries(reader.columns.map((c, i) => [c, r.cells[i] ?? '']));
      rows.push({ rowNo: r.rowNo, values, ...(r.problem ? { problem: r.problem } : {}) });
    }
  }
  return { ...scan, columns: reader.columns, rows };
}
const readBuffer = (data: Buffer) => readAll({ data });
const names = (rows: { values: Record<string, string> }[]) => rows.map((r) => r.values.企业名称);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rj-exchange-files-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('exchange file readers', () => {
  it('reads UTF-8 CSV with and without a byte-order mark, quoted commas and line breaks included', async () => {
    const text = csv([
      row(1, '示范县“老王”烧烤店'),
      row(2, '示范县便利店, 二店', { 经营范围: '食品销售\n日用百货' }),
      row(3, '示范县"引号"店'),
    ]);
    for (const data of [
      Buffer.from(text),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    ]) {
      const f = await readBuffer(data);
      expect(f.format).toBe('csv');
      expect(f.encoding).toBe('utf-8');
      expect(f.rows.length).toBe(3);
      expect(f.columns).toEqual(HEADER);
      expect(names(f.rows)).toEqual(['示范县“老王”烧烤店', '示范县便利店, 二店', '示范县"引号"店']);
      expect(f.rows[1]!.values.经营范围).toBe('食品销售\n日用百货');
      // Row numbers are the file's lines: the quoted line break moves the third row to line 5.
      expect(f.rows.map((r) => r.rowNo)).toEqual([2, 3, 5]);
    }
  });

  it('splits records the same wherever the chunks happen to break', () => {
    const text = Buffer.from(
      csv([row(1, '甲'), row(2, '乙, "二"', { 经营范围: '多行\r\n范围' }), row(3, '丙')]).replace(
        /\r\n$/,
        '',
      ),
    );
    const whole: CsvRecord[] = [];
    const one = new CsvSplitter((b, s, e) => b.toString('utf8', s, e));
    one.push(text, whole);
    one.end(whole);
    for (let size = 1; size <= 7; size++) {
      const out: CsvRecord[] = [];
      const s = new CsvSplitter((b, st, e) => b.toString('utf8', st, e));
      for (let i = 0; i < text.length; i += size) s.push(text.subarray(i, i + size), out);
      s.end(out);
      expect(out).toEqual(whole);
    }
    expect(whole.map((r) => r.fields[1])).toEqual(['企业名称', '甲', '乙, "二"', '丙']);
  });

  it('detects a GBK export and converts it', async () => {
    const f = await readBuffer(iconv.encode(csv([row(1, '示范县张记面馆')]), 'gbk'));
    expect(f.encoding).toBe('gbk');
    expect(f.columns).toEqual(HEADER);
    expect(names(f.rows)).toEqual(['示范县张记面馆']);
  });

  it('streams a file from disk in batches, counting its rows first', async () => {
    const file = path.join(tmp, 'big.csv');
    const rows = Array.from({ length: 2500 }, (_, i) => row(i + 1, `示范县流式店${i + 1}`));
    fs.writeFileSync(file, iconv.encode(csv(rows), 'gbk'));
    const scan = await scanFile({ path: file });
    expect(scan).toMatchObject({ format: 'csv', encoding: 'gbk', rows: 2500 });
    const reader = await openRows({ path: file }, scan);
    const sizes: number[] = [];
    let last = '';
    for await (const batch of reader.batches()) {
      sizes.push(batch.length);
      last = batch.at(-1)!.cells[1]!;
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2500);
    expect(sizes.length).toBeGreaterThan(1);
    expect(last).toBe('示范县流式店2500');
  });

  it('reads the first sheet of an XLSX file by its header row, formulas kept as text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('登记');
    ws.addRow(HEADER);
    ws.addRow(row(1, '示范县超市'));
    ws.addRow(row(2, 'x'));
    ws.getCell('B3').value = { formula: 'HYPERLINK("http://evil.example","点我")' };
    wb.addWorksheet('其他').addRow(['忽略']);
    const f = await readBuffer(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(f.format).toBe('xlsx');
    expect(f.rows.map((r) => r.rowNo)).toEqual([2, 3]);
    expect(names(f.rows)).toEqual(['示范县超市', '=HYPERLINK("http://evil.example","点我")']);
  });

  it('reads JSON-lines and reports a cut-off last line as that row’s problem', async () => {
    const lines = [
      JSON.stringify({ 统一社会信用代码: 'A', 企业名称: '甲' }),
      JSON.stringify({ 统一社会信用代码: 'B', 企业名称: '乙', 注册号: 123 }),
      '{"统一社会信用代码":"C","企业名',
    ];
    const f = await readBuffer(Buffer.from(lines.join('\n')));
    expect(f.format).toBe('jsonl');
    expect(f.columns).toEqual(['统一社会信用代码', '企业名称', '注册号']);
    expect(names(f.rows.slice(0, 2))).toEqual(['甲', '乙']);
    expect(f.rows[1]!.values.注册号).toBe('123');
    expect(f.rows[2]).toMatchObject({ rowNo: 3, problem: '不是有效的 JSON（行不完整或格式错误）' });
  });

  it('turns truncated files into clear errors before any row is read', async () => {
    const text = csv([row(1, '甲'), row(2, '乙', { 经营范围: '食品销售，日用百货' })]);
    // Cut inside a quoted field: the scan refuses the file.
    const quoted = csv([row(1, '甲', { 经营范围: '多行\n范围' })]);
    await expect(
      scanFile({ data: Buffer.from(quoted.slice(0, quoted.lastIndexOf('范围'))) }),
    ).rejects.toThrow('文件不完整：第 2 行的引号没有闭合（文件可能被截断）');
    // Cut in the middle of the last row: that row is rejected for its missing columns.
    const cut = await readBuffer(Buffer.from(text.slice(0, text.lastIndexOf('2019'))));
    expect(cut.rows[1]!.problem).toMatch(/列数不足/);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(HEADER);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    await expect(readBuffer(xlsx.subarray(0, xlsx.length / 2))).rejects.toThrow(ExchangeFileError);
    await expect(readBuffer(Buffer.alloc(0))).rejects.toThrow('文件为空');
  });

  it('refuses an upload above 50 MB, but streams a larger CSV from disk', async () => {
    await expect(scanFile({ data: Buffer.alloc(MAX_FILE_BYTES + 1, 0x41) })).rejects.toThrow(
      '文件超过 50 MB',
    );
    const file = path.join(tmp, 'over50.csv');
    const fd = fs.openSync(file, 'w');
    const header = `${HEADER.join(',')}\n`;
    fs.writeSync(fd, header);
    const line = `${row(1, `示范县大文件店${'甲'.repeat(300)}`).join(',')}\n`;
    const block = line.repeat(2000);
    let written = header.length;
    while (written <= MAX_FILE_BYTES) written += fs.writeSync(fd, block);
    fs.closeSync(fd);
    const scan = await scanFile({ path: file });
    expect(scan.bytes).toBeGreaterThan(MAX_FILE_BYTES);
    expect(scan.rows).toBeGreaterThan(50_000);
  });
});
