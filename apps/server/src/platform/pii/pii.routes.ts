import { PII_REVEAL_PERMISSION, piiRevealRequestSchema, piiRevealResponseSchema } from '@rongjian/shared/api';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { revealField } from './pii.reveal.ts';

export function registerPiiRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/pii/reveal',
    {
      config: { policy: { permission: PII_REVEAL_PERMISSION } },
      schema: {
        tags: ['安全管理'],
        summary: '查看个人信息明文（须填写理由，留存审计记录；仅限数据权限范围内的记录）',
        body: piiRevealRequestSchema,
        response: { 200: piiRevealResponseSchema },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const { objectType, objectId, field, reason } = req.body;
      // The request's own audit record names the object; the value never goes into any record.
      req.auditDetail({ objectType, objectId, detail: `查看个人信息明文（${field}）` });
      const { value } = await revealField(ctx, user, { objectType, objectId, field, reason }, req.ip);
      return { value };
    },
  );
}
