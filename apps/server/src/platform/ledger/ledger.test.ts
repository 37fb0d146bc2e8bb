import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';
import {
  appendEvent,
  clueTimeline,
  type LedgerEvent,
  subjectTimeline,
  systemActor,
} from './ledger.service.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  await org.user('director', 'director');
  await org.user('officer1', 'officer', org.stations[0]);
});
afterAll(() => t.close());

describe('flow ledger', () => {
  it('commits an event with the change, and drops it when the transaction rolls back', async () => {
    await t.ctx.db.transaction().execute((tx) =>
      appendEvent(tx, {
        actor: systemActor,
        subjectType: 'clue',
        subjectId: 1,
        clueId: 1,
        kind: 'clue.registered',
        payload: { a: 1 },
      }),
    );
    await expect(
      t.ctx.db.transaction().execute(async (tx) => {
        await appendEvent(tx, {
          actor: systemActor,
          subjectType: 'clue',
          subjectId: 1,
          clueId: 1,
          kind: 'clue.lost',
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const timeline = await subjectTimeline(t.ctx.db, 'clue', 1);
    expect(timeline.map((e) => e.kind)).toEqual(['clue.registered']);
    expect(timeline[0]!.payload).toEqual({ a: 1 });
  });

  it('is append-only: updates and deletes are refused by the database', async () => {
    await expect(sql`update ledger_event set kind = 'forged'`.execute(t.ctx.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from ledger_event`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    const timeline = await subjectTimeline(t.ctx.db, 'clue', 1);
    expect(timeline.map((e) => e.kind)).toEqual(['clue.registered']);
  });

  it("gathers a clue's whole loop across subjects, in order", async () => {
    for (const [type, id, kind] of [
      ['clue', 7, 'clue.registered'],
      ['judgment', 70, 'analysis.judged'],
      ['dispatch_order', 700, 'dispatch.issued'],
      ['clue', 8, 'clue.registered'],
    ] as const) {
      await appendEvent(t.ctx.db, {
        actor: systemActor,
        subjectType: type,
        subjectId: id,
        clueId: type === 'clue' ? id : 7,
        kind,
      });
    }
    const loop = await clueTimeline(t.ctx.db, 7);
    expect(loop.map((e) => `${e.subjectType}:${e.kind}`)).toEqual([
      'clue:clue.registered',
      'judgment:analysis.judged',
      'dispatch_order:dispatch.issued',
    ]);
  });

  it('publishes committed events to subscribers through NOTIFY', async () => {
    const seen: LedgerEvent[] = [];
    const off = t.ctx.events.subscribe((e) => seen.push(e));
    const e = await appendEvent(t.ctx.db, {
      actor: systemActor,
      subjectType: 'test',
      subjectId: 'bus',
      kind: 'bus.ping',
    });
    for (let i = 0; i < 50 && !seen.some((s) => s.id === e.id); i++)
      await new Promise((r) => setTimeout(r, 20));
    off();
    expect(seen.map((s) => s.id)).toContain(e.id);
  });

  it('serves a timeline filtered by the reader’s data scope', async () => {
    const [east, west] = org.stations as [number, number];
    await appendEvent(t.ctx.db, {
      actor: systemActor,
      subjectType: 'case',
      subjectId: 5,
      departmentId: east,
      kind: 'case.filed',
    });
    await appendEvent(t.ctx.db, {
      actor: systemActor,
      subjectType: 'case',
      subjectId: 5,
      departmentId: west,
      kind: 'case.moved',
    });
    const officer = await login(t.app, 'officer1');
    const director = await login(t.app, 'director');
    const url = '/api/ledger/subjects/case/5';
    const mine = await t.app.inject({ method: 'GET', url, headers: { cookie: officer.cookie } });
    const all = await t.app.inject({ method: 'GET', url, headers: { cookie: director.cookie } });
    expect(mine.json().items.map((e: LedgerEvent) => e.kind)).toEqual(['case.filed']);
    expect(all.json().items.map((e: LedgerEvent) => e.kind)).toEqual(['case.filed', 'case.moved']);
  });
});
