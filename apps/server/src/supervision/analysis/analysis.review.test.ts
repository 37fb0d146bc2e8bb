import type { ReviewAccepted, ReviewDetail, ReviewSummary } from '@rongjian/shared/api';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CluesTestBed, phoneCall, startCluesTestBed } from '../../../test/clues-support.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import { json } from '../../platform/db/json.ts';
import { appendEvent, systemActor } from '../../platform/ledger/ledger.service.ts';
import type { LabelledText } from './analysis.model.registry.ts';
import { sample } from './analysis.model.sample.ts';
import { generateReview, INSUFFICIENT_MESSAGE, MONTHLY_JOB, previousMonth } from './analysis.review.ts';
import { reviewTrainingSetting } from './analysis.review.settings.ts';

let bed: CluesTestBed;
type Call = Awaited<ReturnType<CluesTestBed['as']>>;
let officerA: Call;
let analyst: Call;
const clue: number[] = [];

const today = todayInChina();
const yesterday = todayInChina(Date.now() - 86_400_000);
const period = { from: yesterday, to: today };

const sugg = (kind: string, line: string, category: string, disposal: string, confidence: number) => ({
  kind,
  line,
  category,
  disposal,
  confidence,
  modelVersion: 'test-1',
});

async function judge(
  clueId: number,
  judged: [kind: string, line: string, category: string, disposal: string],
  suggestion: ReturnType<typeof sugg> | null,
) {
  await bed.t.ctx.db
    .insertInto('analysis_judgment')
    .values({
      clue_id: clueId,
      kind: judged[0],
      business_line: judged[1],
      category_12315: judged[2],
      disposal: judged[3],
      conclusion: '研判结论',
      basis: '研判依据',
      suggestion: json(suggestion),
      judged_by: 1,
      judged_at: new Date(Date.now() - 60_000),
      department_id: null,
    })
    .execute();
}

const completed = (clueId: number, orderId: number, outcome: string) =>
  appendEvent(bed.t.ctx.db, {
    actor: systemActor,
    subjectType: 'dispatch_order',
    subjectId: orderId,
    clueId,
    kind: 'dispatch.order.completed',
    payload: { orderId, number: `DD${orderId}`, module: 'inspection', outcome, summary: '办结' },
  });

let findingSeq = 0;
const finding = (detector: string, status: string, clueId: number | null) =>
  bed.t.ctx.db
    .insertInto('analysis_finding')
    .values({
      detector: detector as 'repeat_complaints',
      finding_key: `test:${++findingSeq}`,
      title: '测试发现',
      evidence: json({}),
      entity_id: null,
      grid_id: null,
      business_line: null,
      department_id: null,
      clue_id: clueId,
      status: status as 'open',
      handled_by: null,
      handled_at: null,
      note: null,
    })
    .execute();

/** Run queued jobs until none is left (the report job, and whatever intake queued). */
async function drainJobs() {
  for (let i = 0; i < 20; i++) if ((await bed.t.ctx.jobs.claimAndRun(bed.t.ctx, 5)) === 0) return;
}

beforeAll(async () => {
  bed = await startCluesTestBed();
  officerA = await bed.as('officerA');
  analyst = await bed.as('analyst');
  for (let i = 0; i < 8; i++) {
    const res = await officerA(
      'POST',
      '/api/clues',
      phoneCall({ content: `第 ${i + 1} 条：城东熟食店的熟食过期变质，要求处理。` }),
    );
    expect(res.statusCode, res.body).toBe(201);
    clue.push((res.json() as { id: number }).id);
  }
  const [c1, c2, c3, c4, c5, c6, c7, c8] = clue as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Suggestions vs judgments (analyst's value is the truth).
  await judge(
    c1,
    ['complaint', '食品', 'goods.food', 'inspection'],
    sugg('complaint', '食品', 'goods.food', 'inspection', 0.95),
  );
  await judge(
    c2,
    ['complaint', '食品', 'goods.food', 'enforcement'],
    sugg('complaint', '食品', 'goods.food', 'inspection', 0.8),
  );
  await judge(
    c3,
    ['report', '特种设备', 'services.public_facility', 'enforcement'],
    sugg('report', '食品', 'goods.food', 'enforcement', 0.6),
  );
  await judge(
    c4,
    ['inquiry', '计量', 'services.sales', 'direct'],
    sugg('inquiry', '计量', 'services.sales', 'direct', 0.4),
  );
  await judge(
    c5,
    ['complaint', '计量', 'services.sales', 'reject'],
    sugg('complaint', '计量', 'services.sales', 'direct', 0.92),
  );
  await judge(c6, ['complaint', '食品', 'goods.food', 'inspection'], null);
  // Outcomes on the ground (指挥调度's contract event) and a reopened direct answer.
  await completed(c1, 101, 'violation');
  await completed(c2, 102, 'no_violation');
  await completed(c3, 103, 'violation');
  await completed(c6, 106, 'violation'); // no suggestion: not the model's
  await appendEvent(bed.t.ctx.db, {
    actor: systemActor,
    subjectType: 'clue',
    subjectId: c4,
    clueId: c4,
    kind: 'clue.reopen',
    payload: { reason: '群众不满意' },
  });
  // Detectors.
  await finding('repeat_complaints', 'confirmed', c1);
  await finding('repeat_complaints', 'dismissed', null);
  await finding('repeat_complaints', 'open', null);
  await finding('licence_expiry', 'confirmed', c5);
  // 分拣确认: one that changed a field (a correction), one that did not.
  await bed.t.ctx.db
    .insertInto('clue_sort_feedback')
    .values([
      {
        clue_id: c7,
        suggested: json({ kind: 'complaint' }),
        confirmed: json({ kind: 'report', businessLine: '食品', category12315: 'goods.food' }),
        changed_fields: ['kind'],
        classifier: 'test',
        actor_id: null,
      },
      {
        clue_id: c8,
        suggested: json({ kind: 'complaint' }),
        confirmed: json({ kind: 'complaint' }),
        changed_fields: [],
        classifier: 'test',
        actor_id: null,
      },
    ])
    .execute();
});
afterAll(async () => {
  await bed?.close();
});

describe('研判复盘 report', () => {
  let report: ReviewDetail;

  it('is generated as a job: POST answers 202, the report is pending until the job ran', async () => {
    const res = await analyst('POST', '/api/analysis/review', period);
    expect(res.statusCode, res.body).toBe(202);
    const accepted = res.json() as ReviewAccepted;
    expect(accepted.jobId).toBeGreaterThan(0);
    const pending = (
      await analyst('GET', `/api/analysis/review/${accepted.reportId}`)
    ).json() as ReviewDetail;
    expect(pending).toMatchObject({ status: 'pending', figures: null, from: yesterday, to: today });
    // A second request while one is being generated is refused.
    const again = await analyst('POST', '/api/analysis/review', period);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'REVIEW_BUSY' });
    await drainJobs();
    const res2 = await analyst('GET', `/api/analysis/review/${accepted.reportId}`);
    expect(res2.statusCode, res2.body).toBe(200);
    report = res2.json() as ReviewDetail;
    expect(report.status).toBe('done');
    expect(report.generatedByName).toBe('analyst');
  });

  it('compares suggestions with judgments: accuracy, per-class figures, confusion cells, calibration', () => {
    const j = report.figures!.judgments;
    expect(j.total).toBe(6);
    expect(j.withSuggestion).toBe(5);
    expect(j.followedAll).toBe(0.4);
    expect(j.fields.kind.accuracy).toBe(1);
    expect(j.fields.line).toMatchObject({ n: 5, accuracy: 0.8 });
    const line = j.fields.line;
    const cell = (truth: string, pred: string) =>
      line.confusion.matrix[line.confusion.labels.indexOf(truth)]![line.confusion.labels.indexOf(pred)];
    expect(cell('特种设备', '食品')).toBe(1);
    expect(cell('食品', '食品')).toBe(2);
    expect(cell('计量', '计量')).toBe(2);
    expect(line.perClass.find((c) => c.label === '食品')).toEqual({
      label: '食品',
      precision: 0.6667,
      recall: 1,
      f1: 0.8,
      support: 2,
    });
    expect(line.perClass.find((c) => c.label === '特种设备')).toMatchObject({
      precision: 0,
      recall: 0,
      support: 1,
    });
    const d = j.fields.disposal;
    expect(d.accuracy).toBe(0.6);
    const dcell = (truth: string, pred: string) =>
      d.confusion.matrix[d.confusion.labels.indexOf(truth)]![d.confusion.labels.indexOf(pred)];
    expect(dcell('enforcement', 'inspection')).toBe(1);
    expect(dcell('reject', 'direct')).toBe(1);
    expect(dcell('inspection', 'inspection')).toBe(1);
    expect(j.calibration.map((b) => [b.key, b.n, b.accuracy])).toEqual([
      ['0-0.5', 1, 1],
      ['0.5-0.7', 1, 0],
      ['0.7-0.9', 1, 0],
      ['0.9-1', 2, 0.5],
    ]);
    expect(j.calibration[3]!.meanConfidence).toBe(0.935);
    expect(report.lineAccuracy).toBe(0.8);
  });

  it('compares suggestions with outcomes: violations found after 检查/核查, reopened direct answers', () => {
    const o = report.figures!.outcomes;
    expect(o.dispatched).toEqual([
      { disposal: 'inspection', n: 2, hits: 1, rate: 0.5, agreed: 1 },
      { disposal: 'enforcement', n: 1, hits: 1, rate: 1, agreed: 1 },
    ]);
    expect(o.closed).toEqual([
      { disposal: 'direct', n: 1, hits: 1, rate: 1, agreed: 1 },
      { disposal: 'reject', n: 1, hits: 0, rate: 0, agreed: 0 },
    ]);
  });

  it('counts each detector from finding to violation, with its hit rate', () => {
    const rows = report.figures!.detectors;
    expect(rows.map((r) => r.detector)).toEqual([
      'repeat_complaints',
      'line_spike',
      'licence_expiry',
      'credit_event',
    ]);
    expect(rows[0]).toEqual({
      detector: 'repeat_complaints',
      raised: 3,
      open: 1,
      confirmed: 1,
      dismissed: 1,
      cluesRaised: 1,
      judged: 1,
      dispatched: 1,
      violations: 1,
      confirmRate: 0.5,
      hitRate: 0.3333,
    });
    expect(rows[2]).toMatchObject({
      raised: 1,
      confirmed: 1,
      judged: 1,
      dispatched: 0,
      violations: 0,
      hitRate: 0,
    });
    expect(rows[1]).toMatchObject({ raised: 0, hitRate: 0 });
  });

  it('trains nothing with fewer corrections than the setting asks, and says so', async () => {
    const t = report.figures!.training;
    expect(t).toMatchObject({
      status: 'insufficient',
      corrections: 4,
      minCorrections: 20,
      activated: false,
      version: null,
    });
    expect(t.message).toContain(INSUFFICIENT_MESSAGE);
    expect(report.modelActivated).toBe(false);
    const list = (await analyst('GET', '/api/analysis/review')).json() as { items: ReviewSummary[] };
    expect(list.items[0]).toMatchObject({
      id: report.id,
      lineAccuracy: 0.8,
      judgments: 6,
      modelActivated: false,
    });
    expect(list.items[0]!.modelDecision).toContain(INSUFFICIENT_MESSAGE);
  });

  it('exports the report as xlsx and audits the export', async () => {
    const res = await analyst('GET', `/api/analysis/review/${report.id}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '概览',
      '建议与研判',
      '混淆矩阵',
      '置信度校准',
      '处置结果',
      '模式发现',
      '模型改进',
    ]);
    const confusion = wb.getWorksheet('混淆矩阵')!;
    const rows = confusion.getSheetValues().slice(2) as unknown[][];
    expect(
      rows.some((r) => r[1] === '业务条线' && r[2] === '特种设备' && r[3] === '食品' && r[4] === 1),
    ).toBe(true);
    const audit = await bed.t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'analysis.review.export')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toContain(`${yesterday} 至 ${today}`);
  });
});

describe('improvement loop', () => {
  it('with enough corrections trains a candidate through the model registry and stores both figures', async () => {
    await bed.t.ctx.settings.set({ id: null, name: '测试' }, reviewTrainingSetting, { minCorrections: 4 });
    const row = await bed.t.ctx.db
      .insertInto('analysis_review_report')
      .values({
        period_from: yesterday,
        period_to: today,
        generated_by: null,
        generated_by_name: '系统',
        figures: json(null),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const asLabelled = (xs: ReturnType<typeof sample>): LabelledText[] =>
      xs.map((e) => ({ text: e.text, ...(e.labels as Omit<LabelledText, 'text'>) }));
    await generateReview(bed.t.ctx, Number(row.id), null, {
      train: {
        corpus: { train: asLabelled(sample(11, 30)), test: asLabelled(sample(12, 10)) },
        options: { epochs: 4 },
      },
    });
    const report = (await analyst('GET', `/api/analysis/review/${row.id}`)).json() as ReviewDetail;
    const t = report.figures!.training;
    expect(t.status).toBe('trained');
    expect(t.corrections).toBe(4);
    expect(t.version).toBeTruthy();
    const model = await bed.t.ctx.db
      .selectFrom('analysis_model')
      .select(['version', 'reason', 'trained_on', 'decision', 'auto_activated'])
      .where('version', '=', t.version!)
      .executeTakeFirstOrThrow();
    expect(model.trained_on).toEqual({ corpus: 90, corrections: 4 });
    expect(model.reason).toContain('研判复盘');
    expect(t.activated).toBe(model.auto_activated);
    expect(t.why).toBe(model.decision);
    expect(report.modelActivated).toBe(model.auto_activated);
    // Candidate and active version are measured on the same held-out split.
    expect(t.candidate!.testSize).toBe(30);
    if (t.active) expect(t.active.testSize).toBe(30);
    expect(t.message).toContain(t.version!);
    await bed.t.ctx.settings.set(
      { id: null, name: '测试' },
      reviewTrainingSetting,
      reviewTrainingSetting.default,
    );
  });
});

describe('monthly job', () => {
  it('writes the report of the previous month (China time)', async () => {
    expect(previousMonth(new Date('2026-12-01T04:00:00+08:00'))).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(previousMonth(new Date('2026-03-01T00:10:00+08:00'))).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
    });
    expect(previousMonth(new Date('2027-01-01T04:00:00+08:00'))).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
    });
    // Run it as of the 1st of next month: the previous month is the current one, with this file's judgments.
    const [y, m] = today.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    await bed.t.ctx.jobs.enqueue(bed.t.ctx.db, MONTHLY_JOB, { asOf: `${next}T04:00:00+08:00` });
    await drainJobs();
    const list = (await analyst('GET', '/api/analysis/review')).json() as { items: ReviewSummary[] };
    const monthly = list.items.find((r) => r.trigger === 'monthly')!;
    expect(monthly).toMatchObject({
      from: `${today.slice(0, 7)}-01`,
      status: 'done',
      generatedByName: '系统',
    });
    expect(monthly.to.slice(0, 7)).toBe(today.slice(0, 7));
    expect(monthly.judgments).toBe(6);
  });
});

describe('access and input', () => {
  it('needs the review permissions', async () => {
    expect((await officerA('GET', '/api/analysis/review')).statusCode).toBe(403);
    expect((await officerA('POST', '/api/analysis/review', period)).statusCode).toBe(403);
    expect((await officerA('GET', '/api/analysis/review/1/export')).statusCode).toBe(403);
  });

  it('refuses bad periods with 400 and a Chinese message', async () => {
    const bad = async (body: unknown) => {
      const res = await analyst('POST', '/api/analysis/review', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      return res.json() as { code: string; message: string; details?: { message: string }[] };
    };
    expect(JSON.stringify(await bad({ from: '2026-10-10', to: '2026-10-01' }))).toContain(
      '结束日期不能早于开始日期',
    );
    expect(JSON.stringify(await bad({ from: '2025-01-01', to: '2026-01-02' }))).toContain('最长一年');
    await bad({ from: '2026-02-30', to: '2026-03-01' });
    await bad({ from: '2026/10/01', to: '2026-10-31' });
    await bad({ from: '2026-10-01' });
    await bad({ from: '2026-10-01', to: '2026-10-31', extra: 1 });
    expect((await analyst('GET', '/api/analysis/review/abc')).statusCode).toBe(400);
    expect((await analyst('GET', '/api/analysis/review/999999')).statusCode).toBe(404);
  });
});
