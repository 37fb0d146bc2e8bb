import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CluesTestBed, phoneCall, startCluesTestBed } from '../../../test/clues-support.ts';

let bed: CluesTestBed;
let officer: Awaited<ReturnType<CluesTestBed['as']>>;

beforeAll(async () => {
  bed = await startCluesTestBed();
  officer = await bed.as('officerA');
});
afterAll(async () => {
  await bed?.close();
});

const limits = async (clueId: number) =>
  bed.t.ctx.db
    .selectFrom('deadline')
    .select(['rule_key', 'status', 'start_on', 'due_on', 'day_kind', 'days', 'regulation'])
    .where('clue_id', '=', clueId)
    .orderBy('id')
    .execute();

const intake = async (body: Record<string, unknown>) => {
  const res = await officer('POST', '/api/clues', body);
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: number }).id;
};
const move = async (id: number, body: Record<string, unknown>) => {
  const version = ((await officer('GET', `/api/clues/${id}`)).json() as { version: number }).version;
  const res = await officer('POST', `/api/clues/${id}/transitions`, { version, ...body });
  expect(res.statusCode, res.body).toBe(200);
};

describe('legal limits follow the clue', () => {
  it('starts the 7-working-day acceptance limit of a complaint on receipt, counted over the 国庆 holiday', async () => {
    // Received on Tuesday 2026-09-29: 9-30 is a working day, 10-01…10-07 the National Day holiday, 10-10 a
    // make-up Saturday (State Council schedule for 2026), so the seventh working day is 10-13.
    const id = await intake(phoneCall({ receivedAt: '2026-09-29T10:00:00+08:00' }));
    const [accept] = await limits(id);
    expect(accept).toMatchObject({
      rule_key: 'complaint.accept',
      status: 'running',
      start_on: '2026-09-29',
      day_kind: 'working',
      days: 7,
    });
    expect(accept!.regulation).toContain('第121号');
    expect(accept!.due_on > '2026-10-08').toBe(true);
  });

  it('meets the acceptance limit when the complaint is routed, and starts mediation under the receipt day’s rule', async () => {
    const id = await intake(phoneCall({ receivedAt: '2026-04-10T10:00:00+08:00', channel: 'letter' }));
    await move(id, { action: 'toDispatch' });
    const rows = await limits(id);
    expect(rows.map((r) => [r.rule_key, r.status])).toEqual([
      ['complaint.accept', 'met'],
      ['complaint.mediation', 'running'],
    ]);
    // Received before 2026-04-15: Order 20's 45 working days, not Order 121's 60 natural days.
    expect(rows[1]).toMatchObject({ days: 45, day_kind: 'working' });
    expect(rows[1]!.regulation).toContain('第20号');
  });

  it('gives a real-name report 15 working days to verify, then the informant’s reply limit after the result', async () => {
    const id = await intake(
      phoneCall({
        kind: 'report',
        content: '举报某超市销售过期食品，货架上有多批次过期酸奶。',
        complainant: { name: '赵六', phone: '13700001234', realName: true },
        confidential: true,
      }),
    );
    expect((await limits(id)).map((r) => [r.rule_key, r.days])).toEqual([['report.verify', 15]]);
    await move(id, { action: 'toDispatch' });
    await move(id, { action: 'startHandling' });
    await move(id, { action: 'recordResult', result: '已立案调查' });
    expect((await limits(id)).map((r) => [r.rule_key, r.status])).toEqual([
      ['report.verify', 'met'],
      ['report.reply', 'running'],
    ]);
    await move(id, { action: 'close' });
    expect((await limits(id)).every((r) => r.status === 'met')).toBe(true);
  });

  it('shows the limits on the clue timeline', async () => {
    const id = await intake(phoneCall());
    const d = (await officer('GET', `/api/clues/${id}`)).json() as { timeline: { kind: string }[] };
    expect(d.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['clue.received', 'deadline.started']),
    );
  });

  it('lists the clue’s limits for its page, and hides them from another station', async () => {
    const id = await intake(phoneCall());
    const res = await officer('GET', `/api/clues/${id}/deadlines`);
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: { ruleKey: string; status: string; dueOn: string }[] }).items;
    expect(items).toEqual([expect.objectContaining({ ruleKey: 'complaint.accept', status: 'running' })]);
    expect(items[0]?.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const other = await bed.as('officerB');
    const hidden = await other('GET', `/api/clues/${id}/deadlines`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
