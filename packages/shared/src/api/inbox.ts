import { z } from 'zod';

/** 我的待办 (`/api/inbox*`): work items every module hands to people (platform/inbox). */
export const inboxPrioritySchema = z.enum(['normal', 'high', 'urged']);
export type InboxPriorityCode = z.infer<typeof inboxPrioritySchema>;
export const INBOX_PRIORITY_LABELS: Record<InboxPriorityCode, string> = {
  normal: '普通',
  high: '紧急',
  urged: '督办',
};

/** Chinese names of the item sources the platform knows; a source not listed shows its code. */
export const INBOX_SOURCE_LABELS: Record<string, string> = {
  'clue.analysis': '待研判线索',
  'clue.dispatch': '待调度线索',
  'dispatch.order': '调度单',
  'dispatch.returned': '退回的调度单',
  'dispatch.transfer': '转办审批',
  'dispatch.extension': '延期审批',
  'dispatch.escalation': '逾期调度单',
  'deadline.extension': '延期审批',
  'analysis.finding': '模式发现',
};
export const inboxSourceLabel = (source: string): string => INBOX_SOURCE_LABELS[source] ?? source;

/** `none` without a due time; `warning` when it falls due within the 临近截止 window; `overdue` once past. */
export const inboxDueStateSchema = z.enum(['none', 'normal', 'warning', 'overdue']);
export type InboxDueState = z.infer<typeof inboxDueStateSchema>;

export const inboxQuerySchema = z.strictObject({
  box: z.enum(['todo', 'done']).default('todo'),
  source: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
  /** 待办: `due` (deadline first, items without one last) or `created` (newest first); 督办 items always lead. 已办: by completion, newest first. */
  sort: z.enum(['due', 'created']).default('due'),
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

export const inboxItemSchema = z.object({
  id: z.number(),
  source: z.string(),
  sourceLabel: z.string(),
  sourceId: z.string(),
  title: z.string(),
  href: z.string(),
  departmentId: z.number().nullable(),
  dueAt: z.string().nullable(),
  dueState: inboxDueStateSchema,
  priority: inboxPrioritySchema,
  clueId: z.number().nullable(),
  state: z.enum(['open', 'done']),
  createdAt: z.string(),
  updatedAt: z.string(),
  doneAt: z.string().nullable(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

export const inboxPageSchema = z.object({
  items: z.array(inboxItemSchema),
  nextAfter: z.string().nullable(),
});
export type InboxPage = z.infer<typeof inboxPageSchema>;

export const inboxCountsSchema = z.object({
  /** Open items in 待办. */
  todo: z.number(),
  /** Of those, 督办. */
  urged: z.number(),
  /** Of those, past their due time. */
  overdue: z.number(),
  /** 待办 per source. */
  bySource: z.record(z.string(), z.number()),
});
export type InboxCounts = z.infer<typeof inboxCountsSchema>;
