import { z } from 'zod';
import { BUSINESS_LINES } from '../dictionaries.ts';
import { clueStatusSchema } from './clues.ts';
import { deadlineSchema } from './deadlines.ts';

/** 指挥调度 (`/api/dispatch*`): routing rules, officer availability, dispatch orders (调度单). */

/** The receiving module: 监管 (inspection task) or 执法 (case-source verification). */
export const dispatchModuleSchema = z.enum(['inspection', 'enforcement'], {
  message: '目标模块应为监管检查或执法核查',
});
export type DispatchModule = z.infer<typeof dispatchModuleSchema>;
export const DISPATCH_MODULE_LABELS: Record<DispatchModule, string> = {
  inspection: '监管检查',
  enforcement: '执法核查',
};

export const dispatchOrderStatusSchema = z.enum(['pending', 'signed', 'handling', 'completed', 'returned']);
export type DispatchOrderStatus = z.infer<typeof dispatchOrderStatusSchema>;
export const DISPATCH_STATUS_LABELS: Record<DispatchOrderStatus, string> = {
  pending: '待签收',
  signed: '已签收',
  handling: '办理中',
  completed: '已办结',
  returned: '已退回',
};
export const OPEN_ORDER_STATUSES: readonly DispatchOrderStatus[] = ['pending', 'signed', 'handling'];

export const dispatchOutcomeSchema = z.enum(['violation', 'no_violation', 'referred', 'other'], {
  message: '办理结果应为发现违法、未发现违法、已移送或其他',
});
export type DispatchOutcome = z.infer<typeof dispatchOutcomeSchema>;
export const DISPATCH_OUTCOME_LABELS: Record<DispatchOutcome, string> = {
  violation: '发现违法行为',
  no_violation: '未发现违法行为',
  referred: '已移送',
  other: '其他',
};

export const dispatchActionSchema = z.enum([
  'sign',
  'start',
  'complete',
  'return',
  'transfer',
  'approveTransfer',
  'rejectTransfer',
  'extend',
  'decideExtension',
  'urge',
]);
export type DispatchAction = z.infer<typeof dispatchActionSchema>;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const reason = (what: string) =>
  z.string().trim().min(2, `${what}至少 2 个字`).max(1000, `${what}最多 1000 个字`);

// ── routing rules ─────────────────────────────────────────────────────────────────────────────────────────
export const dispatchRuleInputSchema = z
  .strictObject({
    name: z.string().trim().min(1, '名称不能为空').max(60, '名称最多 60 个字'),
    /** null = any line. */
    businessLine: z.enum(BUSINESS_LINES, { message: '业务条线无效' }).nullable(),
    /** A grid, or a 所 (all its grids), or neither (anywhere). */
    gridId: id.nullable(),
    stationId: id.nullable(),
    module: dispatchModuleSchema,
    departmentId: id,
    priority: z.number().int('应为整数').min(-1000).max(1000).default(0),
    enabled: z.boolean().default(true),
    note: z.string().trim().max(500, '说明最多 500 个字').default(''),
  })
  .refine((r) => r.gridId === null || r.stationId === null, {
    message: '网格与所只能指定其一',
    path: ['gridId'],
  });
export type DispatchRuleInput = z.input<typeof dispatchRuleInputSchema>;

export const dispatchRuleSchema = z.object({
  id: z.number(),
  name: z.string(),
  businessLine: z.string().nullable(),
  gridId: z.number().nullable(),
  gridName: z.string().nullable(),
  stationId: z.number().nullable(),
  stationName: z.string().nullable(),
  module: dispatchModuleSchema,
  departmentId: z.number(),
  departmentName: z.string(),
  priority: z.number(),
  enabled: z.boolean(),
  note: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type DispatchRule = z.infer<typeof dispatchRuleSchema>;

// ── availability: leave and 回避 ───────────────────────────────────────────────────────────────────────────
export const officerLeaveInputSchema = z
  .strictObject({
    userId: id,
    fromOn: DAY,
    toOn: DAY,
    reason: reason('请假事由'),
  })
  .refine((l) => l.fromOn <= l.toOn, { message: '结束日期不能早于开始日期', path: ['toOn'] });
export type OfficerLeaveInput = z.infer<typeof officerLeaveInputSchema>;
export const officerLeaveSchema = z.object({
  id: z.number(),
  userId: z.number(),
  userName: z.string(),
  departmentName: z.string(),
  fromOn: z.string(),
  toOn: z.string(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type OfficerLeave = z.infer<typeof officerLeaveSchema>;

export const officerConflictInputSchema = z.strictObject({
  userId: id,
  entityId: id,
  reason: reason('回避理由'),
});
export type OfficerConflictInput = z.infer<typeof officerConflictInputSchema>;
export const officerConflictSchema = z.object({
  id: z.number(),
  userId: z.number(),
  userName: z.string(),
  departmentName: z.string(),
  entityId: z.number(),
  entityName: z.string(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type OfficerConflict = z.infer<typeof officerConflictSchema>;

/** An officer of a department as the availability page and the dispatch dialog list them. */
export const dispatchOfficerSchema = z.object({
  id: z.number(),
  name: z.string(),
  departmentId: z.number(),
  certNo: z.string().nullable(),
  certValidUntil: z.string().nullable(),
  openOrders: z.number(),
  /** Empty when available; else why not (无执法证 / 执法证已过期 / 请假 / 回避). */
  unavailable: z.array(z.string()),
});
export type DispatchOfficer = z.infer<typeof dispatchOfficerSchema>;

// ── suggestion ─────────────────────────────────────────────────────────────────────────────────────────────
export const dispatchSuggestQuerySchema = z.strictObject({
  clueId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  module: dispatchModuleSchema.default('inspection'),
  /** Suggest officers of this department instead of the routed one (the dialog's override). */
  departmentId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type DispatchSuggestQuery = z.input<typeof dispatchSuggestQuerySchema>;

export const dispatchSuggestionSchema = z.object({
  clueId: z.number(),
  module: dispatchModuleSchema,
  department: z.object({ id: z.number(), name: z.string() }).nullable(),
  /** The routed department (the rule's, or the clue's own without one) — differs from `department` on override. */
  routedDepartmentId: z.number().nullable(),
  rule: z.object({ id: z.number(), name: z.string() }).nullable(),
  /** Why this department (Chinese sentences). */
  why: z.array(z.string()),
  /** Suggested officers, least loaded first; `minOfficers` of them are preselected. */
  officers: z.array(dispatchOfficerSchema.extend({ why: z.string() })),
  /** Officers of the department left out, with the reason. */
  skipped: z.array(z.object({ id: z.number(), name: z.string(), reasons: z.array(z.string()) })),
  minOfficers: z.number(),
  enough: z.boolean(),
  /** The limit in force today for this module, and the due day it gives. */
  limit: z.object({
    label: z.string(),
    regulation: z.string(),
    days: z.number(),
    dayKind: z.enum(['working', 'natural']),
    maxExtensionDays: z.number(),
    dueOn: z.string(),
  }),
});
export type DispatchSuggestion = z.infer<typeof dispatchSuggestionSchema>;

// ── orders ─────────────────────────────────────────────────────────────────────────────────────────────────
export const dispatchOrderCreateSchema = z.strictObject({
  /** One or several clues judged together (the first one leads: routing, map, deadline's clue). */
  clueIds: z.array(id).min(1, '至少选择一条线索').max(20, '一张调度单最多 20 条线索'),
  /** The clue versions the dispatcher saw (optimistic lock); same order as `clueIds`. */
  clueVersions: z.array(z.number().int().positive()).max(20).optional(),
  module: dispatchModuleSchema,
  departmentId: id,
  officerIds: z.array(id).min(1, '请选择承办人员').max(10, '最多 10 名承办人员'),
  instructions: z.string().trim().max(2000, '调度要求最多 2000 个字').default(''),
  /** Required when the department or the officers differ from the suggestion. */
  overrideReason: reason('调整原因').optional(),
  judgmentId: id.nullable().optional(),
});
export type DispatchOrderCreate = z.input<typeof dispatchOrderCreateSchema>;

export const dispatchActionInputSchema = z.strictObject({
  action: dispatchActionSchema,
  version: z.number().int().positive(),
  /** 退回 / 转办 / 延期 / 驳回: the reason. */
  reason: reason('原因').optional(),
  /** 转办: the new department (and optionally its officers). */
  departmentId: id.optional(),
  officerIds: z.array(id).min(1).max(10).optional(),
  /** 办结. */
  outcome: dispatchOutcomeSchema.optional(),
  summary: z.string().trim().min(2, '办理情况至少 2 个字').max(5000, '办理情况最多 5000 个字').optional(),
  /** 延期: days asked for. */
  days: z.number().int().min(1, '至少 1 天').max(90, '最多 90 天').optional(),
  /** 审批延期: which request, and the decision. */
  extensionId: id.optional(),
  approve: z.boolean().optional(),
  note: z.string().trim().max(1000, '意见最多 1000 个字').optional(),
  /** 督办. */
  message: z.string().trim().min(2, '督办意见至少 2 个字').max(1000, '督办意见最多 1000 个字').optional(),
});
export type DispatchActionInput = z.infer<typeof dispatchActionInputSchema>;

export const dispatchOrderSummarySchema = z.object({
  id: z.number(),
  number: z.string(),
  module: dispatchModuleSchema,
  status: dispatchOrderStatusSchema,
  title: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  businessLine: z.string().nullable(),
  gridId: z.number().nullable(),
  gridName: z.string().nullable(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  officerNames: z.array(z.string()),
  clueCount: z.number(),
  dueOn: z.string().nullable(),
  /** 正常 / 预警 / 逾期 (from the deadline; null when closed). */
  deadlineState: z.enum(['normal', 'warning', 'overdue']).nullable(),
  urged: z.boolean(),
  escalated: z.boolean(),
  transferPending: z.boolean(),
  createdAt: z.string(),
});
export type DispatchOrderSummary = z.infer<typeof dispatchOrderSummarySchema>;

export const dispatchBoardQuerySchema = z.strictObject({
  status: z.enum(['open', 'pending', 'signed', 'handling', 'completed', 'returned', 'all']).default('open'),
  module: dispatchModuleSchema.optional(),
  departmentId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  deadlineState: z.enum(['normal', 'warning', 'overdue']).optional(),
  q: z.string().trim().max(64, '不能超过 64 个字符').optional(),
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DispatchBoardQuery = z.infer<typeof dispatchBoardQuerySchema>;

export const dispatchBoardSchema = z.object({
  items: z.array(dispatchOrderSummarySchema),
  nextAfter: z.number().nullable(),
  /** Open orders per receiving department and deadline state (within the viewer's scope, all filters but department and state). */
  counts: z.array(
    z.object({
      departmentId: z.number(),
      departmentName: z.string(),
      open: z.number(),
      warning: z.number(),
      overdue: z.number(),
    }),
  ),
  today: z.string(),
});
export type DispatchBoard = z.infer<typeof dispatchBoardSchema>;

export const dispatchOrderDetailSchema = dispatchOrderSummarySchema.extend({
  instructions: z.string(),
  judgmentId: z.number().nullable(),
  entityId: z.number().nullable(),
  entityName: z.string().nullable(),
  ruleName: z.string().nullable(),
  /** Manual override of the suggestion: reason and what was suggested. */
  override: z
    .object({
      reason: z.string(),
      suggestedDepartmentName: z.string().nullable(),
      suggestedOfficerNames: z.array(z.string()),
    })
    .nullable(),
  officers: z.array(
    z.object({ id: z.number(), name: z.string(), certNo: z.string().nullable(), lead: z.boolean() }),
  ),
  clues: z.array(
    z.object({
      id: z.number(),
      number: z.string(),
      title: z.string(),
      status: clueStatusSchema,
      businessLine: z.string().nullable(),
      respondentName: z.string(),
      location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
    }),
  ),
  deadline: deadlineSchema.nullable(),
  pendingTransfer: z
    .object({
      toDepartmentId: z.number(),
      toDepartmentName: z.string(),
      reason: z.string(),
      requestedBy: z.string(),
      requestedAt: z.string(),
    })
    .nullable(),
  result: z
    .object({
      outcome: dispatchOutcomeSchema,
      summary: z.string(),
      completedBy: z.string(),
      completedAt: z.string(),
    })
    .nullable(),
  returnReason: z.string().nullable(),
  urges: z.array(z.object({ at: z.string(), by: z.string(), message: z.string() })),
  /** Receiver of the module: `simpleForm` true while the module's own pages do not exist (this issue). */
  receiver: z.object({ name: z.string(), simpleForm: z.boolean() }),
  timeline: z.array(
    z.object({
      id: z.number(),
      occurredAt: z.string(),
      actorName: z.string(),
      kind: z.string(),
      payload: z.record(z.string(), z.unknown()),
    }),
  ),
  /** What the viewer may do now (buttons). */
  actions: z.array(z.object({ action: dispatchActionSchema, label: z.string() })),
  version: z.number(),
});
export type DispatchOrderDetail = z.infer<typeof dispatchOrderDetailSchema>;

export const dispatchMachineSchema = z.object({
  states: z.array(z.object({ value: dispatchOrderStatusSchema, label: z.string() })),
  edges: z.array(
    z.object({
      action: dispatchActionSchema,
      label: z.string(),
      from: z.array(dispatchOrderStatusSchema),
      to: dispatchOrderStatusSchema.nullable(),
      permission: z.string(),
    }),
  ),
});

/** Clues waiting for dispatch (待调度 queue). */
export const dispatchQueueSchema = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      number: z.string(),
      title: z.string(),
      kind: z.string(),
      businessLine: z.string().nullable(),
      receivedAt: z.string(),
      departmentName: z.string().nullable(),
      gridName: z.string().nullable(),
      respondentName: z.string(),
      location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
      version: z.number(),
      /** Earlier orders of this clue that were returned: the latest reason. */
      returnedReason: z.string().nullable(),
    }),
  ),
  nextAfter: z.number().nullable(),
});
export type DispatchQueue = z.infer<typeof dispatchQueueSchema>;

export const DISPATCH_EVENT_LABELS: Record<string, string> = {
  'dispatch.order.created': '派单',
  'dispatch.order.signed': '签收调度单',
  'dispatch.order.started': '开始办理',
  'dispatch.order.completed': '调度单办结',
  'dispatch.order.returned': '调度单退回',
  'dispatch.order.transfer_requested': '申请转办',
  'dispatch.order.transferred': '调度单转办',
  'dispatch.order.transfer_rejected': '转办被驳回',
  'dispatch.order.extension_requested': '申请延期',
  'dispatch.order.extension_decided': '延期审批',
  'dispatch.order.urged': '督办',
  'dispatch.order.escalated': '逾期上报',
};
