import { DISPOSALS } from '@rongjian/shared';
import {
  FINDING_DETECTOR_LABELS,
  REVIEW_FIELDS,
  type ReviewDetail,
  TRIAGE_HEAD_LABELS,
  triageValueLabel,
} from '@rongjian/shared/api';
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../../fusion/entities/entities.excel.ts';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const chinaTime = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16) : '';
const disposalLabel = (d: string) => (DISPOSALS as Record<string, string>)[d] ?? d;

/** The xlsx of one 研判复盘 report: a sheet per section, Chinese labels, no personal data, formulas neutralised. */
export async function buildReviewExport(r: ReviewDetail): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, header: string[], rows: (string | number)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header).font = { bold: true };
    for (const row of rows) ws.addRow(row.map((c) => (typeof c === 'string' ? neutraliseFormula(c) : c)));
    ws.columns.forEach((c, i) => {
      c.width = i === 0 ? 22 : 14;
    });
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };
  const f = r.figures;
  sheet(
    '概览',
    ['项目', '内容'],
    [
      ['复盘期间', `${r.from} 至 ${r.to}`],
      ['生成方式', r.trigger === 'monthly' ? '每月自动' : '手动'],
      ['生成时间', chinaTime(r.generatedAt)],
      ['生成人', r.generatedByName],
      ['研判数', f?.judgments.total ?? 0],
      ['有模型建议的研判数', f?.judgments.withSuggestion ?? 0],
      ['四项均采纳建议的比例', f ? pct(f.judgments.followedAll) : ''],
      ...REVIEW_FIELDS.map((h): [string, string] => [
        `${TRIAGE_HEAD_LABELS[h]}一致率`,
        f ? `${pct(f.judgments.fields[h].accuracy)}（${f.judgments.fields[h].n} 条）` : '',
      ]),
      ['模型改进', f?.training.message ?? r.modelDecision ?? ''],
    ],
  );
  if (!f) return Buffer.from(await wb.xlsx.writeBuffer());
  sheet(
    '建议与研判',
    ['字段', '类别', '精确率', '召回率', 'F1', '研判数'],
    REVIEW_FIELDS.flatMap((h) =>
      f.judgments.fields[h].perClass.map((c) => [
        TRIAGE_HEAD_LABELS[h],
        triageValueLabel(h, c.label),
        c.precision,
        c.recall,
        c.f1,
        c.support,
      ]),
    ),
  );
  sheet(
    '混淆矩阵',
    ['字段', '研判结论 \\ 模型建议', '模型建议', '条数'],
    REVIEW_FIELDS.flatMap((h) => {
      const { labels, matrix } = f.judgments.fields[h].confusion;
      return matrix.flatMap((row, i) =>
        row
          .map((n, j) => [
            TRIAGE_HEAD_LABELS[h],
            triageValueLabel(h, labels[i]!),
            triageValueLabel(h, labels[j]!),
            n,
          ])
          .filter((x) => (x[3] as number) > 0),
      );
    }),
  );
  sheet(
    '置信度校准',
    ['置信度区间', '研判数', '平均置信度', '四项均采纳比例'],
    f.judgments.calibration.map((b) => [b.label, b.n, b.meanConfidence, pct(b.accuracy)]),
  );
  sheet(
    '处置结果',
    ['分组', '处置', '线索数', '命中', '比例', '研判与建议一致'],
    [
      ...f.outcomes.dispatched.map((o) => [
        '模型建议调度（办结时发现违法）',
        disposalLabel(o.disposal),
        o.n,
        o.hits,
        pct(o.rate),
        o.agreed,
      ]),
      ...f.outcomes.closed.map((o) => [
        '研判直接办结/不予受理（此后重新办理）',
        disposalLabel(o.disposal),
        o.n,
        o.hits,
        pct(o.rate),
        o.agreed,
      ]),
    ],
  );
  sheet(
    '模式发现',
    [
      '检测规则',
      '发现',
      '待处理',
      '已确认',
      '已忽略',
      '生成线索',
      '已研判',
      '已调度',
      '发现违法',
      '确认率',
      '命中率',
    ],
    f.detectors.map((d) => [
      (FINDING_DETECTOR_LABELS as Record<string, string>)[d.detector] ?? d.detector,
      d.raised,
      d.open,
      d.confirmed,
      d.dismissed,
      d.cluesRaised,
      d.judged,
      d.dispatched,
      d.violations,
      pct(d.confirmRate),
      pct(d.hitRate),
    ]),
  );
  const t = f.training;
  sheet(
    '模型改进',
    ['字段', '候选模型宏平均 F1', '当前模型宏平均 F1', '候选准确率', '当前准确率'],
    [
      ...REVIEW_FIELDS.map((h) => [
        TRIAGE_HEAD_LABELS[h],
        t.candidate ? t.candidate.heads[h].macroF1 : '',
        t.active ? t.active.heads[h].macroF1 : '',
        t.candidate ? t.candidate.heads[h].accuracy : '',
        t.active ? t.active.heads[h].accuracy : '',
      ]),
      ['结论', t.message, '', '', ''],
    ],
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
