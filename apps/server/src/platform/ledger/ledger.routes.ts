import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { canSeeEvent } from '../events/event-bus.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { keysetQuery } from '../http/schemas.ts';
import { clueTimeline, subjectTimeline } from './ledger.service.ts';

const eventSchema = z.object({
  id: z.number(),
  occurredAt: z.string(),
  actorId: z.number().nullable(),
  actorName: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  clueId: z.number().nullable(),
  departmentId: z.number().nullable(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

export function registerLedgerRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/ledger/subjects/:subjectType/:subjectId',
    {
      config: { policy: { permission: 'ledger:event:read' } },
      schema: {
        tags: ['流水账'],
        summary: '对象的流转时间线',
        params: z.strictObject({
          subjectType: z.string().regex(/^[a-z_]{1,40}$/),
          subjectId: z.string().min(1).max(64),
        }),
        querystring: keysetQuery,
        response: { 200: z.object({ items: z.array(eventSchema) }) },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const items = await subjectTimeline(ctx.db, req.params.subjectType, req.params.subjectId, {
        afterId: req.query.after,
        limit: req.query.limit,
      });
      return { items: items.filter((e) => canSeeEvent(user, e)) };
    },
  );

  app.get(
    '/api/ledger/clues/:clueId',
    {
      config: { policy: { permission: 'ledger:event:read' } },
      schema: {
        tags: ['流水账'],
        summary: '线索的全流程时间线',
        params: z.strictObject({ clueId: z.coerce.number().int().positive() }),
        querystring: keysetQuery,
        response: { 200: z.object({ items: z.array(eventSchema) }) },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const items = await clueTimeline(ctx.db, req.params.clueId, {
        afterId: req.query.after,
        limit: req.query.limit,
      });
      return { items: items.filter((e) => canSeeEvent(user, e)) };
    },
  );
}
