import { ENTITY_TYPES, RISK_CLASSES } from '@rongjian/shared';
import type { EntitySummary } from '@rongjian/shared/api';
import ExcelJS from 'exceljs';

/** The xlsx export of an entity search. */

/**
 * A cell beginning with = + - @ (or a tab/CR that spreadsheet programs strip first) would be read as a formula
 * when the file is opened: `=HYPERLINK(…)` in an entity name must arrive as text. A leading quote keeps it text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const HEADERS: [header: string, width: number, cell: (e: EntitySummary) => string][] = [
  ['统一社会信用代码', 22, (e) => e.uscc ?? ''],
  ['名称', 36, (e) => e.name],
  ['类型', 14, (e) => ENTITY_TYPES[e.type]],
  ['地址', 40, (e) => e.address],
  ['所属市场监管所', 18, (e) => e.stationName ?? ''],
  ['所属网格', 18, (e) => e.gridName ?? ''],
  ['业务条线', 30, (e) => e.businessLines.join('、')],
  ['登记状态', 10, (e) => e.status],
  ['信用风险分类', 14, (e) => (e.riskClass ? `${e.riskClass}（${RISK_CLASSES[e.riskClass]}）` : '未分类')],
];

export async function buildEntityExport(rows: EntitySummary[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('经营主体');
  ws.columns = HEADERS.map(([header, width]) => ({ header, width }));
  // Text format, so Excel keeps codes as typed instead of turning them into numbers.
  for (let c = 1; c <= HEADERS.length; c++) ws.getColumn(c).numFmt = '@';
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const e of rows) ws.addRow(HEADERS.map(([, , cell]) => neutraliseFormula(cell(e))));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
