import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support.ts';
import { type Database, notify } from './database.ts';

let database: Database;
const received: string[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
  await database.listen('rongjian_test_after_commit', (p) => received.push(p));
});
afterAll(async () => {
  await database?.close();
});

/** Notifications travel asynchronously; wait until `n` arrived (or give up after a second). */
async function settle(n: number) {
  for (let i = 0; i < 100 && received.length < n; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('NOTIFY after commit', () => {
  it('delivers a transaction’s notifications only after it commits, in order, and never for a rollback', async () => {
    const { db } = database;
    await db.transaction().execute(async (tx) => {
      await notify(tx, 'rongjian_test_after_commit', 'a1');
      await notify(tx, 'rongjian_test_after_commit', 'a2');
      await new Promise((r) => setTimeout(r, 50));
      expect(received).toEqual([]); // still inside the transaction
    });
    await settle(2);
    expect(received).toEqual(['a1', 'a2']);

    await expect(
      db.transaction().execute(async (tx) => {
        await notify(tx, 'rongjian_test_after_commit', 'rolled-back');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await notify(db, 'rongjian_test_after_commit', 'outside');
    await settle(3);
    expect(received).toEqual(['a1', 'a2', 'outside']);
  });

  it('keeps the transaction’s writes and ordinary queries working through the wrapped driver', async () => {
    const { db } = database;
    const n = await db.transaction().execute(async (tx) => {
      await notify(tx, 'rongjian_test_after_commit', 'with-query');
      const r = await tx
        .selectFrom('department')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? -1);
    });
    expect(n).toBeGreaterThanOrEqual(0);
    await settle(4);
    expect(received.at(-1)).toBe('with-query');
  });
});
