import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

/**
 * 短信网关: `fake` records each message in the SMS outbox only (tests, demo, a county without a gateway); `http`
 * also posts it to a generic HTTP SMS gateway. The gateway's key is sealed apart (`sms_credential`), never here.
 */
export const smsGatewaySetting = defineSetting({
  key: 'sms.gateway',
  group: 'system',
  label: '短信网关',
  description:
    '答复投诉举报人的短信经此发送。“仅记录”只写入短信发件箱（演示与测试）；“HTTP 网关”同时提交到短信服务商接口（密钥在工单对接页单独设置，加密保存）。',
  schema: z.strictObject({
    mode: z.enum(['fake', 'http'], { message: '请选择仅记录或 HTTP 网关' }),
    url: z
      .string()
      .trim()
      .max(500)
      .refine((v) => v === '' || /^https?:\/\/\S+$/.test(v), '网关地址应为 http(s) 地址'),
    account: z.string().trim().max(100, '账号最多 100 个字符'),
    signName: z.string().trim().max(20, '签名最多 20 个字'),
    timeoutMs: z.coerce
      .number()
      .int('应为整数')
      .min(500, '不能少于 500 毫秒')
      .max(60_000, '不能超过 60000 毫秒'),
  }),
  default: { mode: 'fake', url: '', account: '', signName: '市场监管', timeoutMs: 5000 },
  fields: {
    mode: {
      label: '发送方式',
      type: 'enum',
      options: [
        { value: 'fake', label: '仅记录（不实际发送）' },
        { value: 'http', label: 'HTTP 网关' },
      ],
    },
    url: { label: '网关地址', type: 'string' },
    account: { label: '账号', type: 'string' },
    signName: { label: '短信签名', type: 'string', help: '如“某县市场监管”，由服务商报备' },
    timeoutMs: { label: '超时', type: 'number', unit: '毫秒', min: 500, max: 60000 },
  },
});
