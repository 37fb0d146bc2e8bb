import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

/**
 * Thresholds of the pattern detectors (docs/analysis-patterns.md). Versioned rules: a run applies the version in
 * force on its day, so a finding can always be explained by the numbers that raised it (they are in its evidence).
 */
const int = (min: number, max: number, unit = '') =>
  z.coerce.number().int('应为整数').min(min, `不能小于 ${min}${unit}`).max(max, `不能大于 ${max}${unit}`);

const maxPerRun = int(1, 5000);
const maxPerRunField = {
  label: '每次最多发现',
  type: 'number' as const,
  unit: '条',
  min: 1,
  max: 5000,
  help: '一次检测最多生成的线索数，其余留待下次检测（防止首次启用时一次生成大量线索）',
};

export const repeatComplaintsSetting = defineSetting({
  key: 'analysis.repeatComplaints',
  group: 'system',
  label: '研判规则：重复投诉举报',
  description:
    '同一经营主体在时间窗口内被投诉、举报达到次数阈值时，生成一条研判分析线索。同一轮集中投诉只生成一次；窗口结束后再次集中出现的，可以再次生成。',
  versioned: true,
  schema: z.strictObject({
    minCount: int(2, 100, ' 次'),
    windowDays: int(1, 365, ' 天'),
    maxPerRun,
  }),
  default: { minCount: 3, windowDays: 30, maxPerRun: 200 },
  fields: {
    minCount: { label: '次数阈值', type: 'number', unit: '次', min: 2, max: 100, help: '默认 3 次' },
    windowDays: { label: '时间窗口', type: 'number', unit: '天', min: 1, max: 365, help: '默认 30 天' },
    maxPerRun: maxPerRunField,
  },
});

export const lineSpikeSetting = defineSetting({
  key: 'analysis.lineSpike',
  group: 'system',
  label: '研判规则：条线异常增长',
  description:
    '按自然周（ISO 周）统计各网格（或市场监管所）每个业务条线的线索数，与此前若干周的平均数比较：按泊松分布计算出现不少于本周数量的概率，小于显著性水平且本周数量不少于最低数量时，生成一条研判分析线索。',
  versioned: true,
  schema: z.strictObject({
    level: z.enum(['grid', 'station'], { message: '请选择网格或市场监管所' }),
    baselineWeeks: int(2, 52, ' 周'),
    alpha: z.coerce.number().gt(0, '应大于 0').max(0.2, '不能大于 0.2'),
    minCount: int(1, 1000, ' 条'),
    maxPerRun,
  }),
  default: {
    level: 'grid' as 'grid' | 'station',
    baselineWeeks: 8,
    alpha: 0.01,
    minCount: 5,
    maxPerRun: 200,
  },
  fields: {
    level: {
      label: '统计范围',
      type: 'enum',
      options: [
        { value: 'grid', label: '网格' },
        { value: 'station', label: '市场监管所' },
      ],
    },
    baselineWeeks: { label: '基线周数', type: 'number', unit: '周', min: 2, max: 52, help: '默认此前 8 周' },
    alpha: { label: '显著性水平', type: 'number', min: 0.0001, max: 0.2, help: '默认 0.01' },
    minCount: {
      label: '最低数量',
      type: 'number',
      unit: '条',
      min: 1,
      max: 1000,
      help: '本周至少多少条，默认 5',
    },
    maxPerRun: maxPerRunField,
  },
});

export const licenceExpirySetting = defineSetting({
  key: 'analysis.licenceExpiry',
  group: 'system',
  label: '研判规则：许可证到期',
  description:
    '存续的经营主体持有的许可证在若干天内到期且没有延续（同类许可证没有更晚的有效期），或已经过期仍在存续经营时，生成一条研判分析线索。',
  versioned: true,
  schema: z.strictObject({
    withinDays: int(1, 365, ' 天'),
    expiredWithinDays: int(0, 3650, ' 天'),
    maxPerRun,
  }),
  default: { withinDays: 30, expiredWithinDays: 90, maxPerRun: 200 },
  fields: {
    withinDays: { label: '到期前', type: 'number', unit: '天', min: 1, max: 365, help: '默认 30 天内到期' },
    expiredWithinDays: {
      label: '已过期回溯',
      type: 'number',
      unit: '天',
      min: 0,
      max: 3650,
      help: '过期多久以内的许可证仍然生成线索，默认 90 天（更早的应已在此前的检测中发现）',
    },
    maxPerRun: maxPerRunField,
  },
});

export const creditEventSetting = defineSetting({
  key: 'analysis.creditEvent',
  group: 'system',
  label: '研判规则：信用事件',
  description:
    '经营主体新被列入严重违法失信名单或经营异常名录（决定日期在回溯天数内、尚未移出），且仍有未办结线索或有效许可证时，生成一条研判分析线索。',
  versioned: true,
  schema: z.strictObject({
    lookbackDays: int(1, 365, ' 天'),
    includeAbnormal: z.boolean({ message: '应为是或否' }),
    maxPerRun,
  }),
  default: { lookbackDays: 30, includeAbnormal: true, maxPerRun: 200 },
  fields: {
    lookbackDays: { label: '回溯天数', type: 'number', unit: '天', min: 1, max: 365, help: '默认 30 天' },
    includeAbnormal: { label: '包括经营异常名录', type: 'boolean', help: '关闭时只看严重违法失信名单' },
    maxPerRun: maxPerRunField,
  },
});

export const FINDING_SETTINGS = [
  repeatComplaintsSetting,
  lineSpikeSetting,
  licenceExpirySetting,
  creditEventSetting,
] as const;
