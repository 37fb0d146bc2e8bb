import { chinaDayOf, todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { Finding, FindingPage, FindingRunResult } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CluesTestBed, startCluesTestBed } from '../../../test/clues-support.ts';
import { login } from '../../../test/fixtures.ts';
import { caller, insertRole, insertUser } from '../../../test/roles-support.ts';
import { json } from '../../platform/db/json.ts';
import { clueTimeline } from '../../platform/ledger/ledger.service.ts';
import { createClueService } from '../clues/clues.service.ts';
import { runDetectors } from './analysis.findings.ts';
import {
  addDays,
  baselineLambda,
  isoWeek,
  poissonUpperTail,
  weekStartOf,
} from './analysis.findings.stats.ts';

const DAY = 86_400_000;
const ago = (days: number, hours = 0) => new Date(Date.now() - days * DAY - hours * 3600_000);

let bed: CluesTestBed;
let director: Awaited<ReturnType<CluesTestBed['as']>>;
let n = 0;

/** An entity in station A (grid A) or B (grid B). */
async function entity(station: 'A' | 'B', over: { status?: string; name?: string } = {}) {
  const r = await bed.t.ctx.db
    .insertInto('entity')
    .values({
      uscc: null,
      name: over.name ?? `测试${station}${++n}号便利店`,
      type: 'individual',
      address: `城东测试路 ${n} 号`,
      region_code: '320500',
      grid_id: station === 'A' ? bed.gridA : bed.gridB,
      station_id: station === 'A' ? bed.stationA : bed.stationB,
      lon: station === 'A' ? 120.605 : 120.505,
      lat: 31.305,
      business_lines: json(['食品']),
      status: over.status ?? '存续',
      established_on: '2020-05-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** A clue as the intake registers it, received at `at`. */
async function clue(over: {
  at: Date;
  entityId?: number;
  gridId?: number;
  line?: string;
  kind?: 'complaint' | 'report' | 'inquiry';
}) {
  const created = await createClueService(bed.t.ctx).intake(
    {
      kind: over.kind ?? 'complaint',
      channel: 'phone',
      businessLine: over.line ?? '价格/反不正当竞争',
      content: '商家标价和结账价格不一致，多收了钱。',
      receivedAt: over.at.toISOString(),
      entityId: over.entityId,
      gridId: over.gridId,
      respondent: over.entityId ? undefined : { name: '某商家', address: '' },
      confidential: false,
      anonymous: true,
    },
    { actor: { id: null, name: '测试' }, status: 'sorting' },
  );
  return created;
}

async function findingsOf(detector: string) {
  return bed.t.ctx.db
    .selectFrom('analysis_finding')
    .selectAll()
    .where('detector', '=', detector as never)
    .orderBy('id')
    .execute();
}

beforeAll(async () => {
  bed = await startCluesTestBed();
  director = await bed.as('director');
});
afterAll(async () => {
  await bed?.close();
});

describe('statistics', () => {
  it('computes the Poisson upper tail, the baseline and ISO weeks', () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    // P(X ≥ 6 | λ = 1) = 0.000594…
    expect(poissonUpperTail(6, 1)).toBeCloseTo(0.000594, 6);
    expect(poissonUpperTail(40, 0.0625)).toBeGreaterThan(0);
    expect(baselineLambda([0, 0, 0, 0, 0, 0, 0, 0])).toEqual({ mean: 0, lambda: 0.0625 });
    expect(baselineLambda([1, 3])).toEqual({ mean: 2, lambda: 2 });
    expect(isoWeek('2026-11-29')).toBe('2026-W48');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(weekStartOf('2026-11-29')).toBe('2026-11-23');
  });
});

describe('repeat_complaints', () => {
  it('raises one finding per burst, with a clue of channel 研判分析 in 待研判 and the evidence in its timeline', async () => {
    const shop = await entity('A');
    const quiet = await entity('A');
    const burst = [];
    const firstAt = ago(50);
    burst.push(await clue({ at: firstAt, entityId: shop }));
    for (const d of [48, 45]) burst.push(await clue({ at: ago(d), entityId: shop }));
    for (const d of [47, 44]) await clue({ at: ago(d), entityId: quiet });
    // An inquiry is not a complaint: it never counts.
    await clue({ at: ago(46), entityId: quiet, kind: 'inquiry' });

    const first = await runDetectors(bed.t.ctx, { detectors: ['repeat_complaints'], asOf: ago(40) });
    expect(first.runs[0]).toMatchObject({ detector: 'repeat_complaints', raised: 1, deferred: 0 });
    const [f] = await findingsOf('repeat_complaints');
    expect(f).toMatchObject({
      finding_key: `repeat_complaints:${shop}:${chinaDayOf(firstAt)}`,
      entity_id: shop,
      department_id: bed.stationA,
      grid_id: bed.gridA,
      status: 'open',
    });
    const ev = f!.evidence as { count: number; threshold: number; clues: { number: string }[] };
    expect(ev.count).toBe(3);
    expect(ev.threshold).toBe(3);
    expect(ev.clues.map((c) => c.number)).toEqual(burst.map((b) => b.number));

    const raised = await bed.t.ctx.db
      .selectFrom('clue')
      .selectAll()
      .where('id', '=', Number(f!.clue_id))
      .executeTakeFirstOrThrow();
    expect(raised).toMatchObject({
      channel: 'analysis',
      status: 'analysing',
      entity_id: shop,
      origin_type: 'analysis.finding',
      origin_id: String(f!.id),
      station_id: bed.stationA,
    });
    const timeline = await clueTimeline(bed.t.ctx.db, Number(raised.id));
    const event = timeline.find((e) => e.kind === 'analysis.finding.raised');
    expect(event?.payload).toMatchObject({ detector: 'repeat_complaints', findingId: Number(f!.id) });
    expect(JSON.stringify(event?.payload)).toContain(burst[0]!.number);
    expect(timeline.some((e) => e.kind === 'clue.toAnalysis')).toBe(true);

    // Again, and later in the same window: the same burst is never raised twice.
    await clue({ at: ago(39), entityId: shop });
    for (const asOf of [ago(40), ago(30), ago(25)]) {
      const again = await runDetectors(bed.t.ctx, { detectors: ['repeat_complaints'], asOf, since: ago(90) });
      expect(again.runs[0]!.raised).toBe(0);
    }
    // A new burst after the window may be raised.
    const secondAt = ago(20);
    await clue({ at: secondAt, entityId: shop });
    for (const d of [15, 10]) await clue({ at: ago(d), entityId: shop });
    const later = await runDetectors(bed.t.ctx, { detectors: ['repeat_complaints'] });
    expect(later.runs[0]!.raised).toBe(1);
    const all = await findingsOf('repeat_complaints');
    expect(all.map((x) => x.entity_id)).toEqual([shop, shop]);
    expect(all[1]!.finding_key).toBe(`repeat_complaints:${shop}:${chinaDayOf(secondAt)}`);
  });

  it('raises a burst once when two runs race', async () => {
    const shop = await entity('B');
    for (const d of [9, 6, 3]) await clue({ at: ago(d), entityId: shop });
    const runs = await Promise.all([
      runDetectors(bed.t.ctx, { detectors: ['repeat_complaints'] }),
      runDetectors(bed.t.ctx, { detectors: ['repeat_complaints'] }),
      runDetectors(bed.t.ctx, { detectors: ['repeat_complaints'] }),
    ]);
    expect(runs.reduce((s, r) => s + r.runs[0]!.raised, 0)).toBe(1);
    const mine = (await findingsOf('repeat_complaints')).filter((f) => Number(f.entity_id) === shop);
    expect(mine).toHaveLength(1);
    const raised = await bed.t.ctx.db
      .selectFrom('clue')
      .select('id')
      .where('origin_type', '=', 'analysis.finding')
      .where('entity_id', '=', shop)
      .execute();
    expect(raised).toHaveLength(1);
  });
});

describe('line_spike', () => {
  it('raises a week whose count is improbable against the previous eight weeks', async () => {
    const thisWeek = weekStartOf(todayInChina());
    const lastWeek = addDays(thisWeek, -7);
    const at = (day: string, hour: number) =>
      new Date(Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`));
    // One 食品 clue a week in grid A for eight weeks, then six in one week.
    for (let w = 8; w >= 1; w--)
      await clue({ at: at(addDays(lastWeek, -7 * w + 2), 10), gridId: bed.gridA, line: '食品' });
    const spike = [];
    for (let i = 0; i < 6; i++) {
      spike.push(
        await clue({ at: at(addDays(lastWeek, 1 + (i % 3)), 9 + i), gridId: bed.gridA, line: '食品' }),
      );
    }
    // Grid B had as many last week, but always had: no spike.
    for (let w = 8; w >= 0; w--) {
      for (let i = 0; i < 6; i++)
        await clue({ at: at(addDays(lastWeek, -7 * w + 1), 9 + i), gridId: bed.gridB, line: '食品' });
    }
    const r = await runDetectors(bed.t.ctx, { detectors: ['line_spike'] });
    expect(r.runs[0]!.raised).toBe(1);
    const [f] = await findingsOf('line_spike');
    expect(f).toMatchObject({
      finding_key: `line_spike:grid:${bed.gridA}:食品:${isoWeek(lastWeek)}`,
      grid_id: bed.gridA,
      business_line: '食品',
      department_id: bed.stationA,
    });
    const ev = f!.evidence as {
      count: number;
      baseline: number[];
      baselineMean: number;
      p: number;
      clues: { number: string }[];
    };
    expect(ev.count).toBe(6);
    expect(ev.baseline).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(ev.baselineMean).toBe(1);
    expect(ev.p).toBeCloseTo(poissonUpperTail(6, 1), 10);
    expect(ev.clues.map((c) => c.number).sort()).toEqual(spike.map((s) => s.number).sort());
    const raised = await bed.t.ctx.db
      .selectFrom('clue')
      .selectAll()
      .where('id', '=', Number(f!.clue_id))
      .executeTakeFirstOrThrow();
    expect(raised).toMatchObject({
      channel: 'analysis',
      status: 'analysing',
      grid_id: bed.gridA,
      business_line: '食品',
    });

    const again = await runDetectors(bed.t.ctx, { detectors: ['line_spike'], since: ago(70) });
    expect(again.runs[0]!.raised).toBe(0);
  });
});

describe('licence_expiry', () => {
  it('raises licences about to expire without renewal and expired licences of trading entities', async () => {
    const today = todayInChina();
    const soon = await entity('A');
    const renewed = await entity('A');
    const closed = await entity('B', { status: '注销' });
    const lapsed = await entity('B', { status: '存续（在营、开业、在册）' });
    const licence = (
      entityId: number,
      no: string,
      validUntil: string,
      status = '有效',
      kind = 'food_business',
    ) =>
      bed.t.ctx.db
        .insertInto('entity_licence')
        .values({
          entity_id: entityId,
          kind: kind as never,
          licence_no: no,
          valid_until: validUntil,
          status: status as never,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const a = await licence(soon, 'JY100', addDays(today, 10));
    await licence(soon, 'JY101', addDays(today, 400), '有效', 'drug_business');
    await licence(renewed, 'JY200', addDays(today, 12));
    await licence(renewed, 'JY201', addDays(today, 12 + 5 * 365));
    await licence(closed, 'JY300', addDays(today, 5));
    const d = await licence(lapsed, 'JY400', addDays(today, -20), '过期');
    await licence(lapsed, 'JY401', addDays(today, -400), '过期', 'medical_device');

    const r = await runDetectors(bed.t.ctx, { detectors: ['licence_expiry'] });
    expect(r.runs[0]!.raised).toBe(2);
    const found = await findingsOf('licence_expiry');
    expect(found.map((f) => f.finding_key).sort()).toEqual(
      [
        `licence_expiry:${a.id}:${addDays(today, 10)}`,
        `licence_expiry:${d.id}:${addDays(today, -20)}`,
      ].sort(),
    );
    const expired = found.find((f) => Number(f.entity_id) === lapsed)!;
    expect(expired.title).toContain('已于');
    expect(expired.business_line).toBe('食品');
    expect((expired.evidence as { daysLeft: number }).daysLeft).toBe(-20);

    const again = await runDetectors(bed.t.ctx, { detectors: ['licence_expiry'] });
    expect(again.runs[0]).toMatchObject({ raised: 0, known: 2 });
  });
});

describe('credit_event', () => {
  it('raises new listings of entities with open clues or live licences, once per credit record', async () => {
    const today = todayInChina();
    const busy = await entity('A');
    const idle = await entity('A');
    const licensed = await entity('B');
    await clue({ at: ago(3), entityId: busy });
    await bed.t.ctx.db
      .insertInto('entity_licence')
      .values({
        entity_id: licensed,
        kind: 'food_business',
        licence_no: 'JY900',
        valid_until: addDays(today, 300),
      })
      .execute();
    const record = (entityId: number, kind: string, decided: string, removed: string | null = null) =>
      bed.t.ctx.db
        .insertInto('entity_credit_record')
        .values({
          entity_id: entityId,
          kind: kind as never,
          decided_on: decided,
          removed_on: removed,
          amount: null,
          reason: '通过登记的住所或者经营场所无法联系',
          document_no: '苏市监异〔2026〕1号',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const a = await record(busy, 'serious_violation', addDays(today, -5));
    await record(idle, 'serious_violation', addDays(today, -5));
    const c = await record(licensed, 'abnormal_operation', addDays(today, -2));
    await record(busy, 'abnormal_operation', addDays(today, -3), addDays(today, -1));
    await record(busy, 'abnormal_operation', addDays(today, -200));
    await record(busy, 'administrative_penalty', addDays(today, -4));

    const r = await runDetectors(bed.t.ctx, { detectors: ['credit_event'] });
    expect(r.runs[0]!.raised).toBe(2);
    const found = await findingsOf('credit_event');
    expect(found.map((f) => f.finding_key).sort()).toEqual(
      [`credit_event:${a.id}`, `credit_event:${c.id}`].sort(),
    );
    const busyFinding = found.find((f) => Number(f.entity_id) === busy)!;
    expect((busyFinding.evidence as { openClues: unknown[] }).openClues).toHaveLength(1);
    expect(busyFinding.title).toContain('严重违法失信名单');
    expect((await runDetectors(bed.t.ctx, { detectors: ['credit_event'] })).runs[0]!.raised).toBe(0);
  });
});

describe('findings API', () => {
  it('lists with filters and keyset pages, confirms and dismisses once with a note on the clue timeline', async () => {
    const page = await director('GET', '/api/analysis/findings?limit=2');
    expect(page.statusCode).toBe(200);
    const p1 = page.json() as FindingPage;
    expect(p1.items).toHaveLength(2);
    expect(p1.nextAfter).not.toBeNull();
    const p2 = (
      await director('GET', `/api/analysis/findings?limit=2&after=${p1.nextAfter}`)
    ).json() as FindingPage;
    expect(p2.items[0]!.id).toBeLessThan(p1.items[1]!.id);

    const licences = (
      await director('GET', '/api/analysis/findings?detector=licence_expiry')
    ).json() as FindingPage;
    expect(licences.items.length).toBeGreaterThan(0);
    expect(licences.items.every((f) => f.detector === 'licence_expiry')).toBe(true);
    const inGrid = (
      await director(
        'GET',
        `/api/analysis/findings?gridId=${bed.gridA}&businessLine=${encodeURIComponent('食品')}`,
      )
    ).json() as FindingPage;
    expect(inGrid.items.every((f) => f.gridId === bed.gridA && f.businessLine === '食品')).toBe(true);

    const target = licences.items[0]!;
    expect(target.clueNumber).toMatch(/\S/);
    const confirmed = await director('POST', `/api/analysis/findings/${target.id}/confirm`, {
      note: '已安排检查',
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({
      status: 'confirmed',
      note: '已安排检查',
      handledByName: 'director',
    });
    const twice = await director('POST', `/api/analysis/findings/${target.id}/dismiss`, { note: '重复' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('CONFLICT');
    const timeline = await clueTimeline(bed.t.ctx.db, target.clueId!);
    expect(timeline.find((e) => e.kind === 'analysis.finding.confirmed')?.payload).toMatchObject({
      note: '已安排检查',
    });

    const other = licences.items[1] ?? p1.items.find((f) => f.status === 'open')!;
    const dismissed = await director('POST', `/api/analysis/findings/${other.id}/dismiss`, {
      note: '已办理延续',
    });
    expect((dismissed.json() as Finding).status).toBe('dismissed');
    const open = (
      await director('GET', '/api/analysis/findings?status=open&limit=200')
    ).json() as FindingPage;
    expect(open.items.map((f) => f.id)).not.toContain(other.id);
  });

  it('runs the detectors on demand', async () => {
    const r = await director('POST', '/api/analysis/findings/run', {
      detectors: ['licence_expiry', 'credit_event'],
    });
    expect(r.statusCode).toBe(200);
    const body = r.json() as FindingRunResult;
    expect(body.runs.map((x) => x.detector)).toEqual(['licence_expiry', 'credit_event']);
    expect(body.runs.every((x) => x.raised === 0)).toBe(true);
    expect((await director('POST', '/api/analysis/findings/run', {})).statusCode).toBe(200);
  });

  it('applies the data scope: a station sees its own findings only', async () => {
    const role = await insertRole(
      bed.t.ctx.db,
      'finding_b',
      ['analysis:finding:read', 'analysis:finding:update'],
      'department',
    );
    await insertUser(bed.t.ctx.db, 'analyst_b', bed.stationB, [role]);
    const b = caller(bed.t.app, await login(bed.t.app, 'analyst_b'));
    const mine = (await b('GET', '/api/analysis/findings?limit=200')).json() as FindingPage;
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((f) => f.departmentId === bed.stationB)).toBe(true);
    const all = (await director('GET', '/api/analysis/findings?limit=200')).json() as FindingPage;
    const theirs = all.items.find((f) => f.departmentId === bed.stationA && f.status === 'open')!;
    expect((await b('GET', `/api/analysis/findings/${theirs.id}`)).statusCode).toBe(404);
    expect(
      (await b('POST', `/api/analysis/findings/${theirs.id}/confirm`, { note: '越权' })).statusCode,
    ).toBe(404);
    expect((await b('POST', '/api/analysis/findings/run', {})).statusCode).toBe(403);
    const officer = await bed.as('officerA');
    expect((await officer('GET', '/api/analysis/findings')).statusCode).toBe(403);
  });

  it('refuses bad input with 400', async () => {
    for (const url of [
      '/api/analysis/findings?detector=everything',
      '/api/analysis/findings?status=closed',
      '/api/analysis/findings?limit=0',
      '/api/analysis/findings?after=-1',
      '/api/analysis/findings?gridId=abc',
      '/api/analysis/findings?unknown=1',
      '/api/analysis/findings/abc',
    ]) {
      const r = await director('GET', url);
      expect(r.statusCode, url).toBe(400);
    }
    for (const [url, body] of [
      ['/api/analysis/findings/1/confirm', {}],
      ['/api/analysis/findings/1/confirm', { note: '' }],
      ['/api/analysis/findings/1/dismiss', { note: 'x'.repeat(501) }],
      ['/api/analysis/findings/1/dismiss', { note: 'ok', extra: true }],
      ['/api/analysis/findings/run', { detectors: ['everything'] }],
      ['/api/analysis/findings/run', { detectors: [] }],
    ] as const) {
      const r = await director('POST', url, body);
      expect(r.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(r.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await director('GET', '/api/analysis/findings/999999')).statusCode).toBe(404);
  });
});
