import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CluesTestBed, phoneCall, startCluesTestBed } from '../../../test/clues-support.ts';
import { startFakeWorkOrderPlatform } from './clues.workorders.fake-server.ts';
import { signedHeaders } from './clues.workorders.sign.ts';

let bed: CluesTestBed;
let director: Awaited<ReturnType<CluesTestBed['as']>>;
const SECRET = 'test-secret-of-12315-exchange';

beforeAll(async () => {
  bed = await startCluesTestBed();
  director = await bed.as('director');
  const res = await director('PUT', '/api/workorders/sources/12315', { secret: SECRET });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  await bed?.close();
});

function multipart(fileName: string, content: Buffer | string) {
  const boundary = '----rongjian-wo';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(code: string, fileName: string, content: Buffer | string) {
  const session = await import('../../../test/fixtures.ts').then((f) => f.login(bed.t.app, 'director'));
  const m = multipart(fileName, content);
  return bed.t.app.inject({
    method: 'POST',
    url: `/api/workorders/${code}/import`,
    headers: { ...session.headers, ...m.headers },
    payload: m.payload,
  });
}

const HEADER_12315 = '工单编号,诉求类型,诉求内容,投诉人,联系电话,被投诉单位,被投诉地址,登记时间,问题分类';
const csvRow = (cells: string[]) =>
  cells.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',');

async function cluesOf(source: string, no: string) {
  return bed.t.ctx.db
    .selectFrom('clue')
    .selectAll()
    .where('external_source', '=', source)
    .where('external_no', '=', no)
    .execute();
}

async function clueDetail(id: number) {
  const res = await director('GET', `/api/clues/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function transition(id: number, body: Record<string, unknown>) {
  const { version } = await clueDetail(id);
  const res = await director('POST', `/api/clues/${id}/transitions`, { version, ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('work-order import', () => {
  it('imports a GBK CSV export of 12315 into clues of channel 12315, and a second run creates nothing', async () => {
    const text = [
      HEADER_12315,
      csvRow([
        'GD2026110100001',
        '投诉',
        '在城东超市购买的牛奶已过保质期，要求退款。',
        '王五',
        '13812345678',
        '城东超市',
        '城东路 1 号',
        '2026-11-01 09:30:00',
        '食品安全',
      ]),
      csvRow([
        'GD2026110100002',
        '举报',
        '某药店无证销售处方药，存在安全隐患。',
        '',
        '',
        '康宁药店',
        '城西路 5 号',
        '2026/11/02 10:00',
        '药品',
      ]),
      csvRow([
        '',
        '投诉',
        '缺少编号的工单内容不少于五个字。',
        '赵六',
        '13900000000',
        '某店',
        '',
        '2026-11-02 11:00',
        '',
      ]),
      csvRow([
        'GD2026110100004',
        '投诉',
        '商家拒绝履行三包义务，多次沟通无果。',
        '钱七',
        '1234',
        '某电器行',
        '',
        '2026-11-03 08:00',
        '家电',
      ]),
      csvRow([
        'GD2026110100005',
        '表扬',
        '服务很好，特此表扬工作人员。',
        '孙八',
        '',
        '',
        '',
        '2026-11-03 09:00',
        '',
      ]),
      csvRow([
        'GD2026110100006',
        '投诉',
        '理发店办卡后跑路，无法退款。',
        '周九',
        '',
        '某理发店',
        '',
        '2026-13-45',
        '',
      ]),
    ].join('\r\n');
    const gbk = iconv.encode(text, 'gbk');
    const res = await upload('12315', '12315工单.csv', gbk);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ rowsIn: 6, created: 3, existing: 0, rejected: 3 });
    const reasons = r.errors.map((e: { reason: string }) => e.reason);
    expect(reasons).toContain('缺少工单编号');
    expect(reasons.some((x: string) => x.includes('诉求类型“表扬”无法对应'))).toBe(true);
    expect(reasons.some((x: string) => x.includes('登记时间“2026-13-45”不是有效的日期时间'))).toBe(true);
    // A malformed phone number is dropped with a warning; the complaint is still registered.
    expect(r.errors.find((e: { orderNo: string }) => e.orderNo === 'GD2026110100004')).toMatchObject({
      level: 'warning',
      field: 'complainantPhone',
    });

    const [first] = await cluesOf('12315', 'GD2026110100001');
    expect(first).toMatchObject({
      channel: '12315',
      kind: 'complaint',
      status: 'sorting',
      category_12315: '食品安全',
    });
    expect(first!.content).toContain('牛奶已过保质期');
    const [report] = await cluesOf('12315', 'GD2026110100002');
    expect(report).toMatchObject({ kind: 'report', anonymous: true });
    const [noPhone] = await cluesOf('12315', 'GD2026110100004');
    const party = await bed.t.ctx.db
      .selectFrom('clue_party')
      .selectAll()
      .where('clue_id', '=', noPhone!.id)
      .executeTakeFirstOrThrow();
    expect(party.phone_enc).toBeNull();
    // The run record keeps no plain personal data.
    const run = await bed.t.ctx.db
      .selectFrom('workorder_run')
      .selectAll()
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(run.errors)).not.toContain('钱七');
    expect(run.sha256).toMatch(/^[0-9a-f]{64}$/);

    const again = await upload('12315', '12315工单.csv', gbk);
    expect(again.json()).toMatchObject({ rowsIn: 6, created: 0, existing: 3, rejected: 3 });
    expect(again.json().errors.some((e: { reason: string }) => e.reason.startsWith('已存在'))).toBe(true);
    expect(await cluesOf('12315', 'GD2026110100001')).toHaveLength(1);

    const report2 = await director('GET', `/api/workorders/runs/${r.id}/errors.xlsx`);
    expect(report2.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report2.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(5).value).toBe('原因');
    const cells = sheet.getColumn(5).values.map(String);
    expect(cells).toContain('缺少工单编号');
  });

  it('imports a 12345 XLSX export with its own column names', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('工单');
    ws.addRow(['工单号', '诉求类别', '诉求描述', '来电人', '来电号码', '涉及单位', '受理时间', '问题类别']);
    ws.addRow([
      '12345-2026-0001',
      '咨询',
      '请问个体户营业执照如何办理变更登记？',
      '李四',
      '0512-66668888',
      '',
      '2026-11-05 14:20',
      '登记注册',
    ]);
    ws.addRow([
      '12345-2026-0002',
      '求助',
      '小区门口流动摊贩占道经营，希望整治。',
      '',
      '',
      '',
      '2026-11-05 15:00',
      '',
    ]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload('12345', '12345.xlsx', data);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsIn: 2, created: 2, rejected: 0 });
    const [c] = await cluesOf('12345', '12345-2026-0001');
    expect(c).toMatchObject({ channel: '12345', kind: 'inquiry' });
    const [s] = await cluesOf('12345', '12345-2026-0002');
    expect(s).toMatchObject({ kind: 'suggestion' });
    const runs = await director('GET', '/api/workorders/runs?source=12345');
    expect(runs.json().items[0]).toMatchObject({ fileName: '12345.xlsx', created: 2 });
  });

  it('refuses a file without the mapped columns, in Chinese', async () => {
    const res = await upload('12315', 'x.csv', '编号,内容\n1,abc\n');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('文件缺少必需的列');
    expect(res.json().message).toContain('工单编号');
  });
});

describe('signed push', () => {
  const order = (no: string) => ({
    工单编号: no,
    诉求类型: '投诉',
    诉求内容: '网购的羽绒服填充物与标注不符，要求退货。',
    投诉人: '陈一',
    联系电话: '13700001111',
    被投诉单位: '某服饰店',
    登记时间: '2026-11-06 10:00:00',
  });
  const push = (body: string, headers: Record<string, string>, code = '12315') =>
    bed.t.app.inject({
      method: 'POST',
      url: `/api/workorders/${code}/push`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });

  it('creates the clue for a validly signed order and answers with the clue number', async () => {
    const body = JSON.stringify([order('PUSH-0001')]);
    const res = await push(body, signedHeaders(SECRET, body, 'nonce-ok-000001'));
    expect(res.statusCode, res.body).toBe(200);
    const [r] = res.json();
    expect(r).toMatchObject({ orderNo: 'PUSH-0001', created: true });
    expect(r.clueNumber).toMatch(/^XS\d{14}$/);
    const single = JSON.stringify(order('PUSH-0001'));
    const again = await push(single, signedHeaders(SECRET, single, 'nonce-ok-000002'));
    expect(again.json()).toEqual([{ orderNo: 'PUSH-0001', clueNumber: r.clueNumber, created: false }]);
  });

  it('refuses a tampered body, an old timestamp and a reused nonce with 401, writing nothing', async () => {
    const body = JSON.stringify(order('PUSH-BAD-1'));
    const headers = signedHeaders(SECRET, body, 'nonce-bad-00001');
    const tampered = await push(body.replace('羽绒服', '皮鞋'), headers);
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().code).toBe('SIGNATURE_INVALID');

    const old = await push(body, signedHeaders(SECRET, body, 'nonce-bad-00002', Date.now() - 301_000));
    expect(old.statusCode).toBe(401);
    expect(old.json().message).toContain('时间戳');

    const wrongKey = await push(body, signedHeaders('another-secret-of-someone', body, 'nonce-bad-00003'));
    expect(wrongKey.statusCode).toBe(401);
    expect(await cluesOf('12315', 'PUSH-BAD-1')).toHaveLength(0);

    const body2 = JSON.stringify(order('PUSH-0002'));
    const ok = await push(body2, signedHeaders(SECRET, body2, 'nonce-replay-01'));
    expect(ok.statusCode).toBe(200);
    const body3 = JSON.stringify(order('PUSH-0003'));
    const replay = await push(body3, signedHeaders(SECRET, body3, 'nonce-replay-01'));
    expect(replay.statusCode).toBe(401);
    expect(replay.json().message).toContain('随机串已使用');
    expect(await cluesOf('12315', 'PUSH-0003')).toHaveLength(0);

    const unsigned = await push(body3, {});
    expect(unsigned.statusCode).toBe(401);
    // 12345 has no key configured: nothing is accepted.
    const other = await push(body3, signedHeaders(SECRET, body3, 'nonce-12345-001'), '12345');
    expect(other.statusCode).toBe(401);
  });

  it('refuses the whole push when one order is invalid, naming it', async () => {
    const body = JSON.stringify([order('PUSH-0010'), { ...order('PUSH-0011'), 诉求内容: '短' }]);
    const res = await push(body, signedHeaders(SECRET, body, 'nonce-invalid-01'));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('PUSH-0011');
    expect(await cluesOf('12315', 'PUSH-0010')).toHaveLength(0);
  });
});

describe('result push-back', () => {
  it('pushes the result of a closed 12315 clue to the platform, retrying a failed attempt', async () => {
    const platform = await startFakeWorkOrderPlatform({ secret: SECRET });
    try {
      const set = await director('PUT', '/api/workorders/sources/12315', {
        outboundUrl: platform.url,
        outboundEnabled: true,
      });
      expect(set.statusCode, set.body).toBe(200);
      const [clue] = await cluesOf('12315', 'GD2026110100001');
      const id = Number(clue!.id);
      platform.fake.failNext(1);
      await transition(id, { action: 'answer', answer: '已责令超市下架过期牛奶并为消费者退款。' });

      const runJobs = () => bed.t.ctx.jobs.claimAndRun(bed.t.ctx, 20);
      await runJobs();
      expect(platform.fake.received).toHaveLength(0);
      let timeline = (await clueDetail(id)).timeline.map((e: { kind: string }) => e.kind);
      expect(timeline).toContain('workorder.push_failed');
      expect(timeline).not.toContain('workorder.result_pushed');

      // The retry is due after the backoff; bring it forward instead of waiting.
      await bed.t.ctx.db
        .updateTable('job')
        .set({ run_at: new Date(Date.now() - 1000) })
        .where('name', '=', 'workorders.pushResult')
        .where('status', '=', 'pending')
        .execute();
      await runJobs();
      expect(platform.fake.received).toEqual([
        expect.objectContaining({
          source: '12315',
          orderNo: 'GD2026110100001',
          clueNumber: clue!.number,
          status: 'direct',
          statusLabel: '直接办结',
          result: '已责令超市下架过期牛奶并为消费者退款。',
        }),
      ]);
      timeline = (await clueDetail(id)).timeline.map((e: { kind: string }) => e.kind);
      expect(timeline).toContain('workorder.result_pushed');

      // The full path: 待反馈 and 已办结 are both pushed, with the recorded result.
      const [other] = await cluesOf('12315', 'GD2026110100004');
      const otherId = Number(other!.id);
      await transition(otherId, { action: 'toDispatch' });
      await transition(otherId, { action: 'startHandling' });
      await transition(otherId, { action: 'recordResult', result: '经调解，商家同意维修并赔偿。' });
      await transition(otherId, { action: 'close' });
      await runJobs();
      const pushed = platform.fake.received.filter((r) => r.orderNo === 'GD2026110100004');
      // Two jobs queued in the same instant may be delivered in either order (docs/workorders.md); each is
      // delivered once, and the 已办结 one carries the result and the closing time.
      expect(pushed.map((r) => r.status).sort()).toEqual(['closed', 'feedback']);
      const closed = pushed.find((r) => r.status === 'closed');
      expect(closed).toMatchObject({ statusLabel: '已办结', result: '经调解，商家同意维修并赔偿。' });
      expect(closed!.closedAt).not.toBeNull();
    } finally {
      await director('PUT', '/api/workorders/sources/12315', { outboundEnabled: false });
      await platform.close();
    }
  });
});

describe('SMS gateway key', () => {
  it('is write-only: stored encrypted, reported only as set or not, cleared with null, for configurers only', async () => {
    const key = 'sms-gateway-key-0123456789';
    expect((await director('PUT', '/api/workorders/sms-key', { key })).json()).toEqual({ hasKey: true });
    expect((await director('GET', '/api/workorders/sms-key')).json()).toEqual({ hasKey: true });
    const row = await bed.t.ctx.db
      .selectFrom('sms_credential')
      .select('key_enc')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    expect(row.key_enc).not.toContain(key);
    expect(bed.t.ctx.pii.decrypt(row.key_enc!)).toBe(key);
    const short = await director('PUT', '/api/workorders/sms-key', { key: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toContain('至少 8 个字符');
    expect((await director('PUT', '/api/workorders/sms-key', { key: null })).json()).toEqual({
      hasKey: false,
    });
    expect((await director('GET', '/api/workorders/sms-key')).json()).toEqual({ hasKey: false });
    const analyst = await bed.as('analyst'); // reads clues, configures nothing
    expect((await analyst('GET', '/api/workorders/sms-key')).statusCode).toBe(403);
    expect((await analyst('PUT', '/api/workorders/sms-key', { key })).statusCode).toBe(403);
  });
});

describe('reply and satisfaction', () => {
  async function intake(over: Record<string, unknown>) {
    const res = await director('POST', '/api/clues', phoneCall(over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  }

  it('sends one SMS per complainant, including the complainant of a clue merged into it', async () => {
    const target = await intake({ complainant: { name: '张三', phone: '13912345678' } });
    const merged = await intake({ complainant: { name: '李四', phone: '13698765432' } });
    await transition(merged, { action: 'merge', targetId: target });
    const row = await bed.t.ctx.db
      .selectFrom('clue')
      .select('merged_into_id')
      .where('id', '=', merged)
      .executeTakeFirstOrThrow();
    if (row.merged_into_id === null) {
      // Without the merge module's handler the edge does not link the clues; link them as it would.
      await bed.t.ctx.db
        .updateTable('clue')
        .set({ merged_into_id: target })
        .where('id', '=', merged)
        .execute();
    }
    const res = await director('POST', `/api/clues/${target}/replies`, { template: 'accepted' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.sent).toBe(2);
    expect(r.recipients.map((x: { phoneMasked: string }) => x.phoneMasked).sort()).toEqual([
      '136****5432',
      '139****5678',
    ]);
    const number = (await clueDetail(target)).number;
    expect(r.text).toContain(number);

    const outbox = await bed.t.ctx.db
      .selectFrom('sms_outbox')
      .selectAll()
      .where('clue_id', '=', target)
      .execute();
    expect(outbox).toHaveLength(2);
    expect(outbox.map((o) => bed.t.ctx.pii.decrypt(o.phone_enc)).sort()).toEqual([
      '13698765432',
      '13912345678',
    ]);
    const detail = await clueDetail(target);
    const replied = detail.timeline.find((e: { kind: string }) => e.kind === 'clue.replied');
    expect(replied.payload).toMatchObject({ recipients: 2, sent: 2, template: 'accepted' });
    expect(JSON.stringify(replied.payload)).not.toMatch(/\d{7}/);

    const list = await director('GET', '/api/workorders/sms-outbox');
    expect(list.json().items[0].phoneMasked).toMatch(/\*{4}/);
  });

  it('replies to the informant of a confidential report only, naming nobody in the text or the ledger', async () => {
    const id = await intake({
      kind: 'report',
      confidential: true,
      content: '某超市销售假冒注册商标的白酒，仓库在后院。',
      complainant: { name: '匿名举报人甲', phone: '13511112222' },
    });
    const res = await director('POST', `/api/clues/${id}/replies`, { template: 'accepted' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      sent: 1,
      recipients: [{ phoneMasked: '135****2222', status: 'sent' }],
    });
    expect(res.json().text).not.toContain('匿名举报人甲');
    const event = (await clueDetail(id)).timeline.find((e: { kind: string }) => e.kind === 'clue.replied');
    expect(JSON.stringify(event)).not.toMatch(/匿名举报人甲|13511112222/);
  });

  it('answers NO_CONTACT for an anonymous clue', async () => {
    const id = await intake({ complainant: undefined, anonymous: true });
    const res = await director('POST', `/api/clues/${id}/replies`, { template: 'accepted' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('NO_CONTACT');
  });

  it('records satisfaction; unsatisfied with reopen sends the clue back to 待分拣', async () => {
    const id = await intake({});
    const early = await director('POST', `/api/clues/${id}/satisfaction`, {
      result: 'satisfied',
      channel: 'phone',
    });
    expect(early.statusCode).toBe(409);
    await transition(id, { action: 'answer', answer: '已联系商家退货退款。' });
    const noReason = await director('POST', `/api/clues/${id}/satisfaction`, {
      result: 'unsatisfied',
      channel: 'sms',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('不满意时请填写原因');

    const res = await director('POST', `/api/clues/${id}/satisfaction`, {
      result: 'unsatisfied',
      reason: '商家至今未退款',
      channel: 'phone',
      reopen: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ reopened: true, status: 'sorting' });
    const detail = await clueDetail(id);
    expect(detail.status).toBe('sorting');
    const kinds = detail.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('clue.satisfaction');
    expect(kinds).toContain('clue.reopen');

    const id2 = await intake({});
    await transition(id2, { action: 'answer', answer: '已答复消费者。' });
    const ok = await director('POST', `/api/clues/${id2}/satisfaction`, {
      result: 'basically',
      channel: 'online',
    });
    expect(ok.json()).toMatchObject({ reopened: false, status: 'direct', satisfaction: 'basically' });
    expect((await clueDetail(id2)).satisfaction).toBe('basically');
  });
});
