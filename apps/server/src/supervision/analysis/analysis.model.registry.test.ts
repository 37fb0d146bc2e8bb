import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { caller } from '../../../test/roles-support.ts';
import { createTestApp } from '../../../test/support.ts';
import type { ModelFigures } from './analysis.model.ts';
import { activationDecision, type LabelledText, trainCandidate } from './analysis.model.registry.ts';
import { sample } from './analysis.model.sample.ts';
import { predictTriage } from './analysis.triage.ts';

type T = Awaited<ReturnType<typeof createTestApp>>;
let t: T;
let analyst: ReturnType<typeof caller>;
let dispatcher: ReturnType<typeof caller>;
let analystId: number;

const asLabelled = (xs: ReturnType<typeof sample>): LabelledText[] =>
  xs.map((e) => ({ text: e.text, ...(e.labels as Omit<LabelledText, 'text'>) }));
const test = asLabelled(sample(12, 20));
const full = asLabelled(sample(11, 50));
/** Only two of the three lines: the model cannot know 计量, so its line macro-F1 is poor. */
const weak = full.filter((e) => e.line !== '计量');
const options = { epochs: 6 };

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  analystId = await org.user('analyst', 'analyst');
  await org.user('dispatcher', 'dispatcher');
  analyst = caller(t.app, await login(t.app, 'analyst'));
  dispatcher = caller(t.app, await login(t.app, 'dispatcher'));
});
afterAll(() => t.close());

describe('training and the activation rule', () => {
  it('activates a first version, then only a better one; a version that is not better stays inactive', async () => {
    const actor = { id: analystId, name: 'analyst' };
    const first = await trainCandidate(t.ctx, {
      corrections: [],
      actor,
      reason: '首个版本',
      corpus: { train: weak, test },
      options,
    });
    expect(first.activated).toBe(true);
    expect(first.active).toBeNull();
    expect(first.why).toContain('当前没有启用的模型版本');
    expect(first.candidate.heads.line.macroF1).toBeLessThan(0.8);

    const better = await trainCandidate(t.ctx, {
      corrections: [],
      actor,
      reason: '补充计量样本',
      corpus: { train: full, test },
      options,
    });
    expect(better.activated).toBe(true);
    expect(better.candidate.heads.line.macroF1).toBeGreaterThan(first.candidate.heads.line.macroF1);
    expect(better.active?.heads.line.macroF1).toBe(first.candidate.heads.line.macroF1); // same split, same figures
    expect(better.why).toContain('已启用');
    expect(predictTriage('菜市场电子秤缺斤短两').modelVersion).toBe(better.version);

    const same = await trainCandidate(t.ctx, {
      corrections: [],
      actor,
      reason: '重复训练',
      corpus: { train: full, test },
      options,
    });
    expect(same.activated).toBe(false);
    expect(same.why).toContain('未启用');
    expect(same.why).toContain('持平');
    expect(predictTriage('菜市场电子秤缺斤短两').modelVersion).toBe(better.version);

    const worse = await trainCandidate(t.ctx, {
      corrections: [],
      actor,
      reason: '少了样本',
      corpus: { train: weak, test },
      options,
    });
    expect(worse.activated).toBe(false);
    expect(worse.why).toContain('低于');

    const rows = await t.ctx.db
      .selectFrom('analysis_model')
      .select(['version', 'active', 'auto_activated', 'decision', 'created_by_name'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.active)).toEqual([false, true, false, false]);
    expect(rows.map((r) => r.auto_activated)).toEqual([true, true, false, false]);
    expect(rows[2]!.decision).toBe(same.why);
    const events = await t.ctx.db
      .selectFrom('ledger_event')
      .select(['kind'])
      .where('subject_type', '=', 'analysis_model')
      .execute();
    expect(events.filter((e) => e.kind === 'analysis.model.trained')).toHaveLength(4);
    expect(events.filter((e) => e.kind === 'analysis.model.activated')).toHaveLength(2);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('action', '=', 'analysis.model.train')
      .execute();
    expect(audit).toHaveLength(4);
    expect(audit[2]!.detail).toContain('未启用');
  });

  it('refuses a candidate whose line improves but another field drops by more than 0.01', () => {
    const figs = (line: number, disposal: number): ModelFigures => {
      const h = (m: number) => ({
        accuracy: m,
        macroF1: m,
        perClass: [],
        confusion: { labels: [], matrix: [] },
        ece: 0,
      });
      return {
        version: 'x',
        heads: { kind: h(0.9), line: h(line), category: h(0.8), disposal: h(disposal) },
      };
    };
    const d = activationDecision(figs(0.93, 0.7), figs(0.9, 0.75), '2026.11.29-1');
    expect(d.activate).toBe(false);
    expect(d.why).toContain('处置建议下降 0.050');
    expect(activationDecision(figs(0.93, 0.745), figs(0.9, 0.75)).activate).toBe(true);
    expect(activationDecision(figs(0.9, 0.8), figs(0.9, 0.75)).why).toContain('持平');
  });
});

describe('model routes', () => {
  it('lists versions with figures and the active flag; details carry per-class figures and the confusion matrix', async () => {
    const list = await analyst('GET', '/api/analysis/models');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as {
      id: number;
      active: boolean;
      macroF1: { line: number };
      decision: string;
    }[];
    expect(items).toHaveLength(4);
    expect(items.filter((i) => i.active)).toHaveLength(1);
    const detail = await analyst('GET', `/api/analysis/models/${items[0]!.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const f = detail.json().figures;
    expect(f.heads.line.perClass.map((c: { label: string }) => c.label)).toEqual([
      '食品',
      '特种设备',
      '计量',
    ]);
    expect(f.heads.line.confusion.matrix).toHaveLength(3);
    expect((await analyst('GET', '/api/analysis/models/999999')).statusCode).toBe(404);
    expect((await analyst('GET', '/api/analysis/models/abc')).statusCode).toBe(400);
  });

  it('activates a version by hand: audited, and the process switches to it at once', async () => {
    const items = (await analyst('GET', '/api/analysis/models')).json().items as {
      id: number;
      version: string;
      active: boolean;
    }[];
    const target = items.find((i) => !i.active)!;
    const before = items.find((i) => i.active)!;
    const res = await analyst('POST', `/api/analysis/models/${target.id}/activate`, { reason: '回退对比' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: target.id, active: true, activatedByName: 'analyst' });
    expect(predictTriage('锅炉超期未检').modelVersion).toBe(target.version);
    const again = await analyst('POST', `/api/analysis/models/${target.id}/activate`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已在使用中');
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail', 'result'])
      .where('action', '=', 'analysis:model:activate')
      .orderBy('id')
      .execute();
    expect(audit[0]).toMatchObject({ result: 'success' });
    expect(audit[0]!.detail).toContain(`启用分拣模型 ${target.version}（原为 ${before.version}）`);
    expect(audit.at(-1)).toMatchObject({ result: 'failure' });
  });

  it('checks permissions: reading, training and activating need analysis:model:*, classifying analysis:judgment:read', async () => {
    expect((await dispatcher('GET', '/api/analysis/models')).statusCode).toBe(403);
    expect((await dispatcher('POST', '/api/analysis/models/train', { reason: '试试' })).statusCode).toBe(403);
    expect((await dispatcher('POST', '/api/analysis/models/1/activate', {})).statusCode).toBe(403);
    const c = await dispatcher('POST', '/api/analysis/classify', { text: '超市卖过期牛奶' });
    expect(c.statusCode, c.body).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/analysis/models' })).statusCode).toBe(401);
  });

  it('trains a new version as a job on the corpus; the page follows it to the result and the reason', async () => {
    const bad = await analyst('POST', '/api/analysis/models/train', { reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBeTruthy();
    const res = await analyst('POST', '/api/analysis/models/train', {
      reason: '例行训练',
      includeCorrections: true,
    });
    expect(res.statusCode, res.body).toBe(202);
    const { jobId } = res.json();
    const busy = await analyst('POST', '/api/analysis/models/train', { reason: '再来一次' });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('MODEL_TRAINING_BUSY');
    const pending = await analyst('GET', `/api/analysis/models/training/${jobId}`);
    expect(pending.json()).toMatchObject({ status: 'pending', result: null });

    await t.ctx.jobs.claimAndRun(t.ctx); // the full corpus, once in this file
    const done = await analyst('GET', `/api/analysis/models/training/${jobId}`);
    expect(done.statusCode, done.body).toBe(200);
    const s = done.json();
    expect(s.status, s.error).toBe('succeeded');
    // The active version was trained on three lines only: the corpus version is far better and is activated.
    expect(s.result).toMatchObject({ activated: true });
    expect(s.result.why).toContain('已启用');
    const detail = (await analyst('GET', `/api/analysis/models/${s.result.modelId}`)).json();
    expect(detail.figures.heads.line.macroF1).toBeGreaterThanOrEqual(0.85);
    expect(detail.figures.heads.line.perClass).toHaveLength(15);
    expect(detail.reason).toBe('例行训练');
    expect((await analyst('GET', '/api/analysis/models/training/999999')).statusCode).toBe(404);
  });
});
