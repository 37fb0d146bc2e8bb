import { z } from 'zod';

/** 法定时限 (`/api/deadlines`): the board, one deadline with its pauses and extensions, and their actions. */
export const deadlineDayKindSchema = z.enum(['working', 'natural']);
export const deadlineStatusSchema = z.enum(['running', 'paused', 'met', 'cancelled']);
export const deadlineStateSchema = z.enum(['normal', 'warning', 'overdue']);
export type DeadlineDayKind = z.infer<typeof deadlineDayKindSchema>;
export type DeadlineStatus = z.infer<typeof deadlineStatusSchema>;
export type DeadlineState = z.infer<typeof deadlineStateSchema>;

export const DEADLINE_STATUS_LABELS: Record<DeadlineStatus, string> = {
  running: '计时中',
  paused: '已中止',
  met: '已办结',
  cancelled: '已撤销',
};
export const DEADLINE_STATE_LABELS: Record<DeadlineState, string> = {
  normal: '正常',
  warning: '预警',
  overdue: '逾期',
};

export const deadlineExtensionSchema = z.object({
  id: z.number(),
  deadlineId: z.number(),
  days: z.number(),
  reason: z.string(),
  requestedById: z.number().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type DeadlineExtension = z.infer<typeof deadlineExtensionSchema>;

export const deadlinePauseSchema = z.object({
  id: z.number(),
  fromOn: z.string(),
  toOn: z.string().nullable(),
  reason: z.string(),
  actorName: z.string(),
  resumedBy: z.string().nullable(),
});
export type DeadlinePause = z.infer<typeof deadlinePauseSchema>;

export const deadlineSchema = z.object({
  id: z.number(),
  subjectType: z.string(),
  subjectId: z.string(),
  /** Clue number, order number…; null when the caller gave none. */
  subjectLabel: z.string().nullable(),
  clueId: z.number().nullable(),
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  assigneeId: z.number().nullable(),
  assigneeName: z.string().nullable(),
  ruleKey: z.string(),
  label: z.string(),
  regulation: z.string(),
  ruleEffectiveFrom: z.string(),
  dayKind: deadlineDayKindSchema,
  days: z.number(),
  extendedDays: z.number(),
  maxExtensionDays: z.number(),
  extensionAfterDue: z.boolean(),
  startOn: z.string(),
  dueOn: z.string(),
  warnOn: z.string(),
  status: deadlineStatusSchema,
  /** Null unless running. */
  state: deadlineStateSchema.nullable(),
  /** Days left after today in the limit's kind of days (0 = due today, negative = overdue); null once closed. */
  remainingDays: z.number().nullable(),
  warnedAt: z.string().nullable(),
  overdueAt: z.string().nullable(),
  closedOn: z.string().nullable(),
  metInTime: z.boolean().nullable(),
  pendingExtension: deadlineExtensionSchema.nullable(),
  version: z.number(),
});
export type Deadline = z.infer<typeof deadlineSchema>;

export const deadlineDetailSchema = deadlineSchema.extend({
  pauses: z.array(deadlinePauseSchema),
  extensions: z.array(deadlineExtensionSchema),
});
export type DeadlineDetail = z.infer<typeof deadlineDetailSchema>;

export const deadlineBoardQuerySchema = z.strictObject({
  /** warning: 预警中; overdue: 已逾期; running: every open deadline (running or paused). */
  state: z.enum(['warning', 'overdue', 'running']).default('running'),
  departmentId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  ruleKey: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{0,59}$/, '规则编码格式不正确')
    .optional(),
  /** Cursor `<dueOn>|<id>` from the previous page's `nextAfter`. */
  after: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}\|\d{1,15}$/, '分页参数 after 无效')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DeadlineBoardQuery = z.input<typeof deadlineBoardQuerySchema>;

export const deadlineBoardPageSchema = z.object({
  items: z.array(deadlineSchema),
  nextAfter: z.string().nullable(),
  /** The day (China time) the states and remaining days were computed for. */
  today: z.string(),
});
export type DeadlineBoardPage = z.infer<typeof deadlineBoardPageSchema>;

const reason = z.string().trim().min(2, '请填写原因（至少 2 个字）').max(500, '原因最多 500 个字');

export const deadlinePauseBodySchema = z.strictObject({ reason });
export type DeadlinePauseBody = z.infer<typeof deadlinePauseBodySchema>;

export const deadlineExtensionBodySchema = z.strictObject({
  days: z.number().int('延长天数应为整数').min(1, '延长天数至少 1 天').max(365, '延长天数不能超过 365 天'),
  reason,
});
export type DeadlineExtensionBody = z.infer<typeof deadlineExtensionBodySchema>;

export const deadlineDecisionBodySchema = z.strictObject({
  approve: z.boolean(),
  note: z.string().trim().max(500, '意见最多 500 个字').default(''),
});
export type DeadlineDecisionBody = z.input<typeof deadlineDecisionBodySchema>;
