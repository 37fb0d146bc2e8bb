import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from '../../../test/fixtures.ts';
import { badUscc, csv, HEADER, row, uscc } from '../../../test/exchange-fixtures.ts';
import { registrationNoCheckDigit } from './exchange.checks.ts';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { getSource, updateMapping } from './exchange.connector.ts';
import { runImport } from './exchange.import.ts';

let t: TestContext;
const actor = { id: null, name: '测试' };

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => {
  await t?.close();
});

const importCsv = (text: string | Buffer, fileName = 'reg.csv') =>
  runImport(t.ctx, {
    source: 'demo-registration',
    fileName,
    data: typeof text === 'string' ? Buffer.from(text) : text,
    actor,
  });
const errorsOf = (runId: number) =>
  t.ctx.db
    .selectFrom('exchange_run_error')
    .select(['row_no', 'field', 'reason'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
const entity = (code: string) =>
  t.ctx.db.selectFrom('entity').selectAll().where('uscc', '=', code).executeTakeFirstOrThrow();

describe('registration import', () => {
  it('upserts valid rows and rejects bad ones with Chinese reasons, row by row', async () => {
    const run = await importCsv(
      csv([
        row(101, '示范县甲超市'),
        row(102, '示范县乙饭店', { 主体类型: '个体工商户', 成立日期: '2020年3月9日' }),
        row(103, '示范县丙药房', { 统一社会信用代码: badUscc(103) }),
        row(104, '示范县甲超市（重复）', { 统一社会信用代码: uscc(101) }),
        row(105, '', {}),
        row(106, '示范县丁店', { 成立日期: '2021-02-30' }),
      ]),
    );
    expect(run).toMatchObject({ status: 'succeeded', rowsIn: 6, accepted: 2, rejected: 4, inserted: 2 });
    const errors = await errorsOf(run.runId);
    expect(errors).toEqual([
      { row_no: 4, field: 'uscc', reason: expect.stringMatching(/^统一社会信用代码无效：校验位错误/) },
      { row_no: 5, field: 'uscc', reason: '文件内统一社会信用代码重复：与第 2 行相同' },
      { row_no: 6, field: 'name', reason: '名称不能为空' },
      { row_no: 7, field: 'establishedOn', reason: '成立日期“2021-02-30”不是有效日期（应为 YYYY-MM-DD）' },
    ]);
    const e = await entity(uscc(102));
    expect(e).toMatchObject({
      name: '示范县乙饭店',
      type: 'individual',
      region_code: '320500',
      grid_id: null,
    });
    expect(e.station_id).toBeNull();
    const ledger = await t.ctx.db
      .selectFrom('ledger_event')
      .select('kind')
      .where('subject_type', '=', 'exchange_run')
      .where('subject_id', '=', String(run.runId))
      .execute();
    expect(ledger.map((l) => l.kind)).toEqual(['exchange.run.succeeded']);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'result'])
      .where('object_type', '=', 'exchange_run')
      .where('object_id', '=', String(run.runId))
      .execute();
    expect(audit).toEqual([{ action: 'exchange.import', result: 'success' }]);
  });

  it('imports a file of several batches from its path, rows and row errors in order, progress per batch', async () => {
    // 2,500 rows = three batches, read ahead of the writes; one bad row in each batch.
    const rows = Array.from({ length: 2500 }, (_, i) =>
      [10, 1210, 2490].includes(i)
        ? row(5000 + i, `示范县分批店${i}`, { 统一社会信用代码: badUscc(5000 + i) })
        : row(5000 + i, `示范县分批店${i}`),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-import-'));
    const file = path.join(dir, 'batches.csv');
    fs.writeFileSync(file, csv(rows));
    const progress: [number, number][] = [];
    try {
      const run = await runImport(t.ctx, {
        source: 'demo-registration',
        fileName: 'batches.csv',
        path: file,
        actor,
        onProgress: (done, total) => progress.push([done, total]),
      });
      expect(run).toMatchObject({
        status: 'succeeded',
        rowsIn: 2500,
        accepted: 2497,
        rejected: 3,
        inserted: 2497,
      });
      expect(progress).toEqual([
        [0, 2500],
        [1000, 2500],
        [2000, 2500],
        [2500, 2500],
      ]);
      expect((await errorsOf(run.runId)).map((e) => e.row_no)).toEqual([12, 1212, 2492]);
      const n = await t.ctx.db
        .selectFrom('entity')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('name', 'like', '示范县分批店%')
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(2497);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a batch the database refuses ends the run; the batches before it stay, and the run counts only them', async () => {
    // 3,500 rows = four batches (on PostgreSQL written two at a time); the database refuses one row of the third.
    const rows = Array.from({ length: 3500 }, (_, i) =>
      row(20000 + i, i === 2100 ? '示范县拒写店' : `示范县前缀店${i}`),
    );
    await sql`
      create function refuse_test_entity() returns trigger language plpgsql as $$
      begin
        if new.name = '示范县拒写店' then raise exception 'refused for the test'; end if;
        return new;
      end $$`.execute(t.ctx.db);
    await sql`create trigger refuse_test_entity before insert on entity
      for each row execute function refuse_test_entity()`.execute(t.ctx.db);
    try {
      await expect(importCsv(csv(rows), 'refused.csv')).rejects.toThrow(/refused for the test/);
    } finally {
      await sql`drop trigger refuse_test_entity on entity`.execute(t.ctx.db);
      await sql`drop function refuse_test_entity()`.execute(t.ctx.db);
    }
    const run = await t.ctx.db
      .selectFrom('exchange_run')
      .selectAll()
      .where('file_name', '=', 'refused.csv')
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'failed', rows_in: 2000, accepted: 2000, inserted: 2000 });
    expect(run.error).toMatch(/^导入中断：/);
    const written = await t.ctx.db
      .selectFrom('entity')
      .select('uscc')
      .where(
        'uscc',
        'in',
        rows.map((r) => r[0]!),
      )
      .execute();
    expect(written.map((e) => e.uscc).sort()).toEqual(
      rows
        .slice(0, 2000)
        .map((r) => r[0])
        .sort(),
    );
    // Importing the file again (without the refusal) finishes the job: the first 2,000 are known.
    const again = await importCsv(csv(rows), 'refused-again.csv');
    expect(again).toMatchObject({ status: 'succeeded', rowsIn: 3500, inserted: 1500, updated: 0 });
  });

  it('two batches that lock each other are both written, one after the other', async () => {
    // On PostgreSQL the second batch is written while the first still is. A trigger makes them lock two rows in
    // opposite orders — the first batch takes row 1, sleeps, then wants row 2; the second takes row 2, then wants
    // row 1 — a deadlock PostgreSQL detects and breaks; the writer then writes the lost batch again on its own.
    // On PGlite batches are written one at a time and the same file simply imports.
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const name =
        i === 0
          ? '示范县互锁甲'
          : i === 999
            ? '示范县互锁乙'
            : i === 1000
              ? '示范县互锁丙'
              : `示范县互锁店${i}`;
      return row(30000 + i, name);
    });
    const db = t.ctx.db;
    const deadlocks = async () =>
      Number(
        (
          await sql<{ n: string }>`
            select coalesce(sum(deadlocks), 0) as n from pg_stat_database where datname = current_database()`.execute(
            db,
          )
        ).rows[0]!.n,
      );
    const before = await deadlocks();
    await sql`create table lock_probe (id int primary key)`.execute(db);
    await sql`insert into lock_probe values (1), (2)`.execute(db);
    await sql`
      create function lock_probe_entity() returns trigger language plpgsql as $$
      begin
        if new.name = '示范县互锁甲' then
          perform 1 from lock_probe where id = 1 for update;
          perform pg_sleep(3);
        elsif new.name = '示范县互锁乙' then
          perform 1 from lock_probe where id = 2 for update;
        elsif new.name = '示范县互锁丙' then
          perform 1 from lock_probe where id = 2 for update;
          perform 1 from lock_probe where id = 1 for update;
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger lock_probe_entity before insert on entity
      for each row execute function lock_probe_entity()`.execute(db);
    try {
      const run = await importCsv(csv(rows), 'interlocked.csv');
      expect(run).toMatchObject({ status: 'succeeded', rowsIn: 2000, accepted: 2000, inserted: 2000 });
    } finally {
      await sql`drop trigger lock_probe_entity on entity`.execute(db);
      await sql`drop function lock_probe_entity()`.execute(db);
      await sql`drop table lock_probe`.execute(db);
    }
    const stored = await db
      .selectFrom('exchange_run')
      .select(['rows_in', 'inserted'])
      .where('file_name', '=', 'interlocked.csv')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ rows_in: 2000, inserted: 2000 });
    if (t.database.backend === 'postgresql') {
      // The statistics of the backend that detected it arrive within a second or so.
      await expect.poll(deadlocks, { timeout: 10_000, interval: 250 }).toBeGreaterThan(before);
    }
  });

  it('re-importing the same file changes nothing, and keeps an entity’s grid and station', async () => {
    const text = csv([row(201, '示范县复导甲'), row(202, '示范县复导乙')]);
    const first = await importCsv(text);
    expect(first.inserted).toBe(2);
    const { stations } = await createOrg(t.ctx.db);
    await t.ctx.db
      .updateTable('entity')
      .set({ station_id: stations[0]! })
      .where('uscc', '=', uscc(201))
      .execute();
    const before = await entity(uscc(201));
    const again = await importCsv(text);
    expect(again).toMatchObject({
      status: 'succeeded',
      accepted: 2,
      inserted: 0,
      updated: 0,
      previousRunId: first.runId,
    });
    const after = await entity(uscc(201));
    expect(after.updated_at).toEqual(before.updated_at);
    // A changed fact is written; the station assignment stays.
    const changed = await importCsv(csv([row(201, '示范县复导甲（更名）'), row(202, '示范县复导乙')]));
    expect(changed).toMatchObject({ inserted: 0, updated: 1 });
    expect(await entity(uscc(201))).toMatchObject({
      name: '示范县复导甲（更名）',
      station_id: stations[0],
    });
  });

  it('imports a GBK-encoded export', async () => {
    const run = await importCsv(iconv.encode(csv([row(301, '示范县张记面馆')]), 'gbk'), 'gbk.csv');
    expect(run).toMatchObject({ status: 'succeeded', accepted: 1 });
    expect((await entity(uscc(301))).name).toBe('示范县张记面馆');
  });

  it('rejects a row holding a NUL or half a character, and imports the rest of the file', async () => {
    // 1,500 rows: the bad ones sit in the second batch, after a first batch already written.
    const rows = Array.from({ length: 1500 }, (_, i) => row(7000 + i, `示范县空字符店${i}`));
    rows[1200] = row(8200, '示范县空字\u0000符店');
    const run = await importCsv(csv(rows));
    expect(run).toMatchObject({ status: 'succeeded', rowsIn: 1500, accepted: 1499, rejected: 1 });
    expect(await errorsOf(run.runId)).toEqual([
      { row_no: 1202, field: null, reason: expect.stringMatching(/^“企业名称”含有空字符/) },
    ]);
    const rawOf = async (runId: number) =>
      (
        await t.ctx.db
          .selectFrom('exchange_run_error')
          .select('raw')
          .where('run_id', '=', runId)
          .executeTakeFirstOrThrow()
      ).raw ?? {};
    expect((await rawOf(run.runId)).企业名称).toBe('示范县空字␀符店');
    expect((await entity(uscc(7000 + 1499))).name).toBe('示范县空字符店1499');

    // JSON can carry half a surrogate pair (\ud800), which has no UTF-8 and which jsonb refuses.
    const line = (n: number, address: string) =>
      `{"统一社会信用代码":"${uscc(n)}","企业名称":"示范县残字店${n}","主体类型":"个体工商户","住所":"${address}"}`;
    const jsonl = [line(8300, '示范县人民路\\ud800号'), line(8301, '示范县人民路 2 号')].join('\n');
    const half = await importCsv(jsonl, 'reg.jsonl');
    expect(half).toMatchObject({ status: 'succeeded', accepted: 1, rejected: 1 });
    expect(await errorsOf(half.runId)).toEqual([
      { row_no: 1, field: null, reason: expect.stringMatching(/^“住所”含有残缺的 Unicode 字符/) },
    ]);
    expect((await rawOf(half.runId)).住所).toBe('示范县人民路\ufffd号');
  });

  it('reads a UTF-8 file with one damaged character as UTF-8, rejecting only that row', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(7600 + i, `示范县编码损坏测试便利店${i}`));
    const bytes = Buffer.from(csv(rows));
    // Cut the last byte of one character of row 20's name, as a byte-length cut by the exporting system does.
    const at = bytes.indexOf(Buffer.from('便利店19'));
    const damaged = Buffer.concat([bytes.subarray(0, at + 2), bytes.subarray(at + 3)]);
    const run = await importCsv(damaged);
    expect(run).toMatchObject({ status: 'succeeded', accepted: 39, rejected: 1 });
    expect(await errorsOf(run.runId)).toEqual([
      { row_no: 21, field: null, reason: expect.stringMatching(/^“企业名称”含有不是 UTF-8 的字节/) },
    ]);
    expect((await entity(uscc(7600))).name).toBe('示范县编码损坏测试便利店0');
  });

  it('stores a formula-looking name as text', async () => {
    await importCsv(csv([row(401, '=HYPERLINK("http://evil.example","点我")')]));
    expect((await entity(uscc(401))).name).toBe('=HYPERLINK("http://evil.example","点我")');
  });

  it('fails the run with a clear error for a truncated or oversize file, keeping earlier data', async () => {
    const quoted = csv([row(501, '示范县戊店', { 经营范围: '多行\n范围' })]);
    const cut = await importCsv(quoted.slice(0, quoted.lastIndexOf('范围')));
    expect(cut).toMatchObject({
      status: 'failed',
      accepted: 0,
      error: expect.stringMatching(/引号没有闭合/),
    });
    // Nothing of the cut file was written: the scan refused it before the first batch.
    expect(
      await t.ctx.db.selectFrom('entity').select('id').where('uscc', '=', uscc(501)).executeTakeFirst(),
    ).toBeUndefined();
    expect(await errorsOf(cut.runId)).toEqual([]);
    const big = await importCsv(Buffer.alloc(50 * 1024 * 1024 + 1, 0x41));
    expect(big).toMatchObject({ status: 'failed', error: '文件超过 50 MB，请拆分后分批导入' });
    expect((await entity(uscc(101))).name).toBe('示范县甲超市');
    const run = await t.ctx.db
      .selectFrom('exchange_run')
      .selectAll()
      .where('id', '=', big.runId)
      .executeTakeFirstOrThrow();
    expect(run.status).toBe('failed');
    expect(run.finished_at).not.toBeNull();
  });

  it('reads the column the mapping names, and says which required column is missing', async () => {
    const header = ['信用代码', '字号名称', '住所'];
    const file = csv([[uscc(601), '示范县映射店', '示范县人民路 1 号']], header);
    const missing = await importCsv(file);
    expect(missing).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^文件缺少必需的列：统一社会信用代码/),
    });
    const source = await getSource(t.ctx.db, 'demo-registration');
    await updateMapping(t.ctx.db, 'demo-registration', {
      ...source.mapping,
      uscc: '信用代码',
      name: '字号名称',
    });
    const run = await importCsv(file);
    expect(run).toMatchObject({ status: 'succeeded', accepted: 1 });
    expect((await entity(uscc(601))).name).toBe('示范县映射店');
    await updateMapping(t.ctx.db, 'demo-registration', source.mapping);
  });

  it('reads 注册号, 行政区划代码, coordinates and 更新时间, and rejects what is out of range', async () => {
    const header = [...HEADER, '注册号', '行政区划代码', '经度', '纬度', '更新时间'];
    const body = '32050860000';
    const regNo = `${body}123${registrationNoCheckDigit(`${body}123`)}`;
    const badRegNo = regNo.slice(0, 14) + String((Number(regNo[14]) + 1) % 10);
    const ext = (n: number, name: string, extra: string[], over: Record<string, string> = {}) => [
      ...row(n, name, over),
      ...extra,
    ];
    const run = await importCsv(
      csv(
        [
          ext(901, '示范县坐标店', ['', '320508', '120.61', '31.30', '2025-06-01 08:00:00']),
          ext(902, '示范县老字号', [regNo, '', '', '', '2025/6/2'], { 统一社会信用代码: '' }),
          ext(903, '示范县坏注册号', [badRegNo, '', '', '', ''], { 统一社会信用代码: '' }),
          ext(904, '示范县境外店', ['', '', '10.75', '59.91', '']),
          ext(905, '示范县半坐标店', ['', '', '120.61', '', '']),
          ext(906, '示范县怪区划店', ['', '990000', '', '', '']),
          ext(907, '示范县无代码店', ['', '', '', '', ''], { 统一社会信用代码: '' }),
        ],
        header,
      ),
    );
    expect(run).toMatchObject({ status: 'succeeded', rowsIn: 7, accepted: 2, rejected: 5 });
    expect((await errorsOf(run.runId)).map((e) => [e.row_no, e.field, e.reason])).toEqual([
      [4, 'registrationNo', `注册号“${badRegNo}”无效：校验位错误：应为 ${regNo[14]}`],
      [5, 'lon', '经度“10.75”不在我国境内（应为 73–136 之间的十进制度数）'],
      [5, 'lat', '纬度“59.91”不在我国境内（应为 3–54 之间的十进制度数）'],
      [6, 'lat', '经度和纬度应同时填写'],
      [7, 'regionCode', '行政区划代码“990000”不是有效的 GB/T 2260 代码（6 位数字，前两位为省级代码）'],
      [8, 'uscc', '统一社会信用代码和注册号至少应填写一项'],
    ]);
    expect(await entity(uscc(901))).toMatchObject({ region_code: '320508', lon: 120.61, lat: 31.3 });
    const legacy = await t.ctx.db
      .selectFrom('entity')
      .selectAll()
      .where('name', '=', '示范县老字号')
      .executeTakeFirstOrThrow();
    // Without a USCC the region comes from the 注册号's first six digits.
    expect(legacy).toMatchObject({ uscc: null, region_code: '320508' });
    const stored = await t.ctx.db
      .selectFrom('exchange_run')
      .select('newest_record_at')
      .where('id', '=', run.runId)
      .executeTakeFirstOrThrow();
    // 2025/6/2 in China time is the newest 更新时间 of the accepted rows.
    expect(new Date(stored.newest_record_at!).toISOString()).toBe('2025-06-01T16:00:00.000Z');
  });

  it('counts a registration left in the merge queue once, as new and waiting, never as already known', async () => {
    const header = [...HEADER, '注册号'];
    const body = '32050060099950';
    const regNo = body + registrationNoCheckDigit(body);
    const registry = await importCsv(
      csv([[...row(950, '鑫旺烧烤店', { 住所: '示范县测试大道188号', 主体类型: '个体工商户' }), '']], header),
    );
    expect(registry).toMatchObject({ inserted: 1, queued: 0 });
    // An old registration of the same shop: a typo in the name, the house number in Chinese numerals, no USCC.
    const legacyFile = csv(
      [
        [
          ...row(951, '鑫汪烧烤（个体工商户）', {
            统一社会信用代码: '',
            住所: '江苏省苏州市示范县测试大道一百八十八号',
            主体类型: '个体工商户',
          }),
          regNo,
        ],
      ],
      header,
    );
    const legacy = await importCsv(legacyFile, 'legacy.csv');
    expect(legacy).toMatchObject({ status: 'succeeded', accepted: 1, inserted: 1, queued: 1 });
    const runRow = (id: number) =>
      t.ctx.db
        .selectFrom('exchange_run')
        .select(['inserted', 'known', 'queued'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect(await runRow(legacy.runId)).toEqual({ inserted: 1, known: 0, queued: 1 });
    const pairs = await t.ctx.db
      .selectFrom('entity_match')
      .select('status')
      .where('run_id', '=', legacy.runId)
      .execute();
    expect(pairs).toEqual([{ status: 'pending' }]);
    // Delivered again: the record is known, nothing new waits.
    const again = await importCsv(legacyFile, 'legacy.csv');
    expect(await runRow(again.runId)).toEqual({ inserted: 0, known: 1, queued: 0 });
  });

  it('queues the after-import job once per run that wrote something, in the run’s own transaction', async () => {
    const text = csv([row(1001, '示范县后续甲')]);
    const first = await importCsv(text);
    const again = await importCsv(text);
    const jobs = await t.ctx.db
      .selectFrom('job')
      .select(['payload', 'dedupe_key'])
      .where('name', '=', 'entities.afterImport')
      .execute();
    expect(jobs.map((j) => j.payload)).toContainEqual({ runId: first.runId });
    // The second import changed nothing: nothing to locate or re-classify.
    expect(jobs.map((j) => j.payload)).not.toContainEqual({ runId: again.runId });
  });
});
