import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { chainHash, contentOfRow } from './audit.chain.ts';
import { verifyChain } from './audit.service.ts';
import { asTamperer, entry, freshChain, ids } from './audit.test-support.ts';

describe('audit chain under attack', () => {
  it('names a record whose content was edited in the database as altered', async () => {
    const c = await freshChain(6);
    const [, , third] = await ids(c.ctx.db);
    await asTamperer(c.ctx.db, (tx) =>
      sql`update audit_log set detail = '无事发生' where id = ${third}`.execute(tx),
    );
    expect(await verifyChain(c.ctx.db)).toMatchObject({ ok: false, recordId: third, reason: 'altered' });
    await c.close();
  });

  it('names the record after a deleted one', async () => {
    const c = await freshChain(6);
    const all = await ids(c.ctx.db);
    await asTamperer(c.ctx.db, (tx) => sql`delete from audit_log where id = ${all[2]}`.execute(tx));
    const r = await verifyChain(c.ctx.db);
    expect(r).toMatchObject({ ok: false, recordId: all[3], reason: 'deleted' });
    expect(r.ok || r.message).toBe(`审计链在第 ${all[3]} 条记录处断开：其前一条被删除`);
    await c.close();
  });

  it('detects forged records slipped into the chain, even one with a correctly computed hash', async () => {
    const c = await freshChain(2);
    const { db, audit } = c.ctx;
    // A rolled-back transaction leaves a gap in the ids: the only place a forged row could take a plausible id.
    for (let i = 0; i < 2; i++) {
      await db
        .transaction()
        .execute(async (tx) => {
          await audit.record(tx, entry(50 + i));
          throw new Error('rollback');
        })
        .catch(() => {});
    }
    await audit.record(db, entry(3));
    await audit.record(db, entry(4));
    const [, second, third] = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    const gap = [Number(second!.id) + 1, Number(second!.id) + 2];
    expect(Number(third!.id)).toBe(gap[1]! + 1);

    const forged = { ...second!, id: gap[0]!, detail: '伪造：批准了不存在的操作', occurred_at: new Date() };
    const insert = (row: typeof forged) =>
      asTamperer(db, (tx) =>
        tx
          .insertInto('audit_log')
          .values({ ...row, summary: JSON.stringify(row.summary) as never })
          .execute(),
      );
    await insert({ ...forged, prev_hash: second!.hash, hash: chainHash(second!.hash, contentOfRow(forged)) });
    expect(await verifyChain(db)).toMatchObject({ ok: false, recordId: gap[0], reason: 'inserted' });

    const c2 = await freshChain(3);
    const rows = await c2.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    const last = rows[rows.length - 1]!;
    await asTamperer(c2.ctx.db, (tx) =>
      tx
        .insertInto('audit_log')
        .values({
          ...last,
          id: Number(last.id) + 1,
          summary: JSON.stringify(last.summary) as never,
          prev_hash: 'f'.repeat(64),
          hash: 'e'.repeat(64),
        })
        .execute(),
    );
    expect(await verifyChain(c2.ctx.db)).toMatchObject({
      ok: false,
      recordId: Number(last.id) + 1,
      reason: 'inserted',
    });
    await Promise.all([c.close(), c2.close()]);
  });

  it('names a record rewritten together with its hash as altered', async () => {
    const c = await freshChain(5);
    const rows = await c.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    const target = { ...rows[2]!, result: 'failure' as const };
    await asTamperer(c.ctx.db, (tx) =>
      sql`update audit_log set result = 'failure', hash = ${chainHash(target.prev_hash, contentOfRow(target))}
          where id = ${target.id}`.execute(tx),
    );
    expect(await verifyChain(c.ctx.db)).toMatchObject({
      ok: false,
      recordId: Number(target.id),
      reason: 'altered',
    });
    await c.close();
  });
});
