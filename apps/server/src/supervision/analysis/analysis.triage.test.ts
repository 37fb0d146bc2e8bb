import { BUSINESS_LINES, CATEGORIES_12315, DISPOSAL_CODES } from '@rongjian/shared';
import { clueKindSchema } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneCall, startCluesTestBed } from '../../../test/clues-support.ts';
import { evaluateModel, predictWithModel } from './analysis.model.ts';
import { corpusSplits, readCorpus } from './analysis.model.registry.ts';
import { MODEL_SUGGEST_MIN_CONFIDENCE } from './analysis.triage.classifier.ts';
import {
  ensureTriageModel,
  loadModelFile,
  predictTriage,
  shippedModelPath,
  type TriagePrediction,
} from './analysis.triage.ts';

function expectValid(p: TriagePrediction) {
  expect(clueKindSchema.options).toContain(p.kind.value);
  expect(BUSINESS_LINES).toContain(p.line.value);
  expect(Object.keys(CATEGORIES_12315)).toContain(p.category.value);
  expect(DISPOSAL_CODES).toContain(p.disposal.value);
  for (const c of [p.kind, p.line, p.category, p.disposal]) {
    expect(c.confidence).toBeGreaterThanOrEqual(0);
    expect(c.confidence).toBeLessThanOrEqual(1);
    expect(c.label).toBeTruthy();
  }
  expect(p.confidence).toBe(
    Math.min(p.kind.confidence, p.line.confidence, p.category.confidence, p.disposal.confidence),
  );
}

describe('the shipped model on the held-out split', () => {
  const shipped = loadModelFile(shippedModelPath());
  const { test } = corpusSplits(readCorpus());
  const figures = evaluateModel(shipped, test);

  it('reaches business-line macro-F1 ≥ 0.85 on texts it never saw', () => {
    expect(test.length).toBeGreaterThan(500);
    expect(figures.line.macroF1).toBeGreaterThanOrEqual(0.85);
    expect(figures.line.perClass).toHaveLength(15);
    // The figures stored in the file are the ones a fresh evaluation gives.
    expect(shipped.figures?.heads.line.macroF1).toBe(figures.line.macroF1);
  });

  it('is calibrated: a confident wrong answer is rarer than a confident right one', () => {
    let right = 0;
    let wrong = 0;
    for (const e of test) {
      const p = predictWithModel(shipped, e.text);
      for (const head of ['kind', 'line', 'category', 'disposal'] as const) {
        if (p[head].confidence < 0.8) continue;
        if (p[head].value === e.labels[head]) right++;
        else wrong++;
      }
    }
    expect(right).toBeGreaterThan(10 * wrong);
    expect(figures.line.ece).toBeLessThan(0.1);
  });

  it('handles English, mixed, empty and very long input without error', () => {
    const inputs = [
      'The elevator in our building is broken and people got trapped',
      '在JD.com买的iPhone 15 Pro是翻新机，要求退一赔三！！',
      '',
      '   ',
      '？？？',
      '食品'.repeat(50_000),
      '😀'.repeat(1000),
    ];
    for (const text of inputs) expectValid(predictTriage(text));
    expect(predictTriage('小区电梯困人半小时，物业不管').line.value).toBe('特种设备');
  });
});

describe('classify route and intake', () => {
  let bed: Awaited<ReturnType<typeof startCluesTestBed>>;
  beforeAll(async () => {
    bed = await startCluesTestBed();
  });
  afterAll(() => bed.close());

  it('imports the shipped model as the first version on first start, once', async () => {
    const a = await ensureTriageModel(bed.t.ctx.db);
    const b = await ensureTriageModel(bed.t.ctx.db);
    expect(a.version).toBe(b.version);
    const rows = await bed.t.ctx.db
      .selectFrom('analysis_model')
      .select(['version', 'active', 'source'])
      .execute();
    expect(rows).toEqual([{ version: a.version, active: true, source: 'shipped' }]);
  });

  it('classifies a text with Chinese labels; refuses empty and oversized text with a Chinese message', async () => {
    const analyst = await bed.as('analyst');
    const ok = await analyst('POST', '/api/analysis/classify', {
      text: '药店没有处方就卖给我处方药，还说是医生同意的，举报这家药店。',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const p = ok.json();
    expect(p.line).toMatchObject({ value: '药品/医疗器械/化妆品', label: '药品/医疗器械/化妆品' });
    expect(p.modelVersion).toBeTruthy();
    expectValid(p);

    const empty = await analyst('POST', '/api/analysis/classify', { text: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.json())).toContain('请填写要分类的文字');
    const long = await analyst('POST', '/api/analysis/classify', { text: '字'.repeat(20_001) });
    expect(long.statusCode).toBe(400);
    expect(JSON.stringify(long.json())).toContain('文字最多 20000 字');
    const extra = await analyst('POST', '/api/analysis/classify', { text: '你好', other: 1 });
    expect(extra.statusCode).toBe(400);
    const missing = await analyst('POST', '/api/analysis/classify', {});
    expect(missing.statusCode).toBe(400);
    const clerk = await bed.as('clerk');
    expect((await clerk('POST', '/api/analysis/classify', { text: '你好' })).statusCode).toBe(403);
  });

  it('fills the sorting fields the rules leave open at intake', async () => {
    const officer = await bed.as('officerA');
    const content = '城东某检测公司给我们出的检测报告是假的，没做实验就盖章，数据全是编的。';
    const res = await officer(
      'POST',
      '/api/clues',
      phoneCall({ kind: 'report', content, respondent: { name: '城东检测公司', address: '城东路 9 号' } }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const d = (await officer('GET', `/api/clues/${res.json().id}`)).json();
    const p = predictTriage(content);
    expect(d.sortSuggestion.classifier).toContain('model');
    if (p.line.confidence >= MODEL_SUGGEST_MIN_CONFIDENCE) {
      expect(d.sortSuggestion.businessLine).toBe(p.line.value);
      expect(d.businessLine).toBe(p.line.value);
    }
    expect(p.line.value).toBe('认证认可/检验检测');
  });
});
