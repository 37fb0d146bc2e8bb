import { z } from 'zod';
import { defineSetting } from '../settings/settings.define.ts';

/** 我的待办: how long before its due time an item turns orange (临近截止). Overdue items are red. */
export const inboxDueSoonSetting = defineSetting({
  key: 'inbox.dueSoon',
  group: 'system',
  label: '待办临近截止',
  description: '待办事项在截止时间前多少小时起标为“临近截止”（橙色）；超过截止时间标为“已逾期”（红色）。',
  schema: z.strictObject({
    warnHours: z.coerce.number().int('应为整数').min(1, '至少 1 小时').max(720, '不能超过 720 小时'),
  }),
  default: { warnHours: 24 },
  fields: {
    warnHours: { label: '提前小时数', type: 'number', unit: '小时', min: 1, max: 720, help: '默认 24 小时' },
  },
});
