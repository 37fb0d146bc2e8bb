import { z } from 'zod';
import { defineSetting } from '../settings/settings.define.ts';

/**
 * When a running deadline raises 预警: once this share of its time (working or natural days, extensions included)
 * has been used. 2/3 by default (issue 5 §5); `warnNumerator / warnDenominator` keeps thirds exact.
 */
export const deadlineWarningSetting = defineSetting({
  key: 'deadlines.warning',
  group: 'system',
  label: '时限预警',
  description: '法定时限用去多大比例时发出预警（例如 2/3：7 个工作日的时限在第 5 个工作日预警）。',
  schema: z
    .strictObject({
      warnNumerator: z.number().int('应为整数').min(1, '不能小于 1').max(99, '不能大于 99'),
      warnDenominator: z.number().int('应为整数').min(2, '不能小于 2').max(100, '不能大于 100'),
    })
    .refine((v) => v.warnNumerator < v.warnDenominator, '分子应小于分母'),
  default: { warnNumerator: 2, warnDenominator: 3 },
  fields: {
    warnNumerator: {
      label: '已用时间比例（分子）',
      type: 'number',
      min: 1,
      max: 99,
      help: '与分母一起表示比例，默认 2/3。',
    },
    warnDenominator: { label: '已用时间比例（分母）', type: 'number', min: 2, max: 100 },
  },
});

export type DeadlineWarning = z.infer<typeof deadlineWarningSetting.schema>;
