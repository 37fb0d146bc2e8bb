import {
  CLUE_CHANNEL_LABELS,
  CLUE_KIND_LABELS,
  CLUE_STATUS_LABELS,
  type ClueSummary,
} from '@rongjian/shared/api';
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../../fusion/entities/entities.excel.ts';
import type { DictService } from '../../platform/dict/dict.service.ts';

/** The xlsx export of a clue list: no personal data (the list has none), formulas neutralised. */
const chinaTime = (iso: string) =>
  new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16);

export async function buildClueExport(
  rows: ClueSummary[],
  dicts: Pick<DictService, 'label'>,
): Promise<Buffer> {
  const headers: [header: string, width: number, cell: (c: ClueSummary) => string][] = [
    ['线索编号', 20, (c) => c.number],
    ['类型', 8, (c) => CLUE_KIND_LABELS[c.kind]],
    ['来源渠道', 12, (c) => CLUE_CHANNEL_LABELS[c.channel as keyof typeof CLUE_CHANNEL_LABELS] ?? c.channel],
    ['状态', 10, (c) => CLUE_STATUS_LABELS[c.status]],
    ['标题', 40, (c) => c.title],
    ['业务条线', 16, (c) => (c.businessLine ? dicts.label('business_line', c.businessLine) : '')],
    ['12315 分类', 16, (c) => (c.category12315 ? dicts.label('category_12315', c.category12315) : '')],
    ['被投诉（举报）对象', 30, (c) => c.respondentName],
    ['收到时间', 18, (c) => chinaTime(c.receivedAt)],
    ['承办部门', 18, (c) => c.departmentName ?? ''],
    ['网格', 16, (c) => c.gridName ?? ''],
    ['外部工单号', 20, (c) => c.externalNo ?? ''],
  ];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('线索');
  ws.columns = headers.map(([header, width]) => ({ header, width }));
  for (let c = 1; c <= headers.length; c++) ws.getColumn(c).numFmt = '@';
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) ws.addRow(headers.map(([, , cell]) => neutraliseFormula(cell(r))));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
