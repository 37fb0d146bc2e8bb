import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EntitiesTestBed, startEntitiesTestBed } from '../../../test/entities-support.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import { json } from '../../platform/db/json.ts';
import { addDays } from './entities.dossier.ts';
import { licenceExpiryWarningSetting } from './entities.settings.ts';

let bed: EntitiesTestBed;
let director: Awaited<ReturnType<EntitiesTestBed['as']>>;
let legalRepId: number;
const ID_CARD = '320599198805123419';
const today = todayInChina();

type Profile = {
  licences: {
    licenceNo: string;
    kindLabel: string;
    expiry: string;
    expiryDays: number | null;
    daysLeft: number | null;
  }[];
  creditRecords: { kind: string; kindLabel: string; amount: number | null; documentNo: string }[];
  personnel: {
    id: number;
    role: string;
    nameMasked: string;
    idCardMasked: string | null;
    phoneMasked: string | null;
  }[];
};

beforeAll(async () => {
  bed = await startEntitiesTestBed();
  director = await bed.as('director');
  const db = bed.t.ctx.db;
  const pii = bed.t.ctx.pii;
  const lic = (no: string, days: number, status: '有效' | '吊销' = '有效') => ({
    entity_id: bed.ids.bbqA,
    kind: 'food_business' as const,
    licence_no: no,
    issued_on: addDays(today, days - 1825),
    valid_until: addDays(today, days),
    status,
    issuer: '示范县市场监督管理局',
    source_run_id: null,
  });
  await db
    .insertInto('entity_licence')
    .values([
      lic('JY00000000000001', -3),
      lic('JY00000000000002', 10),
      lic('JY00000000000003', 45),
      lic('JY00000000000004', 80),
      lic('JY00000000000005', 400),
      lic('JY00000000000006', -50, '吊销'),
    ])
    .execute();
  await db
    .insertInto('entity_credit_record')
    .values([
      {
        entity_id: bed.ids.bbqA,
        kind: 'abnormal_operation',
        decided_on: '2026-03-01',
        removed_on: null,
        reason: '未按照规定的期限公示年度报告',
        document_no: '苏市监异〔2026〕7号',
        amount: null,
        source_run_id: null,
      },
      {
        entity_id: bed.ids.bbqA,
        kind: 'administrative_penalty',
        decided_on: '2025-06-01',
        removed_on: null,
        reason: '销售过期食品',
        document_no: '苏市监罚〔2025〕12号',
        amount: 5000,
        source_run_id: null,
      },
    ])
    .execute();
  const seal = (kind: 'name' | 'idcard' | 'phone', v: string) => ({
    enc: pii.encrypt(kind, v),
    bidx: pii.blindIndex(kind, v),
  });
  const [n, c, p] = [seal('name', '王大力'), seal('idcard', ID_CARD), seal('phone', '13812345678')];
  const r = await db
    .insertInto('entity_person')
    .values({
      entity_id: bed.ids.bbqA,
      station_id: bed.stationA,
      role: 'legal_rep',
      name_enc: n.enc,
      name_bidx: n.bidx,
      id_card_enc: c.enc,
      id_card_bidx: c.bidx,
      phone_enc: p.enc,
      phone_bidx: p.bidx,
      source_run_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  legalRepId = Number(r.id);
});
afterAll(async () => {
  await bed?.close();
});

const profile = async (id: number) => {
  const res = await director('GET', `/api/entities/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Profile;
};
const expiries = (p: Profile) => Object.fromEntries(p.licences.map((l) => [l.licenceNo.slice(-1), l.expiry]));
const tierDays = (p: Profile) =>
  Object.fromEntries(p.licences.map((l) => [l.licenceNo.slice(-1), l.expiryDays]));

describe('一户一档: licences, credit, personnel', () => {
  it('classifies licence expiry by the 许可证到期预警 setting, and follows a change of it', async () => {
    expect(expiries(await profile(bed.ids.bbqA))).toEqual({
      '1': 'expired',
      '2': 'within30',
      '3': 'within60',
      '4': 'within90',
      '5': 'ok',
      '6': 'ok',
    });
    await bed.t.ctx.settings.set({ id: null, name: '测试' }, licenceExpiryWarningSetting, {
      days: [15, 50, 500],
    });
    try {
      const p = await profile(bed.ids.bbqA);
      expect(expiries(p)).toMatchObject({
        '2': 'within30',
        '3': 'within60',
        '4': 'within90',
        '5': 'within90',
      });
      expect(p.licences.find((l) => l.licenceNo.endsWith('2'))!.daysLeft).toBe(10);
    } finally {
      await bed.t.ctx.settings.set({ id: null, name: '测试' }, licenceExpiryWarningSetting, {
        days: [30, 60, 90],
      });
    }
  });

  it('names the configured days of the tier that applies, on the profile and on the search', async () => {
    await bed.t.ctx.settings.set({ id: null, name: '测试' }, licenceExpiryWarningSetting, {
      days: [7, 14, 21],
    });
    try {
      // 10 days left under [7, 14, 21]: the second tier, “14 天内到期”.
      const p = await profile(bed.ids.bbqA);
      expect(expiries(p)['2']).toBe('within60');
      expect(tierDays(p)).toEqual({ '1': null, '2': 14, '3': null, '4': null, '5': null, '6': null });
      const page = await director('GET', '/api/entities?limit=1');
      expect(page.json().licenceExpiryDays).toEqual([7, 14, 21]);
    } finally {
      await bed.t.ctx.settings.set({ id: null, name: '测试' }, licenceExpiryWarningSetting, {
        days: [30, 60, 90],
      });
    }
    expect(tierDays(await profile(bed.ids.bbqA))).toMatchObject({ '2': 30, '3': 60, '4': 90 });
    expect((await director('GET', '/api/entities?limit=1')).json().licenceExpiryDays).toEqual([30, 60, 90]);
  });

  it('shows credit records and personnel with masked values only', async () => {
    const p = await profile(bed.ids.bbqA);
    expect(p.creditRecords.map((c) => [c.kindLabel, c.amount])).toEqual([
      ['经营异常名录', null],
      ['行政处罚信息', 5000],
    ]);
    expect(p.personnel).toEqual([
      expect.objectContaining({
        id: legalRepId,
        role: 'legal_rep',
        nameMasked: expect.stringContaining('王'),
      }),
    ]);
    const person = p.personnel[0]!;
    expect(person.idCardMasked).not.toBe(ID_CARD);
    expect(person.idCardMasked).toMatch(/\*/);
    expect(person.phoneMasked).toMatch(/\*/);
    expect(JSON.stringify(p)).not.toContain(ID_CARD);
    expect(JSON.stringify(p)).not.toContain('王大力');
  });

  it('reveals a legal representative’s ID card only with permission, a reason and within data scope', async () => {
    const body = {
      objectType: 'entity_person',
      objectId: legalRepId,
      field: 'idCard',
      reason: '核实法定代表人身份',
    };
    const ok = await director('POST', '/api/pii/reveal', body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ value: ID_CARD });
    const audit = await bed.t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'pii.reveal')
      .where('object_type', '=', 'entity_person')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(ID_CARD);

    expect((await director('POST', '/api/pii/reveal', { ...body, reason: '' })).statusCode).toBe(400);
    // 执法人员 have no reveal permission.
    expect((await (await bed.as('officer1'))('POST', '/api/pii/reveal', body)).statusCode).toBe(403);
    // A 所长 of another 所 may reveal, but not this record: it does not exist for him.
    const headB = await bed.t.ctx.db
      .selectFrom('app_user as u')
      .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
      .innerJoin('role as r', 'r.id', 'ur.role_id')
      .select('u.username')
      .where('r.code', '=', 'station_head')
      .where('u.department_id', '=', bed.stationB)
      .executeTakeFirstOrThrow();
    expect((await (await bed.as(headB.username))('POST', '/api/pii/reveal', body)).statusCode).toBe(404);
  });

  it('lets the 所 the entity is in now reveal its people, and no longer the 所 it left', async () => {
    const db = bed.t.ctx.db;
    const pii = bed.t.ctx.pii;
    const headOf = async (station: number) => {
      const u = await db
        .selectFrom('app_user as u')
        .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
        .innerJoin('role as r', 'r.id', 'ur.role_id')
        .select('u.username')
        .where('r.code', '=', 'station_head')
        .where('u.department_id', '=', station)
        .executeTakeFirstOrThrow();
      return bed.as(u.username);
    };
    // Written as an import writes it, before grid placement gave the entity its 所; a wrong 所 on the row is not
    // believed either.
    const moved = await db
      .insertInto('entity')
      .values({
        uscc: null,
        name: '城东待落格小吃店',
        type: 'individual',
        address: '城东测试路 9 号',
        region_code: '320500',
        business_lines: json<string[]>([]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const person = await db
      .insertInto('entity_person')
      .values({
        entity_id: moved.id,
        station_id: bed.stationB,
        role: 'principal',
        name_enc: pii.encrypt('name', '李小红'),
        name_bidx: pii.blindIndex('name', '李小红'),
        phone_enc: pii.encrypt('phone', '13900001111'),
        phone_bidx: pii.blindIndex('phone', '13900001111'),
        source_run_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const body = {
      objectType: 'entity_person',
      objectId: Number(person.id),
      field: 'phone',
      reason: '联系负责人核实',
    };
    const [headA, headB] = [await headOf(bed.stationA), await headOf(bed.stationB)];
    expect((await headB('POST', '/api/pii/reveal', body)).statusCode).toBe(404);

    const place = (station: number, grid: number) =>
      db
        .updateTable('entity')
        .set({ station_id: station, grid_id: grid })
        .where('id', '=', Number(moved.id))
        .execute();
    await place(bed.stationA, bed.gridA);
    const revealed = await headA('POST', '/api/pii/reveal', body);
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toEqual({ value: '13900001111' });
    expect((await headB('POST', '/api/pii/reveal', body)).statusCode).toBe(404);

    await place(bed.stationB, bed.gridB);
    expect((await headA('POST', '/api/pii/reveal', body)).statusCode).toBe(404);
    expect((await headB('POST', '/api/pii/reveal', body)).statusCode).toBe(200);
  });

  it('searches by licence status within the caller’s scope', async () => {
    const ids = async (q: string, who = director) => {
      const res = await who('GET', `/api/entities?${q}&limit=500`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: { id: number }[] }).items.map((e) => e.id);
    };
    const expired = await ids('licenceStatus=expired');
    const within30 = await ids('licenceStatus=within30');
    const within90 = await ids('licenceStatus=within90');
    for (const list of [expired, within30, within90]) expect(list).toContain(bed.ids.bbqA);
    expect(await ids('licenceStatus=within30&riskClass=A')).not.toContain(bed.ids.bbqA);
    // Cumulative tiers: everything expiring within 30 days is also within 90.
    expect(within30.every((id) => within90.includes(id))).toBe(true);
    expect(await ids('licenceStatus=within90', await bed.as('officer2'))).not.toContain(bed.ids.bbqA);
    expect((await director('GET', '/api/entities?licenceStatus=soon')).statusCode).toBe(400);
  });
});
