import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CREDIT_HEADER,
  creditRow,
  csv,
  idCard,
  LICENCE_HEADER,
  licenceRow,
  PERSON_HEADER,
  personRow,
  row,
  uscc,
} from '../../../test/exchange-fixtures.ts';
import { createOrg } from '../../../test/fixtures.ts';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { runImport } from './exchange.import.ts';

let t: TestContext;
let station: number;
const actor = { id: null, name: '测试' };

const importFile = (source: string, text: string, fileName = 'x.csv') =>
  runImport(t.ctx, { source, fileName, data: Buffer.from(text), actor });
const errorsOf = async (runId: number) =>
  (
    await t.ctx.db
      .selectFrom('exchange_run_error')
      .select(['row_no', 'field', 'reason', 'raw'])
      .where('run_id', '=', runId)
      .orderBy('id')
      .execute()
  ).map((e) => [e.row_no, e.field, e.reason]);
const entityId = async (n: number) =>
  Number(
    (await t.ctx.db.selectFrom('entity').select('id').where('uscc', '=', uscc(n)).executeTakeFirstOrThrow())
      .id,
  );

beforeAll(async () => {
  t = await createTestContext();
  station = (await createOrg(t.ctx.db)).stations[0]!;
  // The entities the child rows hang off: 1–6, two of them sharing a name, one merged into another.
  const reg = await importFile(
    'demo-registration',
    csv([
      row(1, '示范县许可甲'),
      row(2, '示范县许可乙'),
      row(3, '示范县同名店'),
      row(4, '示范县同名店'),
      row(5, '示范县被合并店'),
      row(6, '示范县存续店'),
    ]),
  );
  expect(reg).toMatchObject({ status: 'succeeded', accepted: 6 });
  await t.ctx.db.updateTable('entity').set({ station_id: station }).execute();
  await t.ctx.db
    .updateTable('entity')
    .set({ merged_into: await entityId(6) })
    .where('uscc', '=', uscc(5))
    .execute();
});
afterAll(async () => {
  await t?.close();
});

describe('licence import', () => {
  it('links licences by USCC or exact name, follows merges, and says why a row has no entity', async () => {
    const text = csv(
      [
        licenceRow(1),
        licenceRow(2, { 统一社会信用代码: '', 经营者名称: '示范县许可乙', 许可类别: '药品经营许可证' }),
        licenceRow(5, { 许可类别: '特种设备使用登记证', 有效期至: '长期有效' }),
        licenceRow(7),
        licenceRow(8, { 统一社会信用代码: '', 经营者名称: '示范县同名店' }),
        licenceRow(9, { 许可类别: '第二类医疗器械经营备案', 许可状态: '暂停' }),
        licenceRow(10, { 发证日期: '2023-01-01', 有效期至: '2022-12-31' }),
        licenceRow(1, { 经营者名称: '重复行' }),
      ],
      LICENCE_HEADER,
    );
    const run = await importFile('demo-licence', text, '许可.csv');
    expect(run).toMatchObject({ status: 'succeeded', rowsIn: 8, accepted: 3, rejected: 5, inserted: 3 });
    expect(await errorsOf(run.runId)).toEqual([
      [5, 'uscc', `未找到对应的经营主体（统一社会信用代码 ${uscc(7)}）`],
      [6, 'entityName', '名称对应多个经营主体，请提供统一社会信用代码'],
      [7, 'status', '许可状态“暂停”无法识别（应为 有效、注销、吊销、过期）'],
      [8, 'validUntil', '有效期至 2022-12-31 早于发证日期 2023-01-01'],
      [9, 'licenceNo', '文件内许可证编号重复：与第 2 行相同'],
    ]);
    const licences = await t.ctx.db
      .selectFrom('entity_licence')
      .select(['entity_id', 'kind', 'valid_until', 'status', 'source', 'source_run_id'])
      .where('source_run_id', '=', run.runId)
      .orderBy('licence_no')
      .execute();
    expect(licences).toEqual([
      expect.objectContaining({
        entity_id: await entityId(1),
        kind: 'food_business',
        source: 'demo-licence',
      }),
      expect.objectContaining({ entity_id: await entityId(2), kind: 'drug_business' }),
      // Entity 5 was merged into 6: its licence belongs to the survivor.
      expect.objectContaining({
        entity_id: await entityId(6),
        kind: 'special_equipment_use',
        valid_until: null,
      }),
    ]);
    const quality = await t.ctx.db
      .selectFrom('exchange_run')
      .select('quality')
      .where('id', '=', run.runId)
      .executeTakeFirstOrThrow();
    // The unknown USCC counts against the field's validity, like any other rejected value.
    expect(quality.quality.find((q) => q.field === 'uscc')).toMatchObject({ present: 6, valid: 5 });

    const before = await t.ctx.db.selectFrom('entity_licence').selectAll().orderBy('id').execute();
    const again = await importFile('demo-licence', text, '许可.csv');
    expect(again).toMatchObject({ accepted: 3, inserted: 0, updated: 0, previousRunId: run.runId });
    expect(await t.ctx.db.selectFrom('entity_licence').selectAll().orderBy('id').execute()).toEqual(before);

    const changed = await importFile(
      'demo-licence',
      csv([licenceRow(1, { 许可状态: '注销' })], LICENCE_HEADER),
    );
    expect(changed).toMatchObject({ inserted: 0, updated: 1 });
  });
});

describe('credit import', () => {
  it('maps the 信用类别, reads amounts, and re-imports without a change', async () => {
    const text = csv(
      [
        creditRow(1),
        creditRow(2, { 信用类别: '列入经营异常名录', '罚没金额（元）': '', 移出日期: '2024-09-01' }),
        creditRow(6, { 信用类别: '严重违法失信名单' }),
        creditRow(1, { 信用类别: '黑名单（旧）', 决定书文号: '旧〔2015〕1号' }),
        creditRow(2, { 决定日期: '2024-13-01' }),
        creditRow(2, { 决定书文号: 'X', '罚没金额（元）': '五千元' }),
        creditRow(2, { 决定书文号: 'Y', 移出日期: '2024-01-01' }),
      ],
      CREDIT_HEADER,
    );
    const run = await importFile('demo-credit', text, '信用.csv');
    expect(run).toMatchObject({ status: 'succeeded', accepted: 3, rejected: 4, inserted: 3 });
    expect(await errorsOf(run.runId)).toEqual([
      [
        5,
        'kind',
        '信用类别“黑名单（旧）”无法识别（应为 列入经营异常名录、经营异常名录、严重违法失信名单、列入严重违法失信名单、行政处罚、行政处罚信息、abnormal_operation、serious_violation、administrative_penalty）',
      ],
      [6, 'decidedOn', '决定日期“2024-13-01”不是有效日期（应为 YYYY-MM-DD）'],
      [7, 'amount', '罚没金额“五千元”不是有效金额（元，最多两位小数）'],
      [8, 'removedOn', '移出日期 2024-01-01 早于决定日期 2024-05-06'],
    ]);
    const rows = await t.ctx.db
      .selectFrom('entity_credit_record')
      .select(['entity_id', 'kind', 'amount', 'removed_on'])
      .where('source_run_id', '=', run.runId)
      .orderBy('entity_id')
      .execute();
    expect(rows.map((r) => [r.kind, r.amount === null ? null : Number(r.amount), r.removed_on])).toEqual([
      ['administrative_penalty', 5000, null],
      ['abnormal_operation', null, '2024-09-01'],
      ['serious_violation', 5000, null],
    ]);
    const again = await importFile('demo-credit', text, '信用.csv');
    expect(again).toMatchObject({ accepted: 3, inserted: 0, updated: 0 });
    const count = await t.ctx.db
      .selectFrom('entity_credit_record')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });

  it('refuses the same record named by USCC in one row and by name batches later, so re-imports change nothing', async () => {
    const record = { 决定书文号: '示市监罚〔2024〕77号', 决定日期: '2024-07-01' };
    // 1,200 rows of other entities' decisions between the two (refused: no such entity), so the two rows lie in
    // different batches.
    const between = Array.from({ length: 1200 }, (_, i) => creditRow(9000 + i));
    const fixed = csv(
      [
        creditRow(1, { ...record, '罚没金额（元）': '1000' }),
        ...between,
        creditRow(1, { ...record, 统一社会信用代码: '', 主体名称: '示范县许可甲', '罚没金额（元）': '2000' }),
      ],
      CREDIT_HEADER,
    );
    const first = await importFile('demo-credit', fixed, '信用.csv');
    expect(first).toMatchObject({ status: 'succeeded', inserted: 1, updated: 0 });
    expect((await errorsOf(first.runId)).at(-1)).toEqual([
      1203,
      'entityName',
      '与第 2 行是同一条记录（对应同一经营主体）',
    ]);
    for (let i = 0; i < 2; i++) {
      expect(await importFile('demo-credit', fixed, '信用.csv')).toMatchObject({ inserted: 0, updated: 0 });
    }
    const stored = await t.ctx.db
      .selectFrom('entity_credit_record')
      .select('amount')
      .where('document_no', '=', record.决定书文号)
      .execute();
    expect(stored.map((r) => Number(r.amount))).toEqual([1000]);
  });
});

describe('person import', () => {
  it('seals names, ID numbers and phones, finds them again by blind index, and masks them in the report', async () => {
    const bad = `${idCard(3).slice(0, 17)}${idCard(3)[17] === '0' ? '1' : '0'}`;
    const text = csv(
      [
        personRow(1),
        personRow(2, { 人员类别: '负责人', 联系电话: '0512-6512 3456', 身份证号: '' }),
        personRow(3, { 身份证号: bad }),
        personRow(4, { 联系电话: '1381234' }),
        personRow(6, { 身份证号: '320500209901011234' }),
        personRow(1, { 姓名: '张一（重复）' }),
      ],
      PERSON_HEADER,
    );
    const run = await importFile('demo-person', text, '人员.csv');
    expect(run).toMatchObject({ status: 'succeeded', accepted: 2, rejected: 4, inserted: 2 });
    const errors = await t.ctx.db
      .selectFrom('exchange_run_error')
      .select(['row_no', 'field', 'reason', 'raw'])
      .where('run_id', '=', run.runId)
      .orderBy('id')
      .execute();
    expect(errors.map((e) => [e.row_no, e.field, e.reason])).toEqual([
      [4, 'idCard', `身份证号无效：校验位错误：应为 ${idCard(3)[17]}`],
      [5, 'phone', '联系电话不是有效的手机号或带区号的固定电话'],
      [6, 'idCard', '身份证号无效：出生日期晚于今天'],
      [7, 'idCard', '文件内人员（主体、类别、身份证号）重复：与第 2 行相同'],
    ]);
    // Personal data in the error report is masked, never stored in clear.
    const raw = JSON.stringify(errors.map((e) => e.raw));
    expect(raw).not.toContain(bad);
    expect(raw).not.toContain('张3');
    expect(raw).toContain(`${bad.slice(0, 6)}********${bad.slice(14)}`);

    const people = await t.ctx.db
      .selectFrom('entity_person')
      .selectAll()
      .where('source_run_id', '=', run.runId)
      .orderBy('id')
      .execute();
    expect(people).toHaveLength(2);
    const [legal, principal] = people;
    expect(legal).toMatchObject({ entity_id: await entityId(1), role: 'legal_rep', station_id: station });
    expect(t.ctx.pii.decrypt(legal!.name_enc)).toBe('张1');
    expect(t.ctx.pii.decrypt(legal!.id_card_enc!)).toBe(idCard(1));
    expect(legal!.id_card_bidx).toBe(t.ctx.pii.blindIndex('idcard', idCard(1)));
    expect(JSON.stringify(people)).not.toContain(idCard(1));
    expect(principal).toMatchObject({ role: 'principal', id_card_enc: null });
    expect(t.ctx.pii.decrypt(principal!.phone_enc!)).toBe('051265123456');

    const again = await importFile('demo-person', text, '人员.csv');
    expect(again).toMatchObject({ accepted: 2, inserted: 0, updated: 0 });
    const after = await t.ctx.db
      .selectFrom('entity_person')
      .selectAll()
      .where('entity_id', 'in', [await entityId(1), await entityId(2)])
      .orderBy('id')
      .execute();
    expect(after).toEqual(people);

    const moved = await importFile(
      'demo-person',
      csv([personRow(1, { 联系电话: '13900001111' })], PERSON_HEADER),
    );
    expect(moved).toMatchObject({ inserted: 0, updated: 1 });
  });

  it('keeps no text of a person line it cannot read: a cut line names the row, not the person', async () => {
    const whole = JSON.stringify(Object.fromEntries(PERSON_HEADER.map((h, i) => [h, personRow(2)[i]])));
    const cut = `{"统一社会信用代码":"${uscc(2)}","姓名":"张审计","身份证号":"${idCard(9)}","联系电话":"13912345678`;
    const run = await importFile('demo-person', [whole, cut, '["不是对象"]'].join('\n'), '人员.jsonl');
    expect(run).toMatchObject({ status: 'succeeded', accepted: 1, rejected: 2 });
    const errors = await t.ctx.db
      .selectFrom('exchange_run_error')
      .select(['row_no', 'reason', 'raw'])
      .where('run_id', '=', run.runId)
      .orderBy('id')
      .execute();
    expect(errors.map((e) => [e.row_no, e.reason])).toEqual([
      [2, '不是有效的 JSON（行不完整或格式错误）'],
      [3, '每行应为一个 JSON 对象'],
    ]);
    const raw = JSON.stringify(errors.map((e) => e.raw));
    for (const secret of ['张审计', idCard(9), '13912345678', '不是对象']) expect(raw).not.toContain(secret);
    expect(errors[0]!.raw).toEqual({ 原始内容: '（人员数据：原文含个人信息，不予保存）' });
  });
});
