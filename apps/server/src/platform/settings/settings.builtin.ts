import { z } from 'zod';
import { defineSetting } from './settings.define.ts';

/** Name shown on the login page, the header and printed documents. */
export const platformInfo = defineSetting({
  key: 'system.platform',
  group: 'system',
  label: '平台名称',
  description: '登录页、页面标题和打印文书上显示的单位名称。',
  schema: z.strictObject({
    name: z.string().trim().min(2, '名称至少 2 个字').max(60, '名称最多 60 个字'),
    shortName: z.string().trim().min(1, '简称不能为空').max(20, '简称最多 20 个字'),
  }),
  default: { name: '示范县市场监督管理局', shortName: '示范县局' },
  fields: {
    name: { label: '单位全称', type: 'string' },
    shortName: { label: '单位简称', type: 'string', help: '用于页面标题等空间有限的位置。' },
  },
});

/** Upload limits; the HTTP body limit of the server still applies on top. */
export const uploadLimits = defineSetting({
  key: 'system.upload',
  group: 'system',
  label: '附件上传',
  description: '单个附件的大小上限。',
  schema: z.strictObject({
    maxFileMb: z.number().int('应为整数').min(1, '不能小于 1 MB').max(200, '不能大于 200 MB'),
  }),
  default: { maxFileMb: 20 },
  fields: { maxFileMb: { label: '单个文件上限', type: 'number', unit: 'MB', min: 1, max: 200 } },
});

/**
 * Complaint handling limits (DOMAIN.md §1). Order 20 applies to clues received before 2026-04-15, Order 121 from
 * that day; both versions are seeded by migration 0008 with their effective dates.
 */
export const complaintDeadlines = defineSetting({
  key: 'rules.complaintDeadlines',
  group: 'system',
  label: '投诉举报处理时限',
  description:
    '按收到线索当日有效的规则计算时限。2026-04-15 起适用《市场监督管理投诉举报处理办法》（总局令第121号），此前适用第20号令。',
  versioned: true,
  schema: z.strictObject({
    regulation: z.string().trim().min(1, '依据不能为空').max(100, '依据最多 100 个字'),
    acceptDays: z.number().int('应为整数').min(1, '不能小于 1').max(60, '不能大于 60'),
    acceptDayKind: z.enum(['working', 'natural'], { message: '请选择工作日或自然日' }),
    mediationDays: z.number().int('应为整数').min(1, '不能小于 1').max(180, '不能大于 180'),
    mediationDayKind: z.enum(['working', 'natural'], { message: '请选择工作日或自然日' }),
    reportReplyDays: z.number().int('应为整数').min(1, '不能小于 1').max(60, '不能大于 60'),
    reportVerifyDays: z.number().int('应为整数').min(1, '不能小于 1').max(90, '不能大于 90'),
    reportVerifyExtensionDays: z.number().int('应为整数').min(0, '不能小于 0').max(90, '不能大于 90'),
  }),
  default: {
    regulation: '《市场监督管理投诉举报处理暂行办法》（总局令第20号）',
    acceptDays: 7,
    acceptDayKind: 'working',
    mediationDays: 45,
    mediationDayKind: 'working',
    reportReplyDays: 5,
    reportVerifyDays: 15,
    reportVerifyExtensionDays: 15,
  },
  fields: {
    regulation: { label: '依据', type: 'string' },
    acceptDays: {
      label: '受理决定时限',
      type: 'number',
      unit: '天',
      min: 1,
      max: 60,
      help: '第20号令第十四条：收到投诉之日起 7 个工作日内作出受理决定【来源：实务资料，待核对原文】；第121号令仍为 7 个工作日【未经核实】。',
    },
    acceptDayKind: {
      label: '受理时限计算方式',
      type: 'enum',
      options: [
        { value: 'working', label: '工作日' },
        { value: 'natural', label: '自然日' },
      ],
    },
    mediationDays: {
      label: '调解时限',
      type: 'number',
      unit: '天',
      min: 1,
      max: 180,
      help: '自受理之日起计算，逾期未达成协议的终止调解。第20号令第二十一条为 45 个工作日【来源：实务资料】；第121号令第二十三条为 60 日（自然日）【来源：实务资料，条款号与期限待核对官方文本】。检定、检验、鉴定时间不计入【未经核实】。',
    },
    mediationDayKind: {
      label: '调解时限计算方式',
      type: 'enum',
      options: [
        { value: 'working', label: '工作日' },
        { value: 'natural', label: '自然日' },
      ],
    },
    reportReplyDays: {
      label: '举报立案告知时限',
      type: 'number',
      unit: '工作日',
      min: 1,
      max: 60,
      help: '实名举报人应在作出立案或不予立案决定后 5 个工作日内告知（第20号令第三十一条）【未经核实】。',
    },
    reportVerifyDays: {
      label: '举报核查时限',
      type: 'number',
      unit: '工作日',
      min: 1,
      max: 90,
      help: '举报核查 15 个工作日，经批准可延长 15 个工作日【未经核实】。',
    },
    reportVerifyExtensionDays: {
      label: '举报核查最多延长',
      type: 'number',
      unit: '工作日',
      min: 0,
      max: 90,
      help: '经批准可延长的工作日总数；0 表示不得延长【未经核实】。',
    },
  },
});
