import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';
import { appendEvent, type LedgerEvent, systemActor } from '../ledger/ledger.service.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  await org.user('officer1', 'officer', org.stations[0]);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());

/** Read SSE `ledger` events until `until` is satisfied (or 10 s pass). */
async function readEvents(res: Response, until: (events: LedgerEvent[]) => boolean): Promise<LedgerEvent[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: LedgerEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + 10_000;
  while (!until(events) && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((r) =>
        setTimeout(() => r({ done: true, value: undefined }), 10_000),
      ),
    ]);
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let idx = buffer.indexOf('\n\n');
    while (idx >= 0) {
      const block = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (data && block.includes('event: ledger')) events.push(JSON.parse(data.slice(6)));
      idx = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe('GET /api/events/stream', () => {
  it('refuses anonymous listeners', async () => {
    const res = await fetch(`${base}/api/events/stream`);
    expect(res.status).toBe(401);
  });

  it("streams new events within the user's data scope only", async () => {
    const [east, west] = org.stations as [number, number];
    const s = await login(t.app, 'officer1');
    const res = await fetch(`${base}/api/events/stream`, { headers: { cookie: s.cookie } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reading = readEvents(res, (ev) => ev.some((e) => e.kind === 'done'));
    await new Promise((r) => setTimeout(r, 200));
    await appendEvent(t.ctx.db, {
      actor: systemActor,
      subjectType: 'case',
      subjectId: 1,
      departmentId: west,
      kind: 'west.secret',
    });
    await appendEvent(t.ctx.db, {
      actor: systemActor,
      subjectType: 'case',
      subjectId: 2,
      departmentId: east,
      kind: 'east.visible',
    });
    await appendEvent(t.ctx.db, { actor: systemActor, subjectType: 'notice', subjectId: 3, kind: 'done' });
    const kinds = (await reading).map((e) => e.kind);
    expect(kinds).toEqual(['east.visible', 'done']);
  });

  it('replays what a reconnecting client missed after Last-Event-ID', async () => {
    const s = await login(t.app, 'officer1');
    const first = await appendEvent(t.ctx.db, {
      actor: systemActor,
      subjectType: 'x',
      subjectId: 1,
      kind: 'before',
    });
    await appendEvent(t.ctx.db, { actor: systemActor, subjectType: 'x', subjectId: 1, kind: 'missed.1' });
    await appendEvent(t.ctx.db, { actor: systemActor, subjectType: 'x', subjectId: 1, kind: 'missed.2' });
    const res = await fetch(`${base}/api/events/stream`, {
      headers: { cookie: s.cookie, 'last-event-id': String(first.id) },
    });
    const events = await readEvents(res, (ev) => ev.length >= 2);
    expect(events.map((e) => e.kind)).toEqual(['missed.1', 'missed.2']);
  });
});
