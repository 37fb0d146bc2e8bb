import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengeAnswer } from '../../../test/challenge-support.ts';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { createTestApp } from '../../../test/support.ts';
import { systemActor } from '../../platform/ledger/ledger.service.ts';
import { createClueService } from './clues.service.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let clerk: Session;
let ipSeq = 10;
/** Each test submits from its own address, so the per-address limits of one test do not touch another. */
const newIp = () => `203.0.113.${ipSeq++}`;

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  await org.user('pubclerk', 'clerk');
  clerk = await login(t.app, 'pubclerk');
});
afterAll(async () => {
  await t?.close();
});

async function challenge(ip: string) {
  const res = await t.app.inject({ method: 'GET', url: '/api/public/challenge', remoteAddress: ip });
  expect(res.statusCode, res.body).toBe(200);
  const { id, svg } = res.json() as { id: string; svg: string };
  return { id, svg, answer: await challengeAnswer(t.ctx.db, id) };
}

const PERSON = { name: '王小明', phone: '13912345678' };
const form = (over: Record<string, unknown> = {}) => ({
  kind: 'complaint',
  content: '在城东超市买到过期牛奶，要求退货赔偿。',
  respondent: { name: '城东超市', address: '人民路 8 号' },
  address: '人民路 8 号',
  complainant: PERSON,
  ...over,
});

async function submit(
  ip: string,
  body: Record<string, unknown>,
  opts: { headers?: Record<string, string>; solved?: { id: string; answer: string } } = {},
) {
  const c = opts.solved ?? (await challenge(ip));
  return t.app.inject({
    method: 'POST',
    url: '/api/public/clues',
    remoteAddress: ip,
    headers: opts.headers ?? {},
    payload: { ...body, challengeId: c.id, challengeAnswer: c.answer },
  });
}

const clueCount = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('clue')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('public intake', () => {
  it('draws the challenge as SVG strokes (no text) and accepts a solved submission with a number and query code', async () => {
    const ip = newIp();
    const c = await challenge(ip);
    expect(c.svg.startsWith('<svg')).toBe(true);
    expect(c.svg).not.toMatch(/<text|<image|href=|<script/);
    const res = await submit(ip, form(), { solved: c });
    expect(res.statusCode, res.body).toBe(201);
    const { number, queryCode } = res.json();
    expect(number).toMatch(/^XS\d{14}$/);
    expect(queryCode).toMatch(/^[A-Z2-9]{8}$/);
    const row = await t.ctx.db
      .selectFrom('clue')
      .select(['id', 'status', 'channel', 'kind', 'anonymous'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'registering',
      channel: 'online',
      kind: 'complaint',
      anonymous: false,
    });
    const party = await t.ctx.db
      .selectFrom('clue_party')
      .selectAll()
      .where('clue_id', '=', row.id)
      .executeTakeFirstOrThrow();
    // Sealed by the vault: the plain name and phone are nowhere in the row.
    expect(JSON.stringify(party)).not.toContain(PERSON.name);
    expect(JSON.stringify(party)).not.toContain(PERSON.phone);
  });

  it('refuses a wrong, reused or expired challenge with CHALLENGE_FAILED and writes nothing', async () => {
    const ip = newIp();
    const before = await clueCount();
    const wrong = await challenge(ip);
    const bad = await submit(ip, form(), {
      solved: { id: wrong.id, answer: String(Number(wrong.answer) + 1) },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('CHALLENGE_FAILED');
    // The challenge is used up even by a wrong answer: the right answer afterwards fails too.
    const again = await submit(ip, form(), { solved: wrong });
    expect(again.json().code).toBe('CHALLENGE_FAILED');

    const once = await challenge(ip);
    expect((await submit(ip, form(), { solved: once })).statusCode).toBe(201);
    const reused = await submit(ip, form({ content: '另一件事：商家拒绝开具发票。' }), { solved: once });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('CHALLENGE_FAILED');

    const old = await challenge(ip);
    await t.ctx.db
      .updateTable('public_challenge')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', old.id)
      .execute();
    expect((await submit(ip, form(), { solved: old })).json().code).toBe('CHALLENGE_FAILED');
    expect(await clueCount()).toBe(before + 1);
  });

  it('asks for name and phone unless it is an anonymous report', async () => {
    const ip = newIp();
    const noPerson = await submit(ip, form({ complainant: undefined }));
    expect(noPerson.statusCode).toBe(400);
    expect(noPerson.json().code).toBe('VALIDATION_FAILED');
    const badPhone = await submit(ip, form({ complainant: { name: '张三', phone: '12345' } }));
    expect(badPhone.statusCode).toBe(400);
    expect(JSON.stringify(badPhone.json().details)).toContain('complainant');
    const anonymous = await submit(ip, form({ kind: 'report', complainant: undefined, anonymous: true }));
    expect(anonymous.statusCode, anonymous.body).toBe(201);
    const row = await t.ctx.db
      .selectFrom('clue')
      .select(['anonymous', 'kind'])
      .where('number', '=', anonymous.json().number)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ anonymous: true, kind: 'report' });
  });

  it('answers a flood from one address with 429 and Retry-After, and writes no clue for it', async () => {
    const ip = newIp();
    const before = await clueCount();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof submit>> | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await submit(ip, form({ content: `第 ${i} 次提交：超市出售过期食品。` }));
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited ??= res;
    }
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(limited!.json()).toEqual({ code: 'RATE_LIMITED', message: '提交过于频繁，请稍后再试' });
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    expect(await clueCount()).toBe(before + 5);
    // Even an invalid body from the flooding address is refused before it is looked at.
    const junk = await t.app.inject({
      method: 'POST',
      url: '/api/public/clues',
      remoteAddress: ip,
      payload: {},
    });
    expect(junk.statusCode).toBe(429);
    // Another address is not affected.
    expect((await submit(newIp(), form())).statusCode).toBe(201);
  });

  it('shows progress only with the right query code, without any personal data or internal notes', async () => {
    const ip = newIp();
    const res = await submit(
      ip,
      form({ kind: 'report', confidential: true, content: '某饭店使用地沟油，举报人要求保密。' }),
    );
    const { number, queryCode } = res.json();
    const q = (code: string, n = number) =>
      t.app.inject({ method: 'GET', url: `/api/public/clues/${n}?code=${code}`, remoteAddress: ip });

    const wrong = await q('AAAAAAAA');
    const unknown = await q(queryCode, 'XS20990101999999');
    const malformed = await q(queryCode, '../../etc');
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
    expect(wrong.json()).toEqual(unknown.json());

    // Staff move it on, with an internal note that the public must not see.
    const clues = createClueService(t.ctx);
    const row = await t.ctx.db
      .selectFrom('clue')
      .select('id')
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    const officer = { id: null, name: '执法人员李四' };
    await t.ctx.db.transaction().execute(async (tx) => {
      await clues.transitionInternal(tx, officer, Number(row.id), {
        action: 'register',
        note: '内部备注：举报人是隔壁饭店老板',
      });
      await clues.transitionInternal(tx, systemActor, Number(row.id), { action: 'toDispatch' });
    });

    const ok = await q(queryCode.toLowerCase());
    expect(ok.statusCode, ok.body).toBe(200);
    const progress = ok.json();
    expect(progress).toMatchObject({
      number,
      kind: 'report',
      kindLabel: '举报',
      status: 'dispatching',
      statusLabel: '已受理，正在办理',
      departmentName: '测试县市场监督管理局',
      acceptsAttachments: false,
    });
    expect(progress.timeline.map((e: { label: string }) => e.label)).toEqual([
      '已收到',
      '已登记',
      '已受理，转有关部门办理',
    ]);
    const text = JSON.stringify(progress);
    for (const secret of [PERSON.name, PERSON.phone, '内部备注', '隔壁饭店', '李四', '地沟油']) {
      expect(text).not.toContain(secret);
    }
  });

  it('takes attachments with the query code while the clue is being registered; refuses an executable', async () => {
    const ip = newIp();
    const { number, queryCode } = (await submit(ip, form())).json();
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001',
      'hex',
    );
    const upload = (data: Buffer, name: string, code = queryCode) => {
      const boundary = '----rj-public';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({
        method: 'POST',
        url: `/api/public/clues/${number}/attachments?code=${code}`,
        remoteAddress: ip,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
    };
    const ok = await upload(png, '现场.png');
    expect(ok.statusCode, ok.body).toBe(201);
    const exe = await upload(Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), '照片.jpg');
    expect(exe.statusCode).toBe(415);
    expect((await upload(png, 'x.png', 'WRONG234')).statusCode).toBe(404);
    const stored = await t.ctx.db
      .selectFrom('clue_attachment as a')
      .innerJoin('clue as c', 'c.id', 'a.clue_id')
      .select(['a.file_name', 'a.uploaded_by_name'])
      .where('c.number', '=', number)
      .execute();
    expect(stored).toEqual([{ file_name: '现场.png', uploaded_by_name: '公众（网上提交）' }]);
  });

  it('stores HTML, script, emoji and control characters as plain text without the control characters', async () => {
    const ip = newIp();
    const content = '<script>alert("x")</script><b>加粗</b> 😀👍 响铃\u0007退格\u0008 结束';
    const res = await submit(ip, form({ content }));
    expect(res.statusCode, res.body).toBe(201);
    const row = await t.ctx.db
      .selectFrom('clue')
      .select(['id', 'content'])
      .where('number', '=', res.json().number)
      .executeTakeFirstOrThrow();
    expect(row.content).toBe('<script>alert("x")</script><b>加粗</b> 😀👍 响铃退格 结束');
    const detail = await t.app.inject({ method: 'GET', url: `/api/clues/${row.id}`, headers: clerk.headers });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.headers['content-type']).toContain('application/json');
    expect(detail.json().content).toBe(row.content);
  });
});

describe('Idempotency-Key', () => {
  it('a public submission retried with the same key gives the first answer and one clue; another body → 409', async () => {
    const ip = newIp();
    const before = await clueCount();
    const c = await challenge(ip);
    const headers = { 'idempotency-key': 'pub-retry-0001' };
    const first = await submit(ip, form(), { solved: c, headers });
    const retry = await submit(ip, form(), { solved: c, headers });
    expect(first.statusCode, first.body).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await clueCount()).toBe(before + 1);
    const other = await submit(ip, form({ content: '完全不同的另一件事情。' }), { headers });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(other.json().message).toMatch(/Idempotency-Key/);
    expect(await clueCount()).toBe(before + 1);
    const record = await t.ctx.db
      .selectFrom('idempotency_record')
      .select(['status_code', 'response'])
      .where('key', '=', 'pub-retry-0001')
      .executeTakeFirstOrThrow();
    expect(record.status_code).toBe(201);
    // The query code is not kept in plain text in the stored answer.
    expect(JSON.stringify(record.response)).not.toContain(first.json().queryCode);
  });

  it('the staff intake honours the key per user; the record lives and dies with the clue', async () => {
    const before = await clueCount();
    const body = {
      kind: 'inquiry',
      channel: 'phone',
      content: '来电咨询：网购商品七日无理由退货的规定。',
      complainant: { name: '赵六', phone: '13800001111' },
    };
    const post = (key: string, payload: unknown = body) =>
      t.app.inject({
        method: 'POST',
        url: '/api/clues',
        headers: { ...clerk.headers, 'idempotency-key': key },
        payload: payload as Record<string, unknown>,
      });
    const a = await post('staff-0001');
    const b = await post('staff-0001');
    expect(a.statusCode, a.body).toBe(201);
    expect(b.json()).toEqual(a.json());
    expect(await clueCount()).toBe(before + 1);
    expect(
      (await post('staff-0001', { ...body, content: '来电咨询：另一件完全不同的事情。' })).statusCode,
    ).toBe(409);
    // A request that fails leaves no record: the same key may then be used for a good request.
    const invalid = await post('staff-0002', {
      ...body,
      complainant: { name: '赵六', idCard: '110101199001011234' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(
      await t.ctx.db
        .selectFrom('idempotency_record')
        .select('key')
        .where('key', '=', 'staff-0002')
        .executeTakeFirst(),
    ).toBeUndefined();
    expect((await post('staff-0002')).statusCode).toBe(201);
    const bad = await post('contains space');
    expect(bad.statusCode).toBe(400);
  });

  it('the cleanup job removes records after 24 hours, expired challenges and old counters', async () => {
    await t.ctx.db
      .updateTable('idempotency_record')
      .set({ created_at: new Date(Date.now() - 25 * 3_600_000) })
      .where('key', '=', 'staff-0001')
      .execute();
    await t.ctx.db
      .updateTable('public_challenge')
      .set({ expires_at: new Date(Date.now() - 2 * 3_600_000) })
      .execute();
    await t.ctx.db
      .insertInto('rate_counter')
      .values({ bucket: 'old:60', window_start: new Date(Date.now() - 3 * 86_400_000), n: 9 })
      .execute();
    await t.ctx.jobs.enqueue(t.ctx.db, 'clues.channels.cleanup', {});
    expect(await t.ctx.jobs.claimAndRun(t.ctx, 10)).toBeGreaterThan(0);
    const keys = (await t.ctx.db.selectFrom('idempotency_record').select('key').execute()).map((r) => r.key);
    expect(keys).not.toContain('staff-0001');
    expect(keys).toContain('staff-0002');
    expect(await t.ctx.db.selectFrom('public_challenge').select('id').execute()).toEqual([]);
    expect(
      await t.ctx.db.selectFrom('rate_counter').select('bucket').where('bucket', '=', 'old:60').execute(),
    ).toEqual([]);
  });
});
