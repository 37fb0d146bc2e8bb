import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { json } from '../../platform/db/json.ts';
import { AFTER_IMPORT_JOB } from '../entities/entities.jobs.ts';
import { recomputeRisk } from './risk.compute.ts';
import { riskModelSetting } from './risk.model.ts';
import { RECOMPUTE_JOB, setEntityClasses } from './risk.repo.ts';
import { AS_OF, day, riskTestOrg } from './risk.test-support.ts';
import { loadEntityRisk } from './risk.view.ts';

let t: TestContext;
let org: Awaited<ReturnType<typeof riskTestOrg>>;

beforeAll(async () => {
  t = await createTestContext();
  org = await riskTestOrg(t.ctx.db);
});
afterAll(() => t?.close());

const classOf = async (id: number) =>
  (await t.ctx.db.selectFrom('entity').select('risk_class').where('id', '=', id).executeTakeFirstOrThrow())
    .risk_class;
const riskEvents = (id: number) =>
  t.ctx.db
    .selectFrom('ledger_event')
    .selectAll()
    .where('kind', '=', 'entity.risk.changed')
    .where('subject_id', '=', String(id))
    .orderBy('id')
    .execute();
const countRows = async (table: 'ledger_event' | 'entity_risk') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('recomputeRisk', () => {
  it('classifies for the first time without a ledger event, and a second run writes nothing', async () => {
    const clean = await org.entity('清白商行');
    const listed = await org.entity('异常商行');
    await org.credit(listed, { kind: 'abnormal_operation', decidedOn: day(-30) });
    const ledgerBefore = await countRows('ledger_event');

    const first = await recomputeRisk(t.ctx, { entityIds: [clean, listed] }, { asOf: AS_OF });
    expect(first).toMatchObject({
      examined: 2,
      written: 2,
      reclassified: 2,
      events: 0,
      modelVersion: 'default',
    });
    expect([await classOf(clean), await classOf(listed)]).toEqual(['A', 'C']);
    const stamp = (await loadEntityRisk(t.ctx.db, listed))!.computedAt;

    const again = await recomputeRisk(t.ctx, { entityIds: [clean, listed] }, { asOf: AS_OF });
    expect(again).toMatchObject({ examined: 2, written: 0, reclassified: 0, events: 0 });
    expect((await loadEntityRisk(t.ctx.db, listed))!.computedAt).toBe(stamp);
    expect(await countRows('ledger_event')).toBe(ledgerBefore);
  });

  it('records a class change in the ledger with old and new class and the main reasons', async () => {
    const id = await org.entity('变更商行', { station: org.stationB });
    await recomputeRisk(t.ctx, { entityIds: [id] }, { asOf: AS_OF });
    expect(await classOf(id)).toBe('A');

    await org.credit(id, { kind: 'serious_violation', decidedOn: day(-3), reason: '提供虚假材料取得登记' });
    await org.licence(id, { validUntil: day(-20) });
    const summary = await recomputeRisk(
      t.ctx,
      { entityIds: [id] },
      { asOf: AS_OF, actor: { id: null, name: '张科长' } },
    );
    expect(summary).toMatchObject({ written: 1, reclassified: 1, events: 1 });
    expect(await classOf(id)).toBe('D');
    const [event, ...more] = await riskEvents(id);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({
      subject_type: 'entity',
      actor_name: '张科长',
      department_id: org.stationB,
    });
    expect(event!.payload).toMatchObject({
      from: 'A',
      to: 'D',
      score: 75,
      previousScore: 0,
      modelVersion: 'default',
      asOf: AS_OF,
      reasons: [
        {
          label: '列入严重违法失信名单',
          points: 60,
          detail: `列入严重违法失信名单（${day(-3)}，未移出）：提供虚假材料取得登记`,
        },
        { label: '许可证过期仍在经营', points: 15 },
      ],
    });

    // A changed score within the same class rewrites the explanation but is no ledger news.
    await org.credit(id, { kind: 'abnormal_operation', decidedOn: day(-1) });
    expect(await recomputeRisk(t.ctx, { entityIds: [id] }, { asOf: AS_OF })).toMatchObject({
      written: 1,
      reclassified: 0,
      events: 0,
    });
    expect((await loadEntityRisk(t.ctx.db, id))!.score).toBe(105);
  });

  it('records a change once when two runs reclassify the same entity', async () => {
    const id = await org.entity('并发商行', { riskClass: 'A' });
    // The second run read 'A' too, but the first has already moved the entity to C.
    expect(await setEntityClasses(t.ctx.db, [{ id, from: 'A', to: 'C' }])).toEqual(new Set([id]));
    expect(await setEntityClasses(t.ctx.db, [{ id, from: 'A', to: 'C' }])).toEqual(new Set());
    expect(await classOf(id)).toBe('C');
  });

  it('leaves an entity absorbed by a merge alone', async () => {
    const survivor = await org.entity('存续方商行');
    const absorbed = await org.entity('被合并商行');
    await t.ctx.db.updateTable('entity').set({ merged_into: survivor }).where('id', '=', absorbed).execute();
    const s = await recomputeRisk(t.ctx, { entityIds: [survivor, absorbed] }, { asOf: AS_OF });
    expect(s.examined).toBe(1);
    expect(await classOf(absorbed)).toBeNull();
  });

  it('after an import, recomputes only the entities the run touched', async () => {
    const start = new Date(Date.now() + 60_000);
    const run = await t.ctx.db
      .insertInto('exchange_run')
      .values({
        source: 'demo-registration',
        file_name: 'x.csv',
        sha256: 'x',
        actor_name: '测试',
        quality: json([]),
        started_at: start,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const runId = Number(run.id);
    const byLicence = await org.entity('本批许可商行');
    await org.licence(byLicence, { validUntil: day(-10), runId });
    const byCredit = await org.entity('本批信用商行');
    await org.credit(byCredit, { kind: 'abnormal_operation', decidedOn: day(-5), runId });
    const byUpdate = await org.entity('本批登记更新商行');
    await t.ctx.db
      .updateTable('entity')
      .set({ updated_at: new Date(start.getTime() + 1000) })
      .where('id', '=', byUpdate)
      .execute();
    const untouched = await org.entity('未涉及商行');
    await org.credit(untouched, { kind: 'abnormal_operation', decidedOn: day(-5) });

    const s = await recomputeRisk(t.ctx, { runId }, { asOf: AS_OF });
    expect(s.examined).toBe(3);
    expect([await classOf(byLicence), await classOf(byCredit), await classOf(byUpdate)]).toEqual([
      'B',
      'C',
      'A',
    ]);
    expect(await classOf(untouched)).toBeNull();

    // The same step runs as part of the after-import job.
    const other = await org.entity('后续批次商行');
    await org.credit(other, { kind: 'abnormal_operation', decidedOn: day(-2), runId });
    await t.ctx.jobs.enqueue(t.ctx.db, AFTER_IMPORT_JOB, { runId });
    expect(await t.ctx.jobs.claimAndRun(t.ctx, 5)).toBe(1);
    expect(await classOf(other)).toBe('C');
    expect(await classOf(untouched)).toBeNull();
  });

  it('classifies every entity through the recompute job, in batches', async () => {
    await t.ctx.jobs.enqueue(t.ctx.db, RECOMPUTE_JOB, {});
    expect(await t.ctx.jobs.claimAndRun(t.ctx, 5)).toBe(1);
    const job = await t.ctx.db
      .selectFrom('job')
      .select(['status', 'last_error'])
      .where('name', '=', RECOMPUTE_JOB)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'succeeded', last_error: null });
    const unclassified = await t.ctx.db
      .selectFrom('entity')
      .select('id')
      .where('risk_class', 'is', null)
      .where('merged_into', 'is', null)
      .execute();
    expect(unclassified).toEqual([]);
    // Batches of two give the same result as one batch: nothing left to write.
    const s = await recomputeRisk(t.ctx, { all: true }, { batchSize: 2 });
    expect(s.examined).toBe(await countRows('entity_risk'));
    expect(s.written).toBe(0);
  });
});

describe('model versions', () => {
  it('applies a new model version from its effective date on, and names the version used', async () => {
    const id = await org.entity('版本测试商行');
    await org.credit(id, { kind: 'abnormal_operation', decidedOn: day(-60) });
    const from = day(30);
    await t.ctx.settings.set(
      { id: null, name: '测试' },
      riskModelSetting,
      { ...riskModelSetting.default, abnormalOperationWeight: 12 },
      { effectiveFrom: from },
    );

    // Before its date the new version is not applied.
    expect(await recomputeRisk(t.ctx, { entityIds: [id] }, { asOf: day(29) })).toMatchObject({
      modelVersion: 'default',
    });
    expect(await loadEntityRisk(t.ctx.db, id)).toMatchObject({
      riskClass: 'C',
      score: 30,
      modelVersion: 'default',
    });

    // From its date on (the nightly run of that day) it is, and the explanation says which version it was.
    const s = await recomputeRisk(t.ctx, { entityIds: [id] }, { asOf: from });
    expect(s).toMatchObject({ modelVersion: from, reclassified: 1, events: 1 });
    expect(await loadEntityRisk(t.ctx.db, id)).toMatchObject({
      riskClass: 'B',
      score: 12,
      modelVersion: from,
      asOf: from,
      contributions: [expect.objectContaining({ weight: 12, points: 12 })],
    });
    const [event] = await riskEvents(id);
    expect(event!.payload).toMatchObject({ from: 'C', to: 'B', modelVersion: from });
  });

  it('schedules the nightly run of every entity', async () => {
    await t.ctx.jobs.startWorker(t.ctx, { pollMs: 60_000 });
    await t.ctx.jobs.stopWorker();
    const schedule = await t.ctx.db
      .selectFrom('job_schedule')
      .select(['cron', 'job_name', 'payload'])
      .where('name', '=', RECOMPUTE_JOB)
      .executeTakeFirst();
    expect(schedule).toEqual({ cron: '30 1 * * *', job_name: RECOMPUTE_JOB, payload: {} });
  });
});
