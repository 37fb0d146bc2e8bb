import { z } from 'zod';
import { defineSetting } from '../settings/settings.define.ts';

/** How long audit records stay in the live table (group 'security': edited by the 安全管理员). */
export const auditRetentionSetting = defineSetting({
  key: 'audit.retention',
  group: 'security',
  label: '审计记录保留期限',
  description:
    '审计记录在在线表中保留的天数（不少于 180 天）。超过期限的记录每日移入归档表，仍可检索和校验，不会被删除。',
  schema: z.strictObject({
    days: z.number().int('应为整数').min(180, '不能少于 180 天').max(3650, '不能超过 3650 天'),
  }),
  default: { days: 180 },
  fields: {
    days: { label: '在线保留天数', type: 'number', unit: '天', min: 180, max: 3650 },
  },
});

export type AuditRetention = z.infer<typeof auditRetentionSetting.schema>;
