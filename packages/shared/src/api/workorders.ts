import { z } from 'zod';
import { satisfactionSchema } from './clues.ts';

/**
 * 12315 / 12345 work orders (`/api/workorders*`), replies to complainants (`POST /api/clues/:id/replies`), the
 * satisfaction callback (`POST /api/clues/:id/satisfaction`) and the SMS outbox. Shared by the server and the web.
 */
export const workOrderSourceCodeSchema = z.enum(['12315', '12345'], {
  message: '工单来源应为 12315 或 12345',
});
export type WorkOrderSourceCode = z.infer<typeof workOrderSourceCodeSchema>;

/** Our fields of a work order, in the order the mapping editor shows them. */
export const WORK_ORDER_FIELDS = [
  { key: 'orderNo', label: '工单编号', required: true },
  { key: 'kind', label: '诉求类型', required: true },
  { key: 'content', label: '诉求内容', required: true },
  { key: 'request', label: '诉求目的', required: false },
  { key: 'complainantName', label: '投诉（举报）人', required: false },
  { key: 'complainantPhone', label: '联系电话', required: false },
  { key: 'respondentName', label: '被投诉（举报）单位', required: false },
  { key: 'respondentAddress', label: '被投诉（举报）地址', required: false },
  { key: 'receivedAt', label: '登记时间', required: true },
  { key: 'category', label: '问题分类', required: false },
  { key: 'businessLine', label: '业务类别', required: false },
  { key: 'address', label: '事发地址', required: false },
  { key: 'confidential', label: '是否保密', required: false },
] as const;
export type WorkOrderField = (typeof WORK_ORDER_FIELDS)[number]['key'];

export const workOrderSourceSchema = z.object({
  code: workOrderSourceCodeSchema,
  name: z.string(),
  /** Our field → their column name. */
  fieldMapping: z.record(z.string(), z.string()),
  /** Their 诉求类型 label → our clue kind. */
  valueMapping: z.record(z.string(), z.string()),
  /** Whether an HMAC-SM3 key is set (the key itself is never returned). */
  hasSecret: z.boolean(),
  outboundUrl: z.string().nullable(),
  outboundEnabled: z.boolean(),
  updatedAt: z.string(),
});
export type WorkOrderSource = z.infer<typeof workOrderSourceSchema>;

const kindValue = z.enum(['complaint', 'report', 'inquiry', 'suggestion', 'other'], {
  message: '诉求类型只能对应投诉、举报、咨询、建议或其他',
});

export const workOrderSourceUpdateSchema = z.strictObject({
  name: z.string().trim().min(2, '名称至少 2 个字').max(60, '名称最多 60 个字').optional(),
  fieldMapping: z.record(z.string().max(40), z.string().trim().max(100, '列名最多 100 个字符')).optional(),
  valueMapping: z.record(z.string().trim().min(1).max(40), kindValue).optional(),
  /** Write-only: a new key (≥ 16 characters), or null to remove it. */
  secret: z.string().min(16, '签名密钥至少 16 个字符').max(200).nullable().optional(),
  outboundUrl: z
    .string()
    .trim()
    .max(500)
    .regex(/^https?:\/\/\S+$/, '回推地址应为 http(s) 地址')
    .nullable()
    .optional(),
  outboundEnabled: z.boolean().optional(),
});
export type WorkOrderSourceUpdate = z.infer<typeof workOrderSourceUpdateSchema>;

export const workOrderRowErrorSchema = z.object({
  rowNo: z.number(),
  orderNo: z.string().nullable(),
  field: z.string().nullable(),
  reason: z.string(),
  level: z.enum(['error', 'warning']),
});
export type WorkOrderRowError = z.infer<typeof workOrderRowErrorSchema>;

export const workOrderRunSchema = z.object({
  id: z.number(),
  source: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  rowsIn: z.number(),
  created: z.number(),
  existing: z.number(),
  rejected: z.number(),
  warnings: z.number(),
  actorName: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type WorkOrderRun = z.infer<typeof workOrderRunSchema>;

export const workOrderImportResultSchema = workOrderRunSchema.extend({
  /** The first 100 problems (the xlsx report has them all). */
  errors: z.array(workOrderRowErrorSchema),
});
export type WorkOrderImportResult = z.infer<typeof workOrderImportResultSchema>;

export const workOrderRunPageSchema = z.object({
  items: z.array(workOrderRunSchema),
  nextAfter: z.number().nullable(),
});

/** Answer of a signed push, one entry per order in the order sent. */
export const workOrderPushResultSchema = z.array(
  z.object({ orderNo: z.string(), clueNumber: z.string(), created: z.boolean() }),
);
export type WorkOrderPushResult = z.infer<typeof workOrderPushResultSchema>;

/** Reply templates (答复模板, a versioned setting): 受理告知, 不予受理告知, 办理结果答复. */
export const replyTemplateSchema = z.enum(['accepted', 'rejected', 'result'], { message: '答复模板无效' });
export type ReplyTemplate = z.infer<typeof replyTemplateSchema>;
export const REPLY_TEMPLATE_LABELS: Record<ReplyTemplate, string> = {
  accepted: '受理告知',
  rejected: '不予受理告知',
  result: '办理结果答复',
};

/** `POST /api/clues/:id/replies`: the template; placeholders are filled from the clue unless given here. */
export const clueReplyInputSchema = z.strictObject({
  template: replyTemplateSchema,
  /** {办理结果}: defaults to the clue's recorded result. */
  result: z.string().trim().min(2, '办理结果至少 2 个字').max(500, '办理结果最多 500 个字').optional(),
  /** {不予受理理由}: defaults to the ground recorded when it was refused. */
  reason: z.string().trim().min(2, '理由至少 2 个字').max(500, '理由最多 500 个字').optional(),
});
export type ClueReplyInput = z.infer<typeof clueReplyInputSchema>;

export const clueReplyResultSchema = z.object({
  text: z.string(),
  sent: z.number(),
  failed: z.number(),
  /** Masked numbers, one per message. */
  recipients: z.array(z.object({ phoneMasked: z.string(), status: z.enum(['sent', 'failed']) })),
});
export type ClueReplyResult = z.infer<typeof clueReplyResultSchema>;

export const satisfactionChannelSchema = z.enum(['sms', 'phone', 'online'], { message: '回访方式无效' });
export const SATISFACTION_CHANNEL_LABELS: Record<z.infer<typeof satisfactionChannelSchema>, string> = {
  sms: '短信',
  phone: '电话',
  online: '网上',
};

/** `POST /api/clues/:id/satisfaction` (on 直接办结 / 已办结 clues). */
export const satisfactionInputSchema = z
  .strictObject({
    result: satisfactionSchema,
    reason: z.string().trim().max(1000, '原因最多 1000 个字').optional(),
    channel: satisfactionChannelSchema,
    /** 不满意 only: send the clue back to 待分拣. */
    reopen: z.boolean().optional(),
  })
  .refine((v) => v.result !== 'unsatisfied' || (v.reason ?? '').length >= 2, {
    message: '不满意时请填写原因（至少 2 个字）',
    path: ['reason'],
  })
  .refine((v) => !v.reopen || v.result === 'unsatisfied', {
    message: '只有不满意时才能重新办理',
    path: ['reopen'],
  });
export type SatisfactionInput = z.infer<typeof satisfactionInputSchema>;

export const satisfactionResultSchema = z.object({
  satisfaction: satisfactionSchema,
  reopened: z.boolean(),
  status: z.string(),
});

export const smsOutboxItemSchema = z.object({
  id: z.number(),
  clueId: z.number().nullable(),
  clueNumber: z.string().nullable(),
  phoneMasked: z.string(),
  template: z.string(),
  text: z.string(),
  gateway: z.string(),
  status: z.enum(['sent', 'failed']),
  error: z.string().nullable(),
  actorName: z.string(),
  createdAt: z.string(),
});
export type SmsOutboxItem = z.infer<typeof smsOutboxItemSchema>;
export const smsOutboxPageSchema = z.object({
  items: z.array(smsOutboxItemSchema),
  nextAfter: z.number().nullable(),
});
