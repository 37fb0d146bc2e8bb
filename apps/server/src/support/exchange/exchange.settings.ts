import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

/** 数据交换时效: when the quality view calls a source's data ageing, then stale (age of its newest record). */
export const exchangeFreshnessSetting = defineSetting({
  key: 'exchange.freshness',
  group: 'system',
  label: '数据交换时效',
  description:
    '数据质量页按数据源最新一条记录的更新时间（无更新时间时按最近一次导入）判断时效：超过第一个时限为“偏旧”，超过第二个为“陈旧”。',
  schema: z
    .strictObject({
      agingAfterHours: z.coerce
        .number()
        .int('应为整数')
        .min(1, '至少 1 小时')
        .max(8760, '不能超过 8760 小时'),
      staleAfterHours: z.coerce
        .number()
        .int('应为整数')
        .min(1, '至少 1 小时')
        .max(8760, '不能超过 8760 小时'),
    })
    .refine((v) => v.agingAfterHours < v.staleAfterHours, '“陈旧”时限应大于“偏旧”时限'),
  default: { agingAfterHours: 48, staleAfterHours: 168 },
  fields: {
    agingAfterHours: {
      label: '偏旧时限',
      type: 'number',
      unit: '小时',
      min: 1,
      max: 8760,
      help: '默认 48 小时',
    },
    staleAfterHours: {
      label: '陈旧时限',
      type: 'number',
      unit: '小时',
      min: 1,
      max: 8760,
      help: '默认 168 小时（7 天）',
    },
  },
});
