import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

const count = (max: number) =>
  z.coerce.number().int('应为整数').min(1, '不能小于 1').max(max, `不能大于 ${max}`);

/** 公众提交限流: how often one address may submit, query progress and fetch a challenge (counted on every node). */
export const publicIntakeSetting = defineSetting({
  key: 'clues.publicIntake',
  group: 'security',
  label: '公众提交限流',
  description:
    '公众投诉举报入口（网上提交、Open311）按来源 IP 限流，超出后返回“提交过于频繁，请稍后再试”；计数保存在数据库中，多台服务器共用。',
  schema: z
    .strictObject({
      perMinute: count(1000),
      perDay: count(100_000),
      queryPerMinute: count(1000),
      challengePerMinute: count(1000),
      challengeMinutes: count(60),
      open311PerMinute: count(10_000),
      open311PerDay: count(1_000_000),
    })
    .refine((v) => v.perMinute <= v.perDay, '每日上限不能小于每分钟上限'),
  default: {
    perMinute: 5,
    perDay: 30,
    queryPerMinute: 20,
    challengePerMinute: 30,
    challengeMinutes: 10,
    open311PerMinute: 60,
    open311PerDay: 5000,
  },
  fields: {
    perMinute: {
      label: '每分钟提交上限',
      type: 'number',
      unit: '次/IP',
      min: 1,
      max: 1000,
      help: '默认 5 次',
    },
    perDay: {
      label: '每日提交上限',
      type: 'number',
      unit: '次/IP',
      min: 1,
      max: 100_000,
      help: '默认 30 次',
    },
    queryPerMinute: {
      label: '每分钟进度查询上限',
      type: 'number',
      unit: '次/IP',
      min: 1,
      max: 1000,
      help: '查询码错误也计数，防止猜测查询码；默认 20 次',
    },
    challengePerMinute: { label: '每分钟获取验证码上限', type: 'number', unit: '次/IP', min: 1, max: 1000 },
    challengeMinutes: {
      label: '验证码有效期',
      type: 'number',
      unit: '分钟',
      min: 1,
      max: 60,
      help: '默认 10 分钟',
    },
    open311PerMinute: {
      label: 'Open311 每分钟提交上限',
      type: 'number',
      unit: '次/接入方',
      min: 1,
      max: 10_000,
      help: '每个 Open311 接入方（api_key）分别计数；默认 60 次',
    },
    open311PerDay: {
      label: 'Open311 每日提交上限',
      type: 'number',
      unit: '次/接入方',
      min: 1,
      max: 1_000_000,
    },
  },
});
