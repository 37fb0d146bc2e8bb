import { z } from 'zod';
import {
  defineSetting,
  type SettingDefinition,
  type SettingField,
  type SettingValue,
} from '../../platform/settings/settings.define.ts';
import type { RiskIndicator } from './risk.indicator.ts';
import { RISK_INDICATORS } from './risk.registry.ts';

export type RiskClass = 'A' | 'B' | 'C' | 'D';
export const RISK_MODEL_KEY = 'fusion.riskModel';
export const DEFAULT_THRESHOLDS = [10, 30, 60] as const;

/** Property names of one indicator in the model setting (flat, so the generated settings form can edit them). */
export const weightKey = (i: Pick<RiskIndicator, 'key'>) => `${i.key}Weight`;
export const capKey = (i: Pick<RiskIndicator, 'key'>) => `${i.key}Cap`;

const wholeNumber = (label: string, min: number, max: number, unit: string) =>
  z
    .number({ error: `请填写${label}` })
    .int('应为整数')
    .min(min, min === 0 ? '不能为负数' : `不能小于 ${min} ${unit}`)
    .max(max, `不能大于 ${max} ${unit}`);

/**
 * 信用风险分类模型 as a versioned setting, generated from the indicator registry: which indicators count, each one's
 * weight (and cap for counting ones), the indicators' parameters, and the score bounds of B, C and D. A new
 * version takes effect on its date; the nightly recomputation applies the version in force that day.
 */
export function buildRiskModelSetting(indicators: readonly RiskIndicator[]): SettingDefinition<SettingValue> {
  const keys = indicators.map((i) => i.key) as [string, ...string[]];
  const shape: Record<string, z.ZodType> = {
    thresholds: z
      // Coerced: the generated settings form edits a list as text tags.
      .array(z.coerce.number('应为数字').int('应为整数').min(1, '至少 1 分').max(1000, '不能超过 1000 分'))
      .length(3, '应填写三个分界（B、C、D 类的起点）')
      .refine((t) => t.length !== 3 || (t[0]! < t[1]! && t[1]! < t[2]!), '三个分界应由低到高递增'),
    enabled: z.array(z.enum(keys, { error: '包含未知的指标' })),
  };
  const defaults: SettingValue = { thresholds: [...DEFAULT_THRESHOLDS], enabled: [...keys] };
  const fields: Record<string, SettingField> = {
    thresholds: {
      label: '分类分界（分）',
      type: 'string[]',
      help: '三个数由低到高：B、C、D 类的起点。默认 10、30、60：低于 10 分为 A 类（信用风险低），10–29 分 B 类（一般），30–59 分 C 类（较高），60 分及以上 D 类（高）。',
    },
    enabled: {
      label: '启用的指标',
      type: 'string[]',
      options: indicators.map((i) => ({ value: i.key, label: i.label })),
      help: '未启用的指标不计分。',
    },
  };
  for (const i of indicators) {
    const unit = i.counting ? `分/${i.counting.unit}` : '分';
    shape[weightKey(i)] = wholeNumber('分值', 0, 100, '分');
    defaults[weightKey(i)] = i.defaultWeight;
    fields[weightKey(i)] = {
      label: `${i.label}：分值`,
      type: 'number',
      unit,
      min: 0,
      max: 100,
      help: i.description,
    };
    if (i.counting) {
      shape[capKey(i)] = wholeNumber('封顶分', 1, 100, '分');
      defaults[capKey(i)] = i.counting.defaultCap;
      fields[capKey(i)] = {
        label: `${i.label}：封顶`,
        type: 'number',
        unit: '分',
        min: 1,
        max: 100,
        help: '该项最多计这么多分，无论发生多少次。',
      };
    }
    for (const p of i.params ?? []) {
      shape[p.key] = wholeNumber(p.label, p.min, p.max, p.unit);
      defaults[p.key] = p.default;
      fields[p.key] = {
        label: p.label,
        type: 'number',
        unit: p.unit,
        min: p.min,
        max: p.max,
        ...(p.help ? { help: p.help } : {}),
      };
    }
  }
  return defineSetting<SettingValue>({
    key: RISK_MODEL_KEY,
    group: 'system',
    label: '信用风险分类模型',
    description:
      '按指标加权计分并分为 A（信用风险低）、B（一般）、C（较高）、D（高）四类，参照总局企业信用风险分类管理。默认分值为示例【未经核实，应按本局规则调整】；新版本自生效日期起由每晚的重新计算采用。',
    versioned: true,
    schema: z.strictObject(shape) as unknown as z.ZodType<SettingValue>,
    default: defaults,
    fields,
  });
}

export const riskModelSetting = buildRiskModelSetting(RISK_INDICATORS);

export interface ModelIndicator {
  indicator: RiskIndicator;
  weight: number;
  /** Null for flags (value 0/1). */
  cap: number | null;
}

/** The model as computation uses it: enabled indicators with their weights, parameters, and class bounds. */
export interface RiskModel {
  thresholds: [number, number, number];
  indicators: ModelIndicator[];
  /** Every indicator (enabled or not) with its weight and cap, for the overview. */
  all: (ModelIndicator & { enabled: boolean })[];
  params: Record<string, number>;
}

export function readModel(
  value: SettingValue,
  indicators: readonly RiskIndicator[] = RISK_INDICATORS,
): RiskModel {
  const num = (k: string, fallback: number) =>
    typeof value[k] === 'number' ? (value[k] as number) : fallback;
  const enabled = new Set(
    Array.isArray(value.enabled) ? (value.enabled as string[]) : indicators.map((i) => i.key),
  );
  const t = Array.isArray(value.thresholds)
    ? (value.thresholds as number[]).map(Number)
    : [...DEFAULT_THRESHOLDS];
  const all = indicators.map((indicator) => ({
    indicator,
    enabled: enabled.has(indicator.key),
    weight: num(weightKey(indicator), indicator.defaultWeight),
    cap: indicator.counting ? num(capKey(indicator), indicator.counting.defaultCap) : null,
  }));
  const params: Record<string, number> = {};
  for (const i of indicators) for (const p of i.params ?? []) params[p.key] = num(p.key, p.default);
  return {
    thresholds: [t[0] ?? 10, t[1] ?? 30, t[2] ?? 60],
    indicators: all.filter((m) => m.enabled).map(({ enabled: _, ...m }) => m),
    all,
    params,
  };
}

/** Points of one indicator: value × weight, capped for counting indicators. */
export function pointsOf(value: number, m: Pick<ModelIndicator, 'weight' | 'cap'>): number {
  const raw = value * m.weight;
  return m.cap === null ? raw : Math.min(raw, m.cap);
}

/** A below the first bound, B from it, C from the second, D from the third. */
export function classify(score: number, [b, c, d]: readonly [number, number, number]): RiskClass {
  if (score >= d) return 'D';
  if (score >= c) return 'C';
  if (score >= b) return 'B';
  return 'A';
}
