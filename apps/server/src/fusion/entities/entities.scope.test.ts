import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EntitiesTestBed, startEntitiesTestBed } from '../../../test/entities-support.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';

let bed: EntitiesTestBed;

beforeAll(async () => {
  bed = await startEntitiesTestBed();
  const actor = { id: null, name: '系统' };
  // Two events about station A's 烧烤店: one recorded by station A, one by station B (e.g. a joint check).
  await appendEvent(bed.t.ctx.db, {
    actor,
    subjectType: 'entity',
    subjectId: bed.ids.bbqA,
    departmentId: bed.stationA,
    kind: 'inspection.completed',
    payload: { result: '未发现问题' },
  });
  await appendEvent(bed.t.ctx.db, {
    actor,
    subjectType: 'entity',
    subjectId: bed.ids.bbqA,
    departmentId: bed.stationB,
    kind: 'clue.linked',
    payload: {},
  });
});
afterAll(async () => {
  await bed?.close();
});

describe('entities: data scope (IDOR)', () => {
  it('officer1 (station A) lists only station A’s entities', async () => {
    const officer = await bed.as('officer1');
    const all: { stationId: number; name: string }[] = [];
    let after: number | null = null;
    do {
      const page: { items: { stationId: number; name: string }[]; nextAfter: number | null } = (
        await officer('GET', `/api/entities?limit=100${after === null ? '' : `&after=${after}`}`)
      ).json();
      all.push(...page.items);
      after = page.nextAfter;
    } while (after !== null);
    expect(all.length).toBeGreaterThan(2);
    expect(all.every((e) => e.stationId === bed.stationA)).toBe(true);
    const bbq = (await officer('GET', `/api/entities?q=${encodeURIComponent('烧烤')}`)).json();
    expect(bbq.items.map((e: { name: string }) => e.name)).toContain('老王烧烤店');
    expect(bbq.items.map((e: { name: string }) => e.name)).not.toContain('城西老王烧烤摊');
    // Asking for station B explicitly does not widen the scope.
    const b = (await officer('GET', `/api/entities?stationId=${bed.stationB}`)).json();
    expect(b).toMatchObject({ items: [], total: 0 });
  });

  it('officer1 gets 404 for a station-B entity by id, and the profile of his own', async () => {
    const officer = await bed.as('officer1');
    const other = await officer('GET', `/api/entities/${bed.ids.bbqB}`);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('NOT_FOUND');
    expect(other.body).not.toContain('城西老王烧烤摊');

    const own = await officer('GET', `/api/entities/${bed.ids.bbqA}`);
    expect(own.statusCode).toBe(200);
    const p = own.json();
    expect(p).toMatchObject({
      name: '老王烧烤店',
      type: 'individual',
      stationId: bed.stationA,
      gridId: bed.gridA,
      riskClass: 'D',
      businessLines: ['食品'],
      establishedOn: '2020-05-01',
    });
    expect(p.stationName).toBeTruthy();
    expect(p.gridName).toBeTruthy();
    expect(p.gridGeometry.type).toBe('Polygon');
    expect(typeof p.lon).toBe('number');
    // The station-B event is outside officer1's scope.
    expect(p.timeline.map((e: { kind: string }) => e.kind)).toEqual(['inspection.completed']);
  });

  it('the director sees the whole timeline, oldest first', async () => {
    const director = await bed.as('director');
    const p = (await director('GET', `/api/entities/${bed.ids.bbqA}`)).json();
    expect(p.timeline.map((e: { kind: string }) => e.kind)).toEqual(['inspection.completed', 'clue.linked']);
    const fresh = (await director('GET', `/api/entities/${bed.ids.formula}`)).json();
    expect(fresh.timeline).toEqual([]);
  });

  it('a missing id is 404 too', async () => {
    const director = await bed.as('director');
    expect((await director('GET', '/api/entities/99999999')).statusCode).toBe(404);
  });
});
