import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { eventsAfter, type LedgerEvent } from '../ledger/ledger.service.ts';
import { canSeeEvent } from './event-bus.ts';

const HEARTBEAT_MS = 15_000;

/** `GET /api/events/stream`: Server-Sent Events of the ledger events the user may see, resumable by Last-Event-ID. */
export function registerEventRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/events/stream',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['事件'],
        summary: '流转事件实时推送（SSE）',
        description: '按数据权限推送流水账事件；断线重连时携带 Last-Event-ID 补发遗漏事件。',
        querystring: z.strictObject({ after: z.coerce.number().int().min(0).optional() }),
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      const lastId = Number(req.headers['last-event-id'] ?? req.query.after ?? Number.NaN);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      let sentUpTo = 0;
      const send = (e: LedgerEvent) => {
        if (e.id <= sentUpTo || !canSeeEvent(user, e)) return;
        sentUpTo = e.id;
        res.write(`id: ${e.id}\nevent: ledger\ndata: ${JSON.stringify(e)}\n\n`);
      };
      // Subscribe first, then replay what was missed, so nothing falls between the two.
      const buffered: LedgerEvent[] = [];
      let replaying = Number.isSafeInteger(lastId) && lastId >= 0;
      const unsubscribe = ctx.events.subscribe((e) => (replaying ? buffered.push(e) : send(e)));
      if (replaying) {
        let cursor = lastId;
        for (;;) {
          const batch = await eventsAfter(ctx.db, cursor, 500);
          for (const e of batch) send(e);
          if (batch.length < 500) break;
          cursor = batch[batch.length - 1]!.id;
        }
        replaying = false;
        for (const e of buffered) send(e);
      }
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      req.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );
}
