import { describe, expect, it } from 'vitest';
import type { RiskIndicator } from './risk.indicator.ts';
import { minusMonths } from './risk.indicator.ts';
import {
  buildRiskModelSetting,
  capKey,
  classify,
  pointsOf,
  readModel,
  riskModelSetting,
  weightKey,
} from './risk.model.ts';
import { RISK_INDICATORS } from './risk.registry.ts';

describe('classes from scores', () => {
  it('maps scores to A/B/C/D at the default bounds 10, 30, 60', () => {
    const bounds = [10, 30, 60] as const;
    expect([0, 9, 10, 29, 30, 59, 60, 150].map((s) => classify(s, bounds))).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
    ]);
    expect(classify(20, [5, 15, 20])).toBe('D');
  });

  it('multiplies occurrences by the weight and stops at the cap', () => {
    expect(pointsOf(1, { weight: 30, cap: null })).toBe(30);
    expect(pointsOf(3, { weight: 4, cap: null })).toBe(12);
    expect(pointsOf(2, { weight: 10, cap: 30 })).toBe(20);
    expect(pointsOf(7, { weight: 10, cap: 30 })).toBe(30);
  });

  it('counts years back on the calendar, 29 February falling back to the 28th', () => {
    expect(minusMonths('2026-06-15', 36)).toBe('2023-06-15');
    expect(minusMonths('2028-02-29', 12)).toBe('2027-02-28');
    expect(minusMonths('2026-01-31', 1)).toBe('2025-12-31');
  });
});

describe('the 信用风险分类模型 setting', () => {
  it('offers every registered indicator with a weight, counting ones with a cap', () => {
    const keys = RISK_INDICATORS.map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    const fields = Object.keys(riskModelSetting.fields);
    expect(new Set(fields).size).toBe(fields.length);
    for (const i of RISK_INDICATORS) {
      expect(riskModelSetting.fields[weightKey(i)]?.label).toBe(`${i.label}：分值`);
      expect(fields.includes(capKey(i))).toBe(i.counting !== undefined);
    }
    expect(riskModelSetting.versioned).toBe(true);
    expect(riskModelSetting.schema.safeParse(riskModelSetting.default).success).toBe(true);
    expect(readModel(riskModelSetting.default).thresholds).toEqual([10, 30, 60]);
  });

  it('grows by itself when a module registers an indicator', () => {
    const complaints: RiskIndicator = {
      key: 'complaints',
      label: '投诉举报',
      description: '近一年被投诉举报并查实的次数。',
      defaultWeight: 5,
      counting: { unit: '次', defaultCap: 20 },
      compute: async () => new Map(),
    };
    const def = buildRiskModelSetting([...RISK_INDICATORS, complaints]);
    expect(def.fields.complaintsWeight).toMatchObject({ label: '投诉举报：分值', unit: '分/次' });
    expect(def.default).toMatchObject({ complaintsWeight: 5, complaintsCap: 20 });
    expect((def.default.enabled as string[]).at(-1)).toBe('complaints');
  });

  it('rejects bounds that do not increase, negative weights and unknown indicators, in Chinese', () => {
    const issues = (patch: Record<string, unknown>) => {
      const r = riskModelSetting.schema.safeParse({ ...riskModelSetting.default, ...patch });
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(issues({ thresholds: [30, 10, 60] })).toEqual(['三个分界应由低到高递增']);
    expect(issues({ thresholds: ['10', '30'] })).toEqual(['应填写三个分界（B、C、D 类的起点）']);
    expect(issues({ abnormalOperationWeight: -5 })).toEqual(['不能为负数']);
    expect(issues({ administrativePenaltyCap: 0 })).toEqual(['不能小于 1 分']);
    expect(issues({ seriousViolationWeight: null })).toEqual(['请填写分值']);
    expect(issues({ enabled: ['seriousViolation', 'horoscope'] })).toEqual(['包含未知的指标']);
    expect(issues({ penaltyYears: 0 })).toEqual(['不能小于 1 年']);
    // The settings form sends the bounds as text tags.
    expect(issues({ thresholds: ['5', '20', '50'] })).toEqual([]);
  });

  it('leaves disabled indicators out of the computation but keeps them in view', () => {
    const model = readModel({
      ...riskModelSetting.default,
      enabled: ['seriousViolation'],
      seriousViolationWeight: 80,
    });
    expect(model.indicators.map((m) => [m.indicator.key, m.weight])).toEqual([['seriousViolation', 80]]);
    expect(model.all.filter((m) => !m.enabled)).toHaveLength(RISK_INDICATORS.length - 1);
  });
});
