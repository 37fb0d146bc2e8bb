import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

const dayKind = z.enum(['working', 'natural'], { message: '请选择工作日或自然日' });
const DAY_KIND_OPTIONS = [
  { value: 'working', label: '工作日' },
  { value: 'natural', label: '自然日' },
];

const limitsSchema = z.strictObject({
  inspectionDays: z.number().int('应为整数').min(1, '不能小于 1').max(90, '不能大于 90'),
  inspectionDayKind: dayKind,
  inspectionExtensionDays: z.number().int('应为整数').min(0, '不能小于 0').max(90, '不能大于 90'),
  inspectionExtensionAfterDue: z.boolean(),
  enforcementDays: z.number().int('应为整数').min(1, '不能小于 1').max(90, '不能大于 90'),
  enforcementDayKind: dayKind,
  enforcementExtensionDays: z.number().int('应为整数').min(0, '不能小于 0').max(90, '不能大于 90'),
  enforcementExtensionAfterDue: z.boolean(),
  enforcementRegulation: z.string().trim().min(1, '依据不能为空').max(200, '依据最多 200 个字'),
  inspectionRegulation: z.string().trim().min(1, '依据不能为空').max(200, '依据最多 200 个字'),
});

export type DispatchLimits = z.infer<typeof limitsSchema>;

/**
 * 调度单办理时限, versioned by effective date (DOMAIN.md: every number is configuration). An order takes the version
 * in force on the day it is created.
 */
export const dispatchLimitsSetting = defineSetting<DispatchLimits>({
  key: 'dispatch.limits',
  group: 'system',
  label: '调度单办理时限',
  description:
    '派单当日有效的版本决定调度单的办理时限、可延长天数以及届满后能否申请延期。监管检查与执法线索核查分别设置。',
  versioned: true,
  schema: limitsSchema,
  default: {
    inspectionDays: 15,
    inspectionDayKind: 'working',
    inspectionExtensionDays: 10,
    inspectionExtensionAfterDue: false,
    enforcementDays: 15,
    enforcementDayKind: 'working',
    enforcementExtensionDays: 15,
    enforcementExtensionAfterDue: false,
    enforcementRegulation: '《市场监督管理行政处罚程序规定》第十八条（线索核查）',
    inspectionRegulation: '本局调度工作规则',
  },
  fields: {
    inspectionDays: {
      label: '监管检查时限',
      type: 'number',
      unit: '天',
      min: 1,
      max: 90,
      help: '派单之日起计算（当日不计入）。本局内部工作时限，默认 15 个工作日【未经核实，按本局规定调整】。',
    },
    inspectionDayKind: { label: '监管检查时限计算方式', type: 'enum', options: DAY_KIND_OPTIONS },
    inspectionExtensionDays: {
      label: '监管检查可延长天数',
      type: 'number',
      unit: '天',
      min: 0,
      max: 90,
      help: '经审批可延长的合计天数；0 表示不得延长。',
    },
    inspectionExtensionAfterDue: { label: '监管检查届满后仍可申请延期', type: 'boolean' },
    inspectionRegulation: { label: '监管检查依据', type: 'string' },
    enforcementDays: {
      label: '执法线索核查时限',
      type: 'number',
      unit: '天',
      min: 1,
      max: 90,
      help: '行政处罚程序规定：自发现线索之日起 15 个工作日内核查完毕【来源：实务资料，待核对原文】。检测、检验、鉴定时间不计入（可在时限上“中止”）。',
    },
    enforcementDayKind: { label: '执法线索核查时限计算方式', type: 'enum', options: DAY_KIND_OPTIONS },
    enforcementExtensionDays: {
      label: '执法线索核查可延长天数',
      type: 'number',
      unit: '天',
      min: 0,
      max: 90,
      help: '经负责人批准可延长 15 个工作日【来源：实务资料】。',
    },
    enforcementExtensionAfterDue: {
      label: '执法线索核查届满后仍可申请延期',
      type: 'boolean',
      help: '默认否：延期须在期限届满前申请并批准。',
    },
    enforcementRegulation: { label: '执法线索核查依据', type: 'string' },
  },
});

/** 转办 of an order to another department: approved by a holder of `dispatch:order:approve` when on. */
export const dispatchTransferSetting = defineSetting({
  key: 'dispatch.transferNeedsApproval',
  group: 'system',
  label: '调度单转办审批',
  description: '开启时，调度单转办到其他部门须经有审批权限的人员（所长、调度员、局领导）批准后生效。',
  schema: z.strictObject({ enabled: z.boolean() }),
  default: { enabled: true },
  fields: { enabled: { label: '转办须审批', type: 'boolean', help: '默认开启' } },
});
