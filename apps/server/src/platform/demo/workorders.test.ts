import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { getSource } from '../../supervision/clues/clues.workorders.ts';
import { createClueService } from '../../supervision/clues/clues.service.ts';
import { buildApp } from '../http/app.ts';
import { appendEvent } from '../ledger/ledger.service.ts';
import { DEMO_WORKORDER_PREFIX, mountDemoWorkOrderPlatform } from './workorders.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => {
  await t?.close();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('the demo 12315 platform', () => {
  it('is mounted only on the embedded demo database, and receives the result of a closed 12315 clue', async () => {
    // Whatever backend the suite runs on, this is the embedded demo's decision.
    const demo = { ...t.ctx, config: { ...t.ctx.config, backend: 'pglite' as const } };
    const port = await freePort();
    const app = await buildApp(t.ctx);
    try {
      expect(await mountDemoWorkOrderPlatform(app, demo, { port })).toBeNull(); // not the demo county

      await appendEvent(t.ctx.db, {
        actor: { id: null, name: '演示数据' },
        subjectType: 'demo',
        subjectId: '320500',
        kind: 'demo.seeded',
        payload: {},
      });
      const server = { ...t.ctx, config: { ...t.ctx.config, backend: 'postgresql' as const } };
      expect(await mountDemoWorkOrderPlatform(app, server, { port })).toBeNull(); // server mode never
      const fake = await mountDemoWorkOrderPlatform(app, demo, { port });
      expect(fake).not.toBeNull();
      await app.listen({ port, host: '127.0.0.1' });
      const source = await getSource(t.ctx.db, '12315');
      expect(source.outbound_url).toBe(`http://127.0.0.1:${port}${DEMO_WORKORDER_PREFIX}/results`);
      expect(source.outbound_enabled).toBe(true);
      expect(source.push_secret_enc).not.toBeNull();

      const actor = { id: null, name: '演示数据' };
      const clues = createClueService(t.ctx);
      const created = await t.ctx.db.transaction().execute((tx) =>
        clues.intake(
          {
            kind: 'inquiry',
            channel: '12315',
            content: '请问网购的电饭煲七天无理由退货怎么计算时间？',
            anonymous: true,
            confidential: false,
          },
          { actor, tx, status: 'sorting', external: { source: '12315', no: 'GD-DEMO-0001' } },
        ),
      );
      await t.ctx.db.transaction().execute((tx) =>
        clues.transitionInternal(tx, actor, created.id, {
          action: 'answer',
          answer: '七天自签收次日起算，已告知消费者。',
        }),
      );
      await t.ctx.jobs.claimAndRun(t.ctx, 20);
      expect(fake!.received).toEqual([
        expect.objectContaining({ orderNo: 'GD-DEMO-0001', status: 'direct', statusLabel: '直接办结' }),
      ]);
      expect(fake!.refused).toBe(0);
    } finally {
      await app.close();
    }
  });
});
