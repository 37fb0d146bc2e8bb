import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import { defineSetting, type SettingField } from '../../platform/settings/settings.define.ts';
import type { SettingsService } from '../../platform/settings/settings.service.ts';
import { coerce } from '../../platform/settings/settings.versions.ts';
import type { FieldRule } from './resolution.tables.ts';

const share = (label: string) =>
  z
    .number({ message: `${label}应为数字` })
    .min(0, `${label}不能小于 0`)
    .max(1, `${label}不能大于 1`);

/** 主体识别: how records without a USCC are matched to entities (resolution.score.ts explains the score). */
export const resolutionSetting = defineSetting({
  key: 'fusion.resolution',
  group: 'system',
  label: '主体识别（名称 + 地址匹配）',
  description:
    '没有统一社会信用代码的登记记录按规范化后的名称和地址与已有主体比对：得分达到“自动归并”阈值的直接归入该主体；介于“待人工确认”与“自动归并”之间的先建新主体，并把这一对放入“主体合并”待确认队列；低于“待人工确认”的作为新主体。',
  schema: z
    .strictObject({
      autoThreshold: share('自动归并阈值'),
      queueThreshold: share('待人工确认阈值'),
      nameWeight: share('名称权重'),
      numberMismatchFactor: share('门牌号不一致系数'),
      retrievalMin: share('候选检索下限'),
    })
    .refine((v) => v.queueThreshold < v.autoThreshold, {
      message: '“待人工确认”阈值应小于“自动归并”阈值',
      path: ['queueThreshold'],
    }),
  default: {
    autoThreshold: 0.9,
    queueThreshold: 0.7,
    nameWeight: 0.6,
    numberMismatchFactor: 0.5,
    retrievalMin: 0.2,
  },
  fields: {
    autoThreshold: {
      label: '自动归并阈值',
      type: 'number',
      min: 0,
      max: 1,
      help: '得分（0–1）不低于此值时，记录直接归入已有主体。',
    },
    queueThreshold: {
      label: '待人工确认阈值',
      type: 'number',
      min: 0,
      max: 1,
      help: '得分介于此值与自动归并阈值之间的，放入“主体合并”队列由人工确认或驳回。',
    },
    nameWeight: {
      label: '名称权重',
      type: 'number',
      min: 0,
      max: 1,
      help: '得分 = 名称权重 × 名称相似度 + (1 − 名称权重) × 地址相似度。',
    },
    numberMismatchFactor: {
      label: '门牌号不一致系数',
      type: 'number',
      min: 0,
      max: 1,
      help: '两个地址都有门牌号且不同时，地址相似度乘以此系数（同一条路上的不同店铺）。',
    },
    retrievalMin: {
      label: '候选检索下限',
      type: 'number',
      min: 0,
      max: 1,
      help: '规范化名称的三元组相似度（pg_trgm）达到此值的主体才参与打分。四个字的名称错一个字时约为 0.25；调低会找到更多候选，但导入变慢。',
    },
  },
});
export type ResolutionConfig = z.infer<typeof resolutionSetting.schema>;

/** The groups a conflict rule is set for: lon and lat always come from the same record. */
export const RULE_GROUPS = [
  'uscc',
  'name',
  'type',
  'address',
  'regionCode',
  'establishedOn',
  'status',
  'businessScope',
  'location',
] as const;
export type RuleGroup = (typeof RULE_GROUPS)[number];

const RULE_LABELS: Record<RuleGroup, string> = {
  uscc: '统一社会信用代码',
  name: '名称',
  type: '主体类型',
  address: '住所（经营场所）',
  regionCode: '行政区划',
  establishedOn: '成立日期',
  status: '登记状态',
  businessScope: '经营范围',
  location: '坐标（经纬度）',
};
const ruleSchema = z.enum(['newest', 'trusted', 'manual'], { message: '请选择最新、最可信来源或人工优先' });
const ruleField = (label: string): SettingField => ({
  label,
  type: 'enum',
  options: [
    { value: 'newest', label: '最新（最近收到或更新的记录）' },
    { value: 'trusted', label: '最可信来源（可信度排序最靠前，其次最新）' },
    { value: 'manual', label: '人工优先（人工维护的值胜出，之后不同的来源值列为冲突）' },
  ],
});

const DEFAULT_RULES: Record<RuleGroup, FieldRule> = {
  uscc: 'trusted',
  name: 'trusted',
  type: 'trusted',
  address: 'newest',
  regionCode: 'trusted',
  establishedOn: 'trusted',
  status: 'newest',
  businessScope: 'trusted',
  location: 'newest',
};

/** 字段融合规则: which record gives each registration field of an entity. */
export const fieldRulesSetting = defineSetting({
  key: 'fusion.fieldRules',
  group: 'system',
  label: '字段融合规则',
  description:
    '一个主体有多条来源记录时，每个登记字段取哪条记录的值。“最新”取最近收到（或来源标明最近更新）的记录；“最可信来源”取数据交换中可信度排序最靠前的来源，同级取最新；“人工优先”时人工维护的值始终胜出，之后来源送来的不同值列为冲突，在一户一档的“字段来源”中由人工处理。人工维护也是一个来源（可信度最高），在“最新”和“最可信来源”规则下同样参与比较。',
  schema: z.strictObject(
    Object.fromEntries(RULE_GROUPS.map((g) => [g, ruleSchema])) as Record<RuleGroup, typeof ruleSchema>,
  ),
  default: DEFAULT_RULES,
  fields: Object.fromEntries(RULE_GROUPS.map((g) => [g, ruleField(RULE_LABELS[g])])),
});
export type FieldRules = Record<RuleGroup, FieldRule>;

export interface FusionConfig {
  resolution: ResolutionConfig;
  rules: FieldRules;
}

/** Both settings from the settings service (cached), or — for callers without one — from the `setting` table. */
export async function loadFusionConfig(
  db: Kysely<DB> | Transaction<DB>,
  settings?: Pick<SettingsService, 'get'>,
): Promise<FusionConfig> {
  if (settings) {
    return { resolution: settings.get(resolutionSetting), rules: settings.get(fieldRulesSetting) };
  }
  // Neither setting is versioned, so `setting` holds the value in force today (settings.service.ts).
  const rows = await db
    .selectFrom('setting')
    .select(['key', 'value'])
    .where('key', 'in', [resolutionSetting.key, fieldRulesSetting.key])
    .execute();
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  return {
    resolution: coerce(resolutionSetting, stored.get(resolutionSetting.key)),
    rules: coerce(fieldRulesSetting, stored.get(fieldRulesSetting.key)),
  };
}
