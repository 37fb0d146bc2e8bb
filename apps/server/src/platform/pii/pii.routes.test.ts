import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';

let t: TestContext & { app: App };
let director: Session;
let eastHead: Session;
let officer: Session;
let eastUser: number;
let westUser: number;
let noPhoneUser: number;
const EAST_PHONE = '13905120001';
const WEST_PHONE = '13905120002';

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  const [east, west] = org.stations as [number, number];
  await org.user('director', 'director');
  await org.user('easthead', 'station_head', east);
  await org.user('officer', 'officer', east);
  eastUser = await org.user('eaststaff', 'officer', east);
  westUser = await org.user('weststaff', 'officer', west);
  noPhoneUser = await org.user('nophone', 'officer', east);
  for (const [id, phone] of [
    [eastUser, EAST_PHONE],
    [westUser, WEST_PHONE],
  ] as const) {
    await t.ctx.db
      .updateTable('app_user')
      .set({ phone_enc: t.ctx.pii.encrypt('phone', phone), phone_bidx: t.ctx.pii.blindIndex('phone', phone) })
      .where('id', '=', id)
      .execute();
  }
  director = await login(t.app, 'director');
  eastHead = await login(t.app, 'easthead');
  officer = await login(t.app, 'officer');
});
afterAll(() => t?.close());

const reveal = (s: Session, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/pii/reveal', headers: s.headers, payload: body });

describe('POST /api/pii/reveal', () => {
  it('shows the number to a permitted user and leaves an audit record with the reason, not the number', async () => {
    const res = await reveal(director, {
      objectType: 'user',
      objectId: westUser,
      field: 'phone',
      reason: '核实执法人员联系方式',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ value: WEST_PHONE });

    const records = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'pii.reveal')
      .execute();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      actor_name: 'director',
      object_type: 'user',
      object_id: String(westUser),
      result: 'success',
    });
    expect(records[0]!.detail).toContain('核实执法人员联系方式');
    const all = await t.ctx.db.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(all)).not.toContain(WEST_PHONE);
  });

  it('is forbidden without the pii:value:reveal permission', async () => {
    const res = await reveal(officer, {
      objectType: 'user',
      objectId: eastUser,
      field: 'phone',
      reason: '想看看',
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain(EAST_PHONE);
  });

  it('requires a typed reason of at least two characters', async () => {
    const missing = await reveal(director, { objectType: 'user', objectId: eastUser, field: 'phone' });
    expect(missing.statusCode).toBe(400);
    const blank = await reveal(director, {
      objectType: 'user',
      objectId: eastUser,
      field: 'phone',
      reason: '  看 ',
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).not.toContain(EAST_PHONE);
  });

  it('treats a record outside the data scope as not existing', async () => {
    const outside = await reveal(eastHead, {
      objectType: 'user',
      objectId: westUser,
      field: 'phone',
      reason: '联系核实',
    });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe('NOT_FOUND');
    expect(outside.body).not.toContain(WEST_PHONE);

    const inside = await reveal(eastHead, {
      objectType: 'user',
      objectId: eastUser,
      field: 'phone',
      reason: '联系核实',
    });
    expect(inside.statusCode).toBe(200);
    expect(inside.json().value).toBe(EAST_PHONE);
  });

  it('answers 404 for an unknown field or a record without a number', async () => {
    const field = await reveal(director, {
      objectType: 'user',
      objectId: eastUser,
      field: 'password',
      reason: '测试一下',
    });
    expect(field.statusCode).toBe(404);
    const none = await reveal(director, {
      objectType: 'user',
      objectId: noPhoneUser,
      field: 'phone',
      reason: '测试一下',
    });
    expect(none.statusCode).toBe(404);
  });
});

describe('staff phone numbers at rest', () => {
  it('are never stored in plain text in the user row', async () => {
    const row = await t.ctx.db
      .selectFrom('app_user')
      .selectAll()
      .where('id', '=', eastUser)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(EAST_PHONE);
    expect(stored).not.toContain(EAST_PHONE.slice(3));
    expect(row.phone_enc).toMatch(/^v\d+\./);
  });

  it('can be searched through the blind index without decrypting the table', async () => {
    const found = await t.ctx.db
      .selectFrom('app_user')
      .select('username')
      .where('phone_bidx', '=', t.ctx.pii.blindIndex('phone', '139-0512-0002'))
      .execute();
    expect(found.map((u) => u.username)).toEqual(['weststaff']);
  });
});
