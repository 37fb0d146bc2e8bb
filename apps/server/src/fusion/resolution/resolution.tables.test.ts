import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { down, up } from '../../platform/db/migrations/0033_compact_provenance.ts';
import { FIELD_KEYS } from './resolution.fuse.ts';
import { type FieldProvenance, packProvenance, unpackProvenance } from './resolution.tables.ts';

const registry = { source: 'registry', runId: 7, at: '2026-03-01T08:00:00.000Z', recordId: 41 };
const manual = { source: 'manual', runId: null, at: '2026-05-02T09:30:00.000Z', recordId: 99 };
/** Written before records had ids (migration 0014): no `recordId`. */
const legacy = { source: 'old-exchange', runId: 3, at: '2025-12-31T16:00:00.000Z' };

const provenance: Record<string, FieldProvenance> = {
  uscc: { ...registry, rule: 'trusted' },
  name: { ...manual, rule: 'manual' },
  address: { ...registry, rule: 'newest' },
  status: { ...registry, rule: 'newest' },
  businessScope: { ...legacy, rule: 'newest' },
};

describe('stored provenance', () => {
  it('names each record once and gives every field back as it was', () => {
    const stored = packProvenance(provenance);
    expect(stored.r).toHaveLength(3);
    expect(stored.f!.address![0]).toBe(stored.f!.status![0]);
    expect(unpackProvenance(stored)).toEqual(provenance);
  });

  it('stores a new entity of an import (ten fields, one record) in under a third of the bytes', () => {
    const fromOne: Record<string, FieldProvenance> = Object.fromEntries(
      FIELD_KEYS.map((f) => [f, { ...registry, rule: f === 'name' ? 'trusted' : 'newest' }]),
    );
    const stored = packProvenance(fromOne);
    expect(stored.r).toEqual([[registry.source, registry.runId, registry.at, registry.recordId]]);
    expect(unpackProvenance(stored)).toEqual(fromOne);
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(fromOne).length / 3);
  });

  it('keeps an empty provenance empty', () => {
    expect(packProvenance({})).toEqual({});
    expect(unpackProvenance({})).toEqual({});
  });
});

describe('migration 0033 on a real database', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('packs provenance written per field, and unpacks it again on the way down', async () => {
    const db = t.ctx.db;
    const raw = db as unknown as Kysely<unknown>;
    const insert = async (name: string, value: object) =>
      Number(
        (
          await sql<{ id: number }>`
            insert into entity (name, type, address, region_code, provenance)
            values (${name}, 'individual', '人民路 1 号', '320599', ${JSON.stringify(value)}::jsonb)
            returning id`.execute(db)
        ).rows[0]!.id,
      );
    const old = await insert('旧格式来源的商店', provenance);
    const none = await insert('没有来源的商店', {});
    const stored = async (id: number) =>
      (await db.selectFrom('entity').select('provenance').where('id', '=', id).executeTakeFirstOrThrow())
        .provenance as unknown;

    await up(raw);
    const packed = (await stored(old)) as Parameters<typeof unpackProvenance>[0];
    expect(packed.r).toHaveLength(3);
    expect(unpackProvenance(packed)).toEqual(provenance);
    expect(await stored(none)).toEqual({});

    await up(raw); // already packed rows are left alone
    expect(await stored(old)).toEqual(packed);

    await down(raw);
    expect(await stored(old)).toEqual(provenance);
    expect(await stored(none)).toEqual({});
    await up(raw);
  });
});
