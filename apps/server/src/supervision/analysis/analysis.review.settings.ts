import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

/**
 * 研判复盘: below this many analysts' corrections in a period, the review trains no candidate model — a handful of
 * corrections cannot move the held-out figures, and a version per report would only clutter the registry.
 */
export const reviewTrainingSetting = defineSetting({
  key: 'analysis.review',
  group: 'system',
  label: '研判复盘：模型改进',
  description:
    '定期复盘时，期间内研判人员对模型建议的更正（研判结论、分拣确认）作为训练样本训练候选模型；更正样本少于最少样本数时不训练。候选模型在同一留出集上优于当前版本才启用。',
  schema: z.strictObject({
    minCorrections: z.coerce
      .number()
      .int('应为整数')
      .min(1, '不能小于 1 条')
      .max(100_000, '不能大于 100000 条'),
  }),
  default: { minCorrections: 20 },
  fields: {
    minCorrections: {
      label: '最少更正样本',
      type: 'number',
      unit: '条',
      min: 1,
      max: 100000,
      help: '默认 20 条',
    },
  },
});
