import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

/** 许可证到期预警: the day thresholds of the expiry tags on the 一户一档 (group 'system': 系统管理员). */
export const licenceExpiryWarningSetting = defineSetting({
  key: 'fusion.licenceExpiryWarning',
  group: 'system',
  label: '许可证到期预警',
  description: '许可证在到期前多少天开始预警（三个档次，由近到远，例如 30、60、90 天）。',
  schema: z.strictObject({
    // Coerced: the generated settings form edits a list as text tags.
    days: z
      .array(z.coerce.number().int('应为整数').min(1, '至少 1 天').max(730, '不能超过 730 天'))
      .length(3, '应填写三个档次')
      .refine(([a = 0, b = 0, c = 0]) => a < b && b < c, '三个档次应由近到远递增'),
  }),
  default: { days: [30, 60, 90] },
  fields: {
    days: {
      label: '预警档次（天）',
      type: 'string[]',
      help: '例如 30、60、90：到期前 30 天内为橙色，60/90 天内为黄色',
    },
  },
});

export type LicenceExpiryWarning = z.infer<typeof licenceExpiryWarningSetting.schema>;
