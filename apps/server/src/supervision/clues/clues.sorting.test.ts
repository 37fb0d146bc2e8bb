import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CluesTestBed, phoneCall, startCluesTestBed } from '../../../test/clues-support.ts';
import { login } from '../../../test/fixtures.ts';
import { json } from '../../platform/db/json.ts';
import { bigrams, similarity } from './clues.duplicates.ts';

let bed: CluesTestBed;
type Call = Awaited<ReturnType<CluesTestBed['as']>>;
let officerA: Call;
let officerB: Call;
let clerk: Call;
let director: Call;
let patch: (url: string, body: unknown) => ReturnType<Call>;

beforeAll(async () => {
  bed = await startCluesTestBed();
  [officerA, officerB, clerk, director] = await Promise.all([
    bed.as('officerA'),
    bed.as('officerB'),
    bed.as('clerk'),
    bed.as('director'),
  ]);
  const s = await login(bed.t.app, 'director');
  patch = (url, body) =>
    bed.t.app.inject({ method: 'PATCH', url, headers: s.headers, payload: body as object });
});
afterAll(async () => {
  await bed?.close();
});

type Detail = {
  id: number;
  number: string;
  status: string;
  kind: string;
  version: number;
  businessLine: string | null;
  category12315: string | null;
  sortSuggestion: Record<string, unknown>;
  resolution: Record<string, unknown>;
  parties: { role: string; channel: string; originalClueId: number }[];
  timeline: { kind: string; payload: Record<string, unknown> }[];
  splitFromId: number | null;
  mergedIntoId: number | null;
  channel: string;
  receivedAt: string;
  mergedClues: { id: number }[];
};

const create = async (call: Call, body: Record<string, unknown>) => {
  const res = await call('POST', '/api/clues', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; number: string };
};
const detail = async (id: number, call: Call = director): Promise<Detail> => {
  const res = await call('GET', `/api/clues/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
let seq = 0;
/** A respondent of its own per test, so duplicates of other tests stay out. */
const shop = (label: string) => ({ name: `${label}${++seq}号店`, address: '城东路 1 号' });

describe('sorting suggestions (rules as data)', () => {
  it('suggests the business line, 12315 category and route for typical texts', async () => {
    const cases: [string, string, string | undefined][] = [
      ['小区电梯经常困人，物业不管，存在安全隐患。', '特种设备', 'dispatch'],
      ['在超市买的牛奶已经过期三天，还在货架上销售。', '食品', 'dispatch'],
      ['菜市场的摊主缺斤短两，一斤只有八两。', '计量', 'dispatch'],
      ['直播间虚假宣传减肥产品，收到货后无效果。', '广告', 'analysis'],
      ['药店没有处方就卖处方药给我。', '药品/医疗器械/化妆品', 'dispatch'],
    ];
    for (const [content, line, route] of cases) {
      const c = await create(officerA, phoneCall({ content, respondent: shop('建议') }));
      const d = await detail(c.id);
      expect(d.sortSuggestion.businessLine, content).toBe(line);
      expect(d.sortSuggestion.route, content).toBe(route);
      expect(d.businessLine, content).toBe(line);
      expect(d.sortSuggestion.classifier).toMatch(/^rules/); // rules first; the triage model may fill gaps
      expect(d.sortSuggestion.confidence).toBeGreaterThan(0);
    }
  });

  it('recognises an inquiry and suggests answering it directly', async () => {
    const c = await create(
      officerA,
      phoneCall({ content: '请问个体户营业执照怎么办理？需要什么材料？', respondent: undefined }),
    );
    const d = await detail(c.id);
    expect(d.sortSuggestion).toMatchObject({ kind: 'inquiry', route: 'direct', businessLine: '登记注册' });
    expect(d.kind).toBe('complaint'); // the kind is only suggested: staff decide
  });

  it('links a unique exact name by itself, and offers the entities sharing an ambiguous one', async () => {
    const entity = async (name: string, address: string) =>
      Number(
        (
          await bed.t.ctx.db
            .insertInto('entity')
            .values({
              uscc: null,
              name,
              type: 'individual',
              address,
              region_code: '320500',
              grid_id: bed.gridA,
              station_id: bed.stationA,
              lon: null,
              lat: null,
              business_lines: json(['食品']),
              risk_class: null,
              established_on: '2020-05-01',
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    const unique = await entity('城东唯一名称熟食店', '城东路 3 号');
    const [twinA, twinB] = [
      await entity('城东同名熟食店', '城东路 5 号'),
      await entity('城东同名熟食店', '城西路 7 号'),
    ];

    const linked = await detail(
      (await create(officerA, phoneCall({ respondent: { name: '城东唯一名称熟食店', address: '' } }))).id,
    );
    expect((linked as Detail & { entityId: number | null }).entityId).toBe(unique);
    expect(linked.sortSuggestion.respondents).toEqual([]);

    const ambiguous = await detail(
      (await create(officerA, phoneCall({ respondent: { name: '城东同名熟食店', address: '' } }))).id,
    );
    expect((ambiguous as Detail & { entityId: number | null }).entityId).toBeNull();
    expect(ambiguous.sortSuggestion.respondents).toEqual([
      { entityId: twinA, name: '城东同名熟食店', uscc: null },
      { entityId: twinB, name: '城东同名熟食店', uscc: null },
    ]);
  });

  it('never overwrites what staff typed', async () => {
    const c = await create(
      officerA,
      phoneCall({ content: '饭店的食品过期了', businessLine: '消费者权益保护', respondent: shop('保留') }),
    );
    const d = await detail(c.id);
    expect(d.sortSuggestion.businessLine).toBe('食品');
    expect(d.businessLine).toBe('消费者权益保护');
  });

  it('rules are edited on the console and take effect for the next clue; stale versions are refused', async () => {
    const made = await director('POST', '/api/clues/sort-rules', {
      name: '冷链',
      priority: 900,
      match: { keywordsAny: ['冷链专用词'] },
      suggest: { businessLine: '产品质量', route: 'analysis' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const rule = made.json();
    const c = await create(
      officerA,
      phoneCall({ content: '冷链专用词的食品过期了', respondent: shop('冷链') }),
    );
    expect((await detail(c.id)).sortSuggestion).toMatchObject({
      businessLine: '产品质量',
      ruleNames: expect.arrayContaining(['冷链']),
    });

    const ok = await patch(`/api/clues/sort-rules/${rule.id}`, { version: rule.version, enabled: false });
    expect(ok.statusCode, ok.body).toBe(200);
    const stale = await patch(`/api/clues/sort-rules/${rule.id}`, { version: rule.version, priority: 1 });
    expect(stale.statusCode).toBe(409);
    const badLine = await director('POST', '/api/clues/sort-rules', {
      name: '坏',
      match: { keywordsAny: ['x'] },
      suggest: { businessLine: '不存在的条线' },
    });
    expect(badLine.statusCode).toBe(400);
    const unknownField = await director('POST', '/api/clues/sort-rules', {
      name: '坏',
      match: { keywordsAny: ['x'] },
      suggest: { kind: 'inquiry' },
      extra: 1,
    });
    expect(unknownField.statusCode).toBe(400);
    expect((await director('DELETE', `/api/clues/sort-rules/${rule.id}`)).statusCode).toBe(200);
    expect((await director('DELETE', `/api/clues/sort-rules/${rule.id}`)).statusCode).toBe(404);
    const test = await director('POST', '/api/clues/sort-rules/test', { content: '锅炉漏气' });
    expect(test.json()).toMatchObject({ businessLine: '特种设备' });
    expect(
      (await clerk('POST', '/api/clues/sort-rules', { name: 'x', match: {}, suggest: { kind: 'other' } }))
        .statusCode,
    ).toBe(403);
  });
});

describe('分拣确认', () => {
  it('records the correction with the changed fields and moves the clue on, in one step', async () => {
    const c = await create(officerA, phoneCall({ content: '超市卖的牛奶过期了', respondent: shop('确认') }));
    const before = await detail(c.id);
    const res = await officerA('POST', `/api/clues/${c.id}/sorting`, {
      version: before.version,
      kind: 'complaint',
      businessLine: '消费者权益保护',
      category12315: 'goods.food',
      route: 'analysis',
    });
    expect(res.statusCode, res.body).toBe(200);
    const after: Detail = res.json();
    expect(after.status).toBe('analysing');
    expect(after.businessLine).toBe('消费者权益保护');
    const kinds = after.timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['clue.sorted', 'clue.toAnalysis']));
    const sorted = after.timeline.find((e) => e.kind === 'clue.sorted');
    expect(sorted?.payload.changes).toEqual(
      expect.arrayContaining([{ field: 'businessLine', from: '食品', to: '消费者权益保护' }]),
    );
    const fb = await bed.t.ctx.db
      .selectFrom('clue_sort_feedback')
      .selectAll()
      .where('clue_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(fb.changed_fields).toEqual(expect.arrayContaining(['businessLine', 'route']));
    expect(fb.changed_fields).not.toContain('kind');
    expect(fb.suggested).toMatchObject({ businessLine: '食品', route: 'dispatch' });
    expect(fb.confirmed).toMatchObject({ businessLine: '消费者权益保护', route: 'analysis' });
  });

  it('answers an inquiry directly, and refuses 直接办结 without an answer', async () => {
    const c = await create(officerA, phoneCall({ content: '请问营业执照怎么办理', respondent: undefined }));
    const v = (await detail(c.id)).version;
    const base = { version: v, kind: 'inquiry', businessLine: '登记注册', route: 'direct' };
    const missing = await officerA('POST', `/api/clues/${c.id}/sorting`, base);
    expect(missing.statusCode).toBe(400);
    expect((await detail(c.id)).status).toBe('sorting');
    const ok = await officerA('POST', `/api/clues/${c.id}/sorting`, {
      ...base,
      answer: '请携带身份证到政务服务中心办理。',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'direct',
      kind: 'inquiry',
      resultSummary: '请携带身份证到政务服务中心办理。',
    });
  });

  it('two sortings of the same version: one wins, the other gets 409', async () => {
    const c = await create(
      officerA,
      phoneCall({ content: '小区电梯困人半小时无人处理', respondent: shop('并发') }),
    );
    const v = (await detail(c.id)).version;
    const body = (route: string) => ({ version: v, kind: 'complaint', businessLine: '特种设备', route });
    const [a, b] = await Promise.all([
      officerA('POST', `/api/clues/${c.id}/sorting`, body('dispatch')),
      director('POST', `/api/clues/${c.id}/sorting`, body('analysis')),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const n = await bed.t.ctx.db
      .selectFrom('clue_sort_feedback')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('clue_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('keeps to data scope and the dictionaries', async () => {
    const c = await create(officerA, phoneCall({ respondent: shop('范围') }));
    const v = (await detail(c.id)).version;
    const body = { version: v, kind: 'complaint', businessLine: '食品', route: 'dispatch' };
    expect((await officerB('POST', `/api/clues/${c.id}/sorting`, body)).statusCode).toBe(404);
    expect(
      (await officerA('POST', `/api/clues/${c.id}/sorting`, { ...body, businessLine: '瞎填' })).statusCode,
    ).toBe(400);
    expect((await clerk('POST', `/api/clues/${c.id}/sorting`, body)).statusCode).toBe(403);
  });
});

describe('拆分 (Order 20 Art.7)', () => {
  it('splits a complaint-and-report submission into two clues with their own timelines', async () => {
    const c = await create(
      officerA,
      phoneCall({
        channel: 'letter',
        content: '买到过期食品要求退款，另外举报该店长期销售过期食品。',
        respondent: shop('拆分'),
        complainant: { name: '赵六', phone: '13912340000' },
      }),
    );
    const v = (await detail(c.id)).version;
    const res = await officerA('POST', `/api/clues/${c.id}/split`, {
      version: v,
      parts: [
        { kind: 'complaint', content: '买到过期食品，要求退款。', request: '退款' },
        { kind: 'report', content: '举报该店长期销售过期食品。' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json() as { clues: { id: number; number: string; kind: string }[] };
    expect(out.clues).toHaveLength(2);
    expect(out.clues[0]?.id).toBe(c.id);
    const [orig, part] = [await detail(c.id), await detail(out.clues[1]!.id)];
    expect(part.number).not.toBe(orig.number);
    expect(part.splitFromId).toBe(c.id);
    expect(part.kind).toBe('report');
    expect(part.channel).toBe('letter');
    expect(part.receivedAt).toBe(orig.receivedAt);
    expect(part.parties).toHaveLength(1);
    expect(part.parties[0]?.role).toBe('informant');
    expect(orig.parties[0]?.role).toBe('complainant');
    expect(orig.timeline.map((e) => e.kind)).toContain('clue.split');
    expect(part.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['clue.received', 'clue.split']));
    // Split parts are not each other's duplicates.
    const dup = await director('GET', `/api/clues/${part.id}/duplicates`);
    expect(dup.json().items.map((i: { id: number }) => i.id)).not.toContain(c.id);
    // A stale version is refused.
    const again = await officerA('POST', `/api/clues/${c.id}/split`, {
      version: v,
      parts: [
        { kind: 'complaint', content: '买到过期食品，要求退款。' },
        { kind: 'report', content: '举报该店长期销售过期食品。' },
      ],
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('duplicates and 并案', () => {
  it('bigram similarity is high for repeats and low for different matters', () => {
    expect(
      similarity(bigrams('城东熟食店卖的熟食有异味'), bigrams('城东熟食店卖的熟食有异味，拒绝退货')),
    ).toBeGreaterThan(0.6);
    expect(similarity(bigrams('电梯困人'), bigrams('牛奶过期'))).toBe(0);
  });

  it('finds a repeat across channels within the window, not outside it, and queues the pair', async () => {
    const respondent = shop('重复');
    const old = await create(
      officerA,
      phoneCall({
        respondent,
        channel: 'letter',
        receivedAt: new Date(Date.now() - 45 * 86_400_000).toISOString(),
      }),
    );
    const first = await create(officerA, phoneCall({ respondent, channel: '12345' }));
    const second = await create(
      officerA,
      phoneCall({ respondent, channel: 'phone', complainant: { name: '钱七', phone: '13700001234' } }),
    );
    const res = await director('GET', `/api/clues/${second.id}/duplicates`);
    expect(res.statusCode, res.body).toBe(200);
    const ids = res.json().items.map((i: { id: number }) => i.id);
    expect(ids).toContain(first.id);
    expect(ids).not.toContain(old.id);
    const hit = res.json().items.find((i: { id: number }) => i.id === first.id);
    expect(hit.reasons.join(' ')).toContain('来源渠道不同');

    // Before saving: the intake form asks with respondent + content (a static path, not /:id).
    const q = new URLSearchParams({
      respondentName: ` ${respondent.name} `,
      content: phoneCall().content as string,
    });
    const preview = await clerk('GET', `/api/clues/duplicates?${q}`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().items.map((i: { id: number }) => i.id)).toEqual(
      expect.arrayContaining([first.id, second.id]),
    );
    const other = new URLSearchParams({
      respondentName: respondent.name,
      content: '完全不同的事情：锅炉漏气冒烟',
    });
    expect((await clerk('GET', `/api/clues/duplicates?${other}`)).json().items).toHaveLength(0);

    const queue = await director('GET', '/api/clues/merge-queue');
    expect(queue.statusCode, queue.body).toBe(200);
    const pair = queue
      .json()
      .items.find(
        (p: { clue: { id: number }; candidate: { id: number } }) =>
          p.clue.id === second.id && p.candidate.id === first.id,
      );
    expect(pair).toBeTruthy();
    // officerB cannot see these clues, so not the pair either.
    const qb = await officerB('GET', '/api/clues/merge-queue');
    expect(qb.json().items.find((p: { id: number }) => p.id === pair.id)).toBeUndefined();

    // 并案: second joins first; its complainant moves along with the original clue and channel.
    const sv = (await detail(second.id)).version;
    const merged = await officerA('POST', `/api/clues/${second.id}/transitions`, {
      action: 'merge',
      version: sv,
      targetId: first.id,
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const target = await detail(first.id);
    expect(target.parties.map((p) => [p.originalClueId, p.channel])).toEqual(
      expect.arrayContaining([
        [first.id, '12345'],
        [second.id, 'phone'],
      ]),
    );
    expect(target.mergedClues.map((m) => m.id)).toContain(second.id);
    expect(target.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['clue.merged_in', 'clue.merge']),
    );
    expect((await detail(second.id)).parties).toHaveLength(0);
    const list = await director('GET', `/api/clues?q=${encodeURIComponent(respondent.name)}`);
    expect(list.json().items.map((i: { id: number }) => i.id)).not.toContain(second.id);
    const q2 = await director('GET', '/api/clues/merge-queue');
    expect(q2.json().items.find((p: { id: number }) => p.id === pair.id)).toBeUndefined();

    // Cycle: the target cannot now merge into the clue merged into it.
    const fv = target.version;
    const cycle = await director('POST', `/api/clues/${first.id}/transitions`, {
      action: 'merge',
      version: fv,
      targetId: second.id,
    });
    expect(cycle.statusCode).toBe(400);
    const self = await director('POST', `/api/clues/${first.id}/transitions`, {
      action: 'merge',
      version: fv,
      targetId: first.id,
    });
    expect(self.statusCode).toBe(400);
  });

  it('refuses a closed target, and of two merges on the same version one wins', async () => {
    const respondent = shop('并案');
    const done = await create(officerA, phoneCall({ respondent, content: '请问营业执照怎么办理' }));
    const dv = (await detail(done.id)).version;
    expect(
      (
        await officerA('POST', `/api/clues/${done.id}/transitions`, {
          action: 'answer',
          version: dv,
          answer: '已答复。',
        })
      ).statusCode,
    ).toBe(200);
    const a = await create(officerA, phoneCall({ respondent }));
    const b = await create(officerA, phoneCall({ respondent }));
    const c = await create(officerA, phoneCall({ respondent }));
    const av = (await detail(a.id)).version;
    const closed = await director('POST', `/api/clues/${a.id}/transitions`, {
      action: 'merge',
      version: av,
      targetId: done.id,
    });
    expect(closed.statusCode).toBe(400);
    expect(closed.json().message).toContain('直接办结');
    const [r1, r2] = await Promise.all([
      director('POST', `/api/clues/${a.id}/transitions`, { action: 'merge', version: av, targetId: b.id }),
      director('POST', `/api/clues/${a.id}/transitions`, { action: 'merge', version: av, targetId: c.id }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
  });

  it('dismisses a pair from the queue once', async () => {
    const respondent = shop('忽略');
    await create(officerA, phoneCall({ respondent }));
    const b = await create(officerA, phoneCall({ respondent }));
    const queue = await director('GET', '/api/clues/merge-queue?limit=200');
    const pair = queue.json().items.find((p: { clue: { id: number } }) => p.clue.id === b.id);
    expect(pair).toBeTruthy();
    expect((await clerk('POST', `/api/clues/merge-queue/${pair.id}/dismiss`, {})).statusCode).toBe(403);
    const ok = await director('POST', `/api/clues/merge-queue/${pair.id}/dismiss`, {
      reason: '不同批次商品',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('dismissed');
    expect((await director('POST', `/api/clues/merge-queue/${pair.id}/dismiss`, {})).statusCode).toBe(409);
  });
});

describe('不予受理 grounds by the rule in force on the receipt day', () => {
  it('lists the grounds in force on a day', async () => {
    const before = (await clerk('GET', '/api/clues/refusal-grounds?day=2026-04-14')).json().items as {
      code: string;
    }[];
    const after = (await clerk('GET', '/api/clues/refusal-grounds?day=2026-04-15')).json().items as {
      code: string;
      note: string;
    }[];
    expect(before.every((g) => g.code.startsWith('o20.'))).toBe(true);
    expect(after.every((g) => g.code.startsWith('o121.'))).toBe(true);
    expect(after.map((g) => g.code)).toEqual(
      expect.arrayContaining(['o121.false_materials', 'o121.identity']),
    );
    expect(after.every((g) => g.note.length > 0)).toBe(true);
    expect((await clerk('GET', '/api/clues/refusal-grounds?day=2026-13-99x')).statusCode).toBe(400);
  });

  it('accepts a ground in force at receipt and refuses one that was not', async () => {
    const reject = async (id: number, groundCode: string) =>
      officerA('POST', `/api/clues/${id}/transitions`, {
        action: 'reject',
        version: (await detail(id)).version,
        groundCode,
      });
    const old = await create(
      officerA,
      phoneCall({ channel: 'letter', receivedAt: '2026-04-10T09:00:00+08:00', respondent: shop('旧') }),
    );
    const o121 = await reject(old.id, 'o121.false_materials');
    expect(o121.statusCode).toBe(400);
    expect(o121.json().message).toContain('2026-04-10');
    const o20 = await reject(old.id, 'o20.out_of_duty');
    expect(o20.statusCode, o20.body).toBe(200);
    expect(o20.json().resolution.refusal).toMatchObject({
      code: 'o20.out_of_duty',
      article: expect.stringContaining('第十五条'),
    });

    const fresh = await create(
      officerA,
      phoneCall({ channel: 'letter', receivedAt: '2026-04-20T09:00:00+08:00', respondent: shop('新') }),
    );
    expect((await reject(fresh.id, 'o20.out_of_duty')).statusCode).toBe(400);
    expect((await reject(fresh.id, 'no.such')).statusCode).toBe(400);
    const ok = await reject(fresh.id, 'o121.identity');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().resolution.refusal.regulation).toContain('第121号');
  });

  it('only a complaint is 不予受理', async () => {
    const r = await create(
      officerA,
      phoneCall({ kind: 'report', content: '举报某店销售假酒', respondent: shop('举报') }),
    );
    const res = await officerA('POST', `/api/clues/${r.id}/transitions`, {
      action: 'reject',
      version: (await detail(r.id)).version,
      groundCode: 'o121.out_of_duty',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('仅投诉');
  });

  it('grounds are edited as data', async () => {
    const made = await director('POST', '/api/clues/refusal-grounds', {
      code: 'local.test',
      regulation: '地方规定',
      article: '第一条',
      label: '测试理由',
      effectiveFrom: '2027-01-01',
    });
    expect(made.statusCode, made.body).toBe(201);
    const bad = await patch(`/api/clues/refusal-grounds/${made.json().id}`, { effectiveTo: '2026-01-01' });
    expect(bad.statusCode).toBe(400);
    const ok = await patch(`/api/clues/refusal-grounds/${made.json().id}`, { enabled: false });
    expect(ok.json().enabled).toBe(false);
    expect((await director('DELETE', `/api/clues/refusal-grounds/${made.json().id}`)).statusCode).toBe(200);
  });
});

describe('转办', () => {
  it('stores a transfer letter and prints it escaped, without the citizen', async () => {
    const c = await create(
      officerA,
      phoneCall({
        content: '<script>alert("x")</script> 小区物业乱收停车费',
        respondent: shop('转办'),
        complainant: { name: '孙八', phone: '13655556666' },
      }),
    );
    const res = await officerA('POST', `/api/clues/${c.id}/transitions`, {
      action: 'transfer',
      version: (await detail(c.id)).version,
      agency: '县住房和城乡建设局',
      reason: '物业服务收费属住建部门职责',
    });
    expect(res.statusCode, res.body).toBe(200);
    const letter = res.json().resolution.transferLetter;
    expect(letter.number).toMatch(/^ZB\d{4}\d{5}$/);
    expect(letter.agency).toBe('县住房和城乡建设局');
    const html = await officerA('GET', `/api/clues/${c.id}/transfer-letter`);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('&lt;script&gt;');
    expect(html.body).not.toContain('<script>');
    expect(html.body).toContain('市场监督管理局');
    expect(html.body).not.toContain('13655556666');
    expect(html.body).not.toContain('孙八');
    expect((await officerB('GET', `/api/clues/${c.id}/transfer-letter`)).statusCode).toBe(404);
    const none = await create(officerA, phoneCall({ respondent: shop('无函') }));
    expect((await officerA('GET', `/api/clues/${none.id}/transfer-letter`)).statusCode).toBe(404);
  });
});
