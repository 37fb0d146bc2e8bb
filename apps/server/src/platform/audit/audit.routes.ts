import {
  auditLogDetailSchema,
  auditLogPageSchema,
  auditResultSchema,
  auditVerifySchema,
  loginLogPageSchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { App } from '../http/app.ts';
import { keysetQuery, idParams } from '../http/schemas.ts';
import { getAuditLog, listAuditLogs, listLoginLogs } from './audit.repo.ts';

const TAGS = ['安全审计'];
// Read-only on purpose: no route edits or deletes audit data, for anyone.
const READ = { policy: { permission: 'audit:log:read' } } as const;

const time = z.iso.datetime({ offset: true, error: '应为 ISO 8601 时间' }).optional();
const text = (max: number) => z.string().trim().max(max).optional();

export function registerAuditRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/audit/logs',
    {
      config: READ,
      schema: {
        tags: TAGS,
        summary: '检索审计记录（新的在前，含已归档记录）',
        querystring: keysetQuery.extend({
          from: time,
          to: time,
          actor: text(64),
          action: text(200),
          objectType: text(100),
          objectId: text(200),
          result: auditResultSchema.optional(),
          keyword: text(200),
        }),
        response: { 200: auditLogPageSchema },
      },
    },
    async (req) => {
      const q = req.query;
      return listAuditLogs(ctx.db, { ...q, actionPrefix: q.action });
    },
  );

  app.get(
    '/api/audit/logs/:id',
    {
      config: READ,
      schema: {
        tags: TAGS,
        summary: '审计记录详情（含变更前后内容与哈希）',
        params: idParams,
        response: { 200: auditLogDetailSchema },
      },
    },
    async (req) => {
      const record = await getAuditLog(ctx.db, req.params.id);
      if (!record) throw notFound('审计记录');
      return record;
    },
  );

  app.get(
    '/api/audit/logins',
    {
      config: READ,
      schema: {
        tags: TAGS,
        summary: '检索登录日志',
        querystring: keysetQuery.extend({
          from: time,
          to: time,
          username: text(64),
          ip: text(100),
          result: auditResultSchema.optional(),
        }),
        response: { 200: loginLogPageSchema },
      },
    },
    async (req) => listLoginLogs(ctx.db, req.query),
  );

  app.get(
    '/api/audit/verify',
    {
      config: READ,
      schema: {
        tags: TAGS,
        summary: '校验审计链的完整性（SM3 哈希链）',
        response: { 200: auditVerifySchema },
      },
    },
    async () => {
      const r = await ctx.audit.verify();
      const checkedAt = new Date().toISOString();
      return r.ok
        ? {
            ok: true,
            count: r.count,
            recordId: null,
            reason: null,
            message: `审计链完整：共 ${r.count} 条记录`,
            checkedAt,
          }
        : { ok: false, count: null, recordId: r.recordId, reason: r.reason, message: r.message, checkedAt };
    },
  );
}
