import { inboxCountsSchema, inboxPageSchema, inboxQuerySchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import { concerns, createInboxBus, inboxCounts, listInbox } from './inbox.service.ts';
import { inboxDueSoonSetting } from './inbox.settings.ts';

const TAGS = ['我的待办'];
const HEARTBEAT_MS = 15_000;
/** Several changes in a burst (a group judgment, a sweep) cost one recount per stream. */
const RECOUNT_DELAY_MS = 250;

/** 我的待办: the list (待办/已办), the badge counts, and an SSE stream that pushes new counts when they may change. */
export function registerInboxRoutes(app: App, ctx: AppContext): void {
  const bus = createInboxBus(ctx.database);
  app.addHook('onClose', async () => {
    await bus.stop();
  });

  app.get(
    '/api/inbox',
    {
      config: { policy: { permission: 'inbox:item:read' } },
      schema: {
        tags: TAGS,
        summary: '我的待办 / 已办（待办按截止时间，督办在前；键集分页）',
        querystring: inboxQuerySchema,
        response: { 200: inboxPageSchema },
      },
    },
    async (req) => {
      const user = requireUser(req);
      return listInbox(ctx.db, user, req.query, ctx.settings.get(inboxDueSoonSetting).warnHours);
    },
  );

  app.get(
    '/api/inbox/counts',
    {
      config: { policy: { permission: 'inbox:item:read' } },
      schema: {
        tags: TAGS,
        summary: '待办数量（合计、督办、逾期、按来源）',
        response: { 200: inboxCountsSchema },
      },
    },
    async (req) => inboxCounts(ctx.db, requireUser(req)),
  );

  app.get(
    '/api/inbox/stream',
    {
      config: { policy: { permission: 'inbox:item:read' } },
      schema: {
        tags: TAGS,
        summary: '待办数量实时推送（SSE）',
        description: '连接后立即推送一次 counts 事件；此后待办可能变化时再推送（数量不变则不推送）。',
        querystring: z.strictObject({}),
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      let closed = false;
      let last = '';
      let timer: NodeJS.Timeout | undefined;
      let running: Promise<void> | undefined;
      const push = async () => {
        if (closed) return;
        try {
          const counts = JSON.stringify(await inboxCounts(ctx.db, user));
          if (closed || counts === last) return;
          last = counts;
          res.write(`event: counts\ndata: ${counts}\n\n`);
        } catch {
          // Database closing; the client reconnects and gets fresh counts.
        }
      };
      const schedule = () => {
        if (timer || closed) return;
        timer = setTimeout(() => {
          timer = undefined;
          running = (running ?? Promise.resolve()).then(push);
        }, RECOUNT_DELAY_MS);
      };
      // Listen first, then send the current counts, so a change between the two is not lost.
      const unsubscribe = await bus.subscribe((change) => {
        if (concerns(user, change)) schedule();
      });
      running = push();
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      req.raw.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        unsubscribe();
      });
    },
  );
}
