import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CluesTestBed, phoneCall, startCluesTestBed } from '../../../test/clues-support.ts';
import { login } from '../../../test/fixtures.ts';
import { createClueService } from './clues.service.ts';

let bed: CluesTestBed;
type Call = Awaited<ReturnType<CluesTestBed['as']>>;
let officerA: Call;
let officerB: Call;
let clerk: Call;
let director: Call;
let analyst: Call;

beforeAll(async () => {
  bed = await startCluesTestBed();
  [officerA, officerB, clerk, director, analyst] = await Promise.all([
    bed.as('officerA'),
    bed.as('officerB'),
    bed.as('clerk'),
    bed.as('director'),
    bed.as('analyst'),
  ]);
});
afterAll(async () => {
  await bed?.close();
});

const create = async (call: Call, body: Record<string, unknown>) => {
  const res = await call('POST', '/api/clues', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; number: string; status: string; queryCode: string | null };
};
const detail = async (call: Call, id: number) => {
  const res = await call('GET', `/api/clues/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('staff intake', () => {
  it('registers a phone complaint with a day-sequenced number, in the officer’s station, at 待分拣', async () => {
    const c = await create(officerA, phoneCall());
    expect(c.number).toMatch(/^XS\d{8}\d{6}$/);
    expect(c.status).toBe('sorting');
    const d = await detail(officerA, c.id);
    expect(d.departmentId).toBe(bed.stationA);
    expect(d.kind).toBe('complaint');
    expect(d.title).toContain('熟食有异味');
    expect(d.timeline.map((e: { kind: string }) => e.kind)).toContain('clue.received');
    expect(d.actions.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['answer', 'toAnalysis', 'toDispatch', 'reject', 'transfer', 'merge']),
    );
  });

  it('gives concurrent intakes distinct consecutive numbers', async () => {
    const made = await Promise.all(Array.from({ length: 6 }, () => create(clerk, phoneCall())));
    const numbers = made.map((m) => m.number);
    expect(new Set(numbers).size).toBe(6);
    const seqs = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(seqs.at(-1)! - seqs[0]!).toBe(5);
  });

  it('keeps the complainant sealed at rest and masked on screen', async () => {
    const c = await create(
      officerA,
      phoneCall({ complainant: { name: '李四娘', phone: '13800001111', idCard: '11010519491231002X' } }),
    );
    const raw = await bed.t.ctx.db
      .selectFrom('clue_party')
      .selectAll()
      .where('clue_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(raw)).not.toContain('13800001111');
    expect(JSON.stringify(raw)).not.toContain('李四娘');
    const d = await detail(officerA, c.id);
    expect(d.parties).toHaveLength(1);
    expect(d.parties[0].phoneMasked).toMatch(/^138\*+1111$/);
    expect(d.parties[0].nameMasked).not.toBe('李四娘');
    expect(JSON.stringify(d)).not.toContain('13800001111');
  });

  it('places the clue by its point: the grid containing it decides the 所', async () => {
    const c = await create(clerk, phoneCall({ location: { lng: 120.505, lat: 31.305 } }));
    const d = await detail(director, c.id);
    expect(d.gridId).toBe(bed.gridB);
    expect(d.departmentId).toBe(bed.stationB);
  });

  it('applies the rule in force on the day of receipt: Order 20 before 2026-04-15, Order 121 from it', async () => {
    const before = await create(
      clerk,
      phoneCall({ receivedAt: '2026-04-14T10:00:00+08:00', channel: 'letter' }),
    );
    const after = await create(
      clerk,
      phoneCall({ receivedAt: '2026-04-15T09:00:00+08:00', channel: 'letter' }),
    );
    const [b, a] = [await detail(director, before.id), await detail(director, after.id)];
    expect(b.regulation).toContain('第20号');
    expect(b.receiptDay).toBe('2026-04-14');
    expect(a.regulation).toContain('第121号');
    expect(a.ruleEffectiveFrom).toBe('2026-04-15');
    expect(b.number.slice(2, 10)).toBe('20260414');
  });

  it('refuses bad input with field errors and writes nothing', async () => {
    const count = async () =>
      Number(
        (
          await bed.t.ctx.db
            .selectFrom('clue')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n0 = await count();
    const cases: [Record<string, unknown>, string][] = [
      [phoneCall({ complainant: { name: '王五', phone: '12345' } }), 'complainant.phone'],
      [phoneCall({ content: 'x'.repeat(20_001) }), 'content'],
      [phoneCall({ kind: 'rumour' }), 'kind'],
      [phoneCall({ channel: 'sensing' }), 'channel'],
      [phoneCall({ complainant: { name: '王五', idCard: '110105194912310021' } }), 'complainant.idCard'],
      [phoneCall({ receivedAt: '2099-01-01T00:00:00+08:00' }), 'receivedAt'],
      [phoneCall({ entityId: 999999 }), 'entityId'],
      [{ ...phoneCall(), extra: 1 }, ''],
    ];
    for (const [body, path] of cases) {
      const res = await officerA('POST', '/api/clues', body);
      expect(res.statusCode, res.body).toBe(400);
      const err = res.json() as { code: string; message: string; details?: { path: string }[] };
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
      if (path) expect(err.details?.map((d) => d.path.replace(/^body\./, ''))).toContain(path);
    }
    expect(await count()).toBe(n0);
  });

  it('stores HTML, emoji and control characters as text without the control characters', async () => {
    const content = '<script>alert(1)</script> 商家态度差😡\u0007\u001b[31m 退款难';
    const c = await create(officerA, phoneCall({ content }));
    const d = await detail(officerA, c.id);
    expect(d.content).toBe('<script>alert(1)</script> 商家态度差😡[31m 退款难');
  });

  it('does not let the clerk (read and register only) handle a clue', async () => {
    const c = await create(clerk, phoneCall());
    const d = await detail(clerk, c.id);
    expect(d.actions.map((a: { action: string }) => a.action)).not.toContain('toDispatch');
    const res = await clerk('POST', `/api/clues/${c.id}/transitions`, {
      action: 'toDispatch',
      version: d.version,
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('transitions', () => {
  it('routes to dispatch, refuses a stale version and an edge the state does not have', async () => {
    const c = await create(officerA, phoneCall());
    const d0 = await detail(officerA, c.id);
    const moved = await officerA('POST', `/api/clues/${c.id}/transitions`, {
      action: 'toDispatch',
      version: d0.version,
      note: '事实清楚，派所核查',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().status).toBe('dispatching');
    const stale = await officerA('POST', `/api/clues/${c.id}/transitions`, {
      action: 'toAnalysis',
      version: d0.version,
    });
    expect(stale.statusCode).toBe(409);
    const wrong = await officerA('POST', `/api/clues/${c.id}/transitions`, {
      action: 'register',
      version: moved.json().version,
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe('CLUE_STATE_CONFLICT');
    expect(wrong.json().message).toContain('待调度');
  });

  it('lets exactly one of two simultaneous handlers win', async () => {
    const c = await create(officerA, phoneCall());
    const v = (await detail(officerA, c.id)).version;
    const [a, b] = await Promise.all([
      officerA('POST', `/api/clues/${c.id}/transitions`, { action: 'toDispatch', version: v }),
      director('POST', `/api/clues/${c.id}/transitions`, {
        action: 'answer',
        version: v,
        answer: '已电话答复',
      }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const d = await detail(director, c.id);
    expect(['dispatching', 'direct']).toContain(d.status);
    expect(
      d.timeline.filter((e: { kind: string }) => e.kind === 'clue.toDispatch' || e.kind === 'clue.answer'),
    ).toHaveLength(1);
  });

  it('answers an inquiry directly and reopens it on request, every step in the timeline', async () => {
    const c = await create(officerA, phoneCall({ kind: 'inquiry', content: '请问个体户营业执照怎么办理？' }));
    let d = await detail(officerA, c.id);
    const answer = '可在政务服务网办理，携带身份证和经营场所证明。';
    let res = await officerA('POST', `/api/clues/${c.id}/transitions`, {
      action: 'answer',
      version: d.version,
      answer,
    });
    expect(res.statusCode, res.body).toBe(200);
    d = res.json();
    expect(d.status).toBe('direct');
    expect(d.resultSummary).toBe(answer);
    expect(d.closedAt).not.toBeNull();
    const noReason = await officerA('POST', `/api/clues/${c.id}/transitions`, {
      action: 'reopen',
      version: d.version,
    });
    expect(noReason.statusCode).toBe(400);
    res = await officerA('POST', `/api/clues/${c.id}/transitions`, {
      action: 'reopen',
      version: d.version,
      reason: '群众反映答复不清楚',
    });
    expect(res.statusCode, res.body).toBe(200);
    d = res.json();
    expect(d.status).toBe('sorting');
    expect(d.closedAt).toBeNull();
    expect(d.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['clue.received', 'clue.answer', 'clue.reopen']),
    );
  });

  it('lets another module record a result through the internal transition, and the clue then closes', async () => {
    const c = await create(officerA, phoneCall());
    const svc = createClueService(bed.t.ctx);
    await bed.t.ctx.db.transaction().execute(async (tx) => {
      await svc.transitionInternal(tx, { id: null, name: '调度模块' }, c.id, { action: 'toDispatch' });
      await svc.transitionInternal(tx, { id: null, name: '调度模块' }, c.id, { action: 'startHandling' });
      await svc.transitionInternal(tx, { id: null, name: '检查模块' }, c.id, {
        action: 'recordResult',
        result: '现场检查，责令整改，商家已退款',
      });
    });
    const d = await detail(officerA, c.id);
    expect(d.status).toBe('feedback');
    expect(d.resultSummary).toContain('已退款');
    const closed = await officerA('POST', `/api/clues/${c.id}/transitions`, {
      action: 'close',
      version: d.version,
    });
    expect(closed.json().status).toBe('closed');
  });
});

describe('data scope, list and export', () => {
  it('hides another station’s clue (404) and lists only what the viewer may see', async () => {
    const c = await create(officerA, phoneCall({ content: '城东独有的一条投诉内容甲乙丙' }));
    expect((await officerB('GET', `/api/clues/${c.id}`)).statusCode).toBe(404);
    const transition = await officerB('POST', `/api/clues/${c.id}/transitions`, {
      action: 'toDispatch',
      version: 1,
    });
    expect(transition.statusCode).toBe(404);
    const listB = (await officerB('GET', `/api/clues?q=${encodeURIComponent('甲乙丙')}`)).json();
    expect(listB.items).toHaveLength(0);
    const listAll = (await analyst('GET', `/api/clues?q=${encodeURIComponent('甲乙丙')}`)).json();
    expect(listAll.items.map((i: { id: number }) => i.id)).toEqual([c.id]);
  });

  it('filters by status and kind and pages by keyset without overlap', async () => {
    for (let i = 0; i < 5; i++)
      await create(officerA, phoneCall({ kind: 'suggestion', content: `关于菜市场管理的建议第${i}条` }));
    const seen: number[] = [];
    let after: string | null = null;
    do {
      const q: string = `kind=suggestion&status=sorting&limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const page = (await director('GET', `/api/clues?${q}`)).json();
      seen.push(...page.items.map((i: { id: number }) => i.id));
      expect(
        page.items.every(
          (i: { kind: string; status: string }) => i.kind === 'suggestion' && i.status === 'sorting',
        ),
      ).toBe(true);
      after = page.nextAfter;
    } while (after);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await director('GET', '/api/clues?after=garbage');
    expect(bad.statusCode).toBe(400);
  });

  it('exports the filtered list as xlsx with formulas neutralised, and audits the export', async () => {
    await create(
      officerA,
      phoneCall({ respondent: { name: '=HYPERLINK("http://x")' }, content: '导出测试内容丁戊己' }),
    );
    const res = await director('GET', `/api/clues/export?q=${encodeURIComponent('丁戊己')}`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.getWorksheet('线索')!;
    expect(ws.rowCount).toBe(2);
    expect(String(ws.getRow(2).getCell(8).value)).toBe(`'=HYPERLINK("http://x")`);
    const audit = await bed.t.ctx.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'clue.export')
      .executeTakeFirst();
    expect(audit?.detail).toContain('导出线索 1 条');
  });
});

describe('attachments', () => {
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0)]);
  let sessionHeaders: Record<string, string>;
  const upload = (id: number, name: string, data: Buffer) => {
    const boundary = '----rj';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return bed.t.app.inject({
      method: 'POST',
      url: `/api/clues/${id}/attachments`,
      headers: { ...sessionHeaders, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
  };

  it('stores a real JPEG with its SHA-256 and refuses an executable named .jpg', async () => {
    sessionHeaders = (await login(bed.t.app, 'officerA')).headers;
    const c = await create(officerA, phoneCall());
    const ok = await upload(c.id, '现场照片.jpg', jpeg);
    expect(ok.statusCode, ok.body).toBe(201);
    const bad = await upload(c.id, 'photo.jpg', exe);
    expect(bad.statusCode).toBe(415);
    expect(bad.json().message).toContain('附件类型不被接受');
    const d = await detail(officerA, c.id);
    expect(d.attachments).toHaveLength(1);
    expect(d.attachments[0].mime).toBe('image/jpeg');
    expect(d.attachments[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const download = await officerA('GET', `/api/clues/${c.id}/attachments/${d.attachments[0].id}`);
    expect(download.statusCode).toBe(200);
    expect(Buffer.compare(download.rawPayload, jpeg)).toBe(0);
    expect((await officerB('GET', `/api/clues/${c.id}/attachments/${d.attachments[0].id}`)).statusCode).toBe(
      404,
    );
  });
});

describe('clues raised by other modules', () => {
  it('raises one clue per object of the raising module, placed by its point, with the origin on its timeline', async () => {
    const { raiseClue } = await import('./clues.service.ts');
    const actor = { id: null, name: '感知告警模块' };
    const input = {
      channel: 'sensing' as const,
      kind: 'report' as const,
      content: '冷库温度传感器连续 30 分钟高于 -15℃，疑似冷链断链。',
      businessLine: '食品',
      location: { lng: 120.605, lat: 31.305 },
      origin: { type: 'alarm', id: 'A-20261128-001' },
    };
    const first = await bed.t.ctx.db.transaction().execute((tx) => raiseClue(tx, bed.t.ctx, input, actor));
    const again = await bed.t.ctx.db.transaction().execute((tx) => raiseClue(tx, bed.t.ctx, input, actor));
    expect(first.existing).toBe(false);
    expect(again).toMatchObject({ id: first.id, existing: true });
    const d = await detail(director, first.id);
    expect(d).toMatchObject({
      channel: 'sensing',
      status: 'sorting',
      originType: 'alarm',
      originId: 'A-20261128-001',
    });
    expect(d.gridId).toBe(bed.gridA);
    expect(d.timeline[0].payload).toMatchObject({ originType: 'alarm' });
  });
});
