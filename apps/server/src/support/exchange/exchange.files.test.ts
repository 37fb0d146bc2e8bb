import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csv, HEADER, row } from '../../../test/exchange-fixtures.ts';
import { ExchangeFileError, MAX_FILE_BYTES, readExchangeFile } from './exchange.files.ts';

const names = (rows: { values: Record<string, string> }[]) => rows.map((r) => r.values.企业名称);

describe('exchange file readers', () => {
  it('reads UTF-8 CSV with and without a byte-order mark, quoted commas and line breaks included', async () => {
    const text = csv([
      row(1, '示范县“老王”烧烤店'),
      row(2, '示范县便利店, 二店', { 经营范围: '食品销售\n日用百货' }),
    ]);
    for (const data of [
      Buffer.from(text),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    ]) {
      const f = await readExchangeFile(data);
      expect(f.format).toBe('csv');
      expect(f.encoding).toBe('utf-8');
      expect(f.columns).toEqual(HEADER);
      expect(names(f.rows)).toEqual(['示范县“老王”烧烤店', '示范县便利店, 二店']);
      expect(f.rows[1]!.values.经营范围).toBe('食品销售\n日用百货');
    }
  });

  it('detects a GBK export and converts it', async () => {
    const f = await readExchangeFile(iconv.encode(csv([row(1, '示范县张记面馆')]), 'gbk'));
    expect(f.encoding).toBe('gbk');
    expect(f.columns).toEqual(HEADER);
    expect(names(f.rows)).toEqual(['示范县张记面馆']);
  });

  it('reads the first sheet of an XLSX file by its header row, formulas kept as text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('登记');
    ws.addRow(HEADER);
    ws.addRow(row(1, '示范县超市'));
    ws.addRow(row(2, 'x'));
    ws.getCell('B3').value = { formula: 'HYPERLINK("http://evil.example","点我")' };
    wb.addWorksheet('其他').addRow(['忽略']);
    const f = await readExchangeFile(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(f.format).toBe('xlsx');
    expect(f.rows.map((r) => r.rowNo)).toEqual([2, 3]);
    expect(names(f.rows)).toEqual(['示范县超市', '=HYPERLINK("http://evil.example","点我")']);
  });

  it('reads JSON-lines and reports a cut-off last line as that row’s problem', async () => {
    const lines = [
      JSON.stringify({ 统一社会信用代码: 'A', 企业名称: '甲' }),
      JSON.stringify({ 统一社会信用代码: 'B', 企业名称: '乙' }),
      '{"统一社会信用代码":"C","企业名',
    ];
    const f = await readExchangeFile(Buffer.from(lines.join('\n')));
    expect(f.format).toBe('jsonl');
    expect(names(f.rows.slice(0, 2))).toEqual(['甲', '乙']);
    expect(f.rows[2]).toMatchObject({ rowNo: 3, problem: '不是有效的 JSON（行不完整或格式错误）' });
  });

  it('turns truncated files into clear errors instead of crashing', async () => {
    const text = csv([row(1, '甲'), row(2, '乙', { 经营范围: '食品销售，日用百货' })]);
    // Cut inside a quoted field: the file cannot be read at all.
    const quoted = csv([row(1, '甲', { 经营范围: '多行\n范围' })]);
    await expect(readExchangeFile(Buffer.from(quoted.slice(0, quoted.lastIndexOf('范围'))))).rejects.toThrow(
      /引号没有闭合/,
    );
    // Cut in the middle of the last row: that row is rejected for its missing columns.
    const cut = await readExchangeFile(Buffer.from(text.slice(0, text.lastIndexOf('2019'))));
    expect(cut.rows[1]!.problem).toMatch(/列数不足/);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(HEADER);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    await expect(readExchangeFile(xlsx.subarray(0, xlsx.length / 2))).rejects.toThrow(ExchangeFileError);
  });

  it('refuses a file above 50 MB', async () => {
    await expect(readExchangeFile(Buffer.alloc(MAX_FILE_BYTES + 1, 0x41))).rejects.toThrow('文件超过 50 MB');
  });
});
