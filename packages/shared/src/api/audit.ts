import { z } from 'zod';

/** Audit trail and login log contracts (`/api/audit/*`). Times are ISO strings. */
export const auditResultSchema = z.enum(['success', 'failure']);
export type AuditResult = z.infer<typeof auditResultSchema>;

export const auditLogSchema = z.object({
  id: z.number(),
  occurredAt: z.string(),
  actorId: z.number().nullable(),
  actorName: z.string(),
  ip: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  result: auditResultSchema,
  detail: z.string().nullable(),
  /** True when the record was moved to the archive table (older than the retention period). */
  archived: z.boolean(),
});
export type AuditLog = z.infer<typeof auditLogSchema>;

export const auditLogDetailSchema = auditLogSchema.extend({
  before: z.unknown(),
  after: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditLogDetail = z.infer<typeof auditLogDetailSchema>;

export const auditLogPageSchema = z.object({
  items: z.array(auditLogSchema),
  /** Pass as `after` for the next (older) page; null on the last page. */
  nextAfter: z.number().nullable(),
});
export type AuditLogPage = z.infer<typeof auditLogPageSchema>;

export const loginLogSchema = z.object({
  id: z.number(),
  occurredAt: z.string(),
  userId: z.number().nullable(),
  username: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  result: auditResultSchema,
  reason: z.string(),
});
export type LoginLog = z.infer<typeof loginLogSchema>;

export const loginLogPageSchema = z.object({
  items: z.array(loginLogSchema),
  nextAfter: z.number().nullable(),
});
export type LoginLogPage = z.infer<typeof loginLogPageSchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  count: z.number().nullable(),
  recordId: z.number().nullable(),
  reason: z.enum(['altered', 'inserted', 'deleted']).nullable(),
  message: z.string(),
  checkedAt: z.string(),
});
export type AuditVerify = z.infer<typeof auditVerifySchema>;
