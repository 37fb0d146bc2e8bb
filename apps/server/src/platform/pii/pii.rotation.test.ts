import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { createAuditService } from '../audit/audit.service.ts';
import { seedDemoCounty } from '../demo/seed.ts';
import { planStaffPhones } from '../demo/staff.ts';
import { createRng } from '../demo/random.ts';
import { rotateKeys } from './pii.rotation.ts';
import { createPiiVault, type PiiVault } from './pii.vault.ts';

let t: TestContext;
/** Plain number per user id, read once right after seeding (the reference every later check compares to). */
let phones: Map<number, string>;
/** A value sealed under v1 that no registered column holds (as in an older backup). */
let v1Token: string;

async function staffRows() {
  return t.ctx.db.selectFrom('app_user').select(['id', 'phone_enc', 'phone_bidx']).orderBy('id').execute();
}

/** A new process: its own vault over the same database and master key. */
const freshVault = () =>
  createPiiVault({ db: t.ctx.db, config: t.ctx.config, audit: createAuditService({ db: t.ctx.db }) });
const deps = (vault: PiiVault) => ({ db: t.ctx.db, config: t.ctx.config, vault, audit: t.ctx.audit });
/** No other server runs next to these tests, so nothing needs time to load a staged key. */
const NOW = { settleMs: 0 };

beforeAll(async () => {
  t = await createTestContext();
  await seedDemoCounty(t.ctx, {
    seed: 42,
    entities: 0,
    staff: 40,
    password: 'Demo-Pass-2026',
    via: 'direct',
  });
  phones = new Map((await staffRows()).map((r) => [r.id, t.ctx.pii.decrypt(r.phone_enc!)]));
  v1Token = t.ctx.pii.encrypt('phone', '13905129999');
});
afterAll(() => t?.close());

describe('demo staff phone numbers', () => {
  it('every staff member gets a distinct 1390512xxxx number, stored encrypted and blind-indexed', async () => {
    const rows = await staffRows();
    expect(rows).toHaveLength(40);
    const numbers = [...phones.values()];
    expect(new Set(numbers).size).toBe(40);
    for (const r of rows) {
      expect(r.phone_enc).toMatch(/^v1\./);
      expect(phones.get(r.id)).toMatch(/^1390512\d{4}$/);
      expect(r.phone_bidx).toBe(t.ctx.pii.blindIndex('phone', phones.get(r.id)!));
    }
  });

  it('are the same for the same seed', () => {
    expect(planStaffPhones(createRng(42, 'phones'), 40)).toEqual(
      planStaffPhones(createRng(42, 'phones'), 40),
    );
    expect(planStaffPhones(createRng(7, 'phones'), 40)).not.toEqual(
      planStaffPhones(createRng(42, 'phones'), 40),
    );
  });
});

describe('keys rotate', () => {
  it('re-encrypts every value under a new version, resumes after a crash, then retires the old version', async () => {
    const bidxBefore = (await staffRows()).map((r) => r.phone_bidx);

    // First run stops after one batch, as if the process died between batches.
    const partial = await rotateKeys(deps(await freshVault()), { ...NOW, batchSize: 15, maxBatches: 1 });
    expect(partial).toMatchObject({ resumed: false, activeVersion: 2, reencrypted: 15, retired: [] });
    expect(partial.remaining).toBe(25);
    const mid = await staffRows();
    expect(mid.filter((r) => r.phone_enc!.startsWith('v2.'))).toHaveLength(15);
    // Half-way through, values under both versions decrypt — also in a process that was already running
    // (it re-reads the keys on its own every KEY_REFRESH_MS).
    await t.ctx.pii.refresh();
    for (const r of mid) expect(t.ctx.pii.decrypt(r.phone_enc!)).toBe(phones.get(r.id));

    // A fresh process continues instead of starting yet another version.
    const rest = await rotateKeys(deps(await freshVault()), { ...NOW, batchSize: 15 });
    expect(rest).toMatchObject({
      resumed: true,
      activeVersion: 2,
      reencrypted: 25,
      retired: [1],
      remaining: 0,
    });

    const after = await staffRows();
    const reader = await freshVault();
    for (const r of after) {
      expect(r.phone_enc).toMatch(/^v2\./);
      expect(reader.decrypt(r.phone_enc!)).toBe(phones.get(r.id));
    }
    // The blind index hangs off the master key: searches keep working without rebuilding it.
    expect(after.map((r) => r.phone_bidx)).toEqual(bidxBefore);

    const keys = await t.ctx.db.selectFrom('pii_key').selectAll().orderBy('version').execute();
    expect(keys.map((k) => [k.version, k.state])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    expect(keys[0]!.retired_at).not.toBeNull();

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('action', 'like', 'security.key.%')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'security.key.rotate', object_id: '2' },
      { action: 'security.key.retire', object_id: '1' },
    ]);
  });

  it('lets a running process pick up the new version, and old tokens (e.g. from a backup) still decrypt', async () => {
    await t.ctx.pii.refresh();
    expect(t.ctx.pii.activeVersion()).toBe(2);
    expect(t.ctx.pii.encrypt('phone', '13905129999')).toMatch(/^v2\./);
    expect(v1Token).toMatch(/^v1\./);
    expect(t.ctx.pii.decrypt(v1Token)).toBe('13905129999');
  });

  it('a second rotation moves everything on again', async () => {
    const res = await rotateKeys(deps(await freshVault()), NOW);
    expect(res).toMatchObject({
      resumed: false,
      activeVersion: 3,
      reencrypted: 40,
      retired: [2],
      remaining: 0,
    });
    await t.ctx.pii.refresh();
    for (const r of await staffRows()) expect(t.ctx.pii.decrypt(r.phone_enc!)).toBe(phones.get(r.id));
  });
});
