import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { getAuditLog } from './audit.repo.ts';
import { verifyChain } from './audit.service.ts';
import { entry, ids } from './audit.test-support.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('audit chain', () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  it('stays intact over many records, written alone, inside callers’ transactions and concurrently', async () => {
    const { db, audit } = t.ctx;
    for (let i = 0; i < 30; i++)
      await audit.record(db, entry(i, i % 3 ? {} : { actor: null, before: undefined }));
    await db.transaction().execute(async (tx) => {
      await audit.record(tx, entry(100, { detail: '同一事务中的第一条' }));
      await audit.record(
        tx,
        entry(101, { detail: '同一事务中的第二条', after: { nested: { z: 1, a: [1, 'x'] } } }),
      );
    });
    // Two transactions appending at the same time (truly in parallel on PostgreSQL) still form one chain.
    const batch = (k: number) =>
      db.transaction().execute(async (tx) => {
        for (let i = 0; i < 5; i++) await audit.record(tx, entry(1000 * k + i));
      });
    await Promise.all([
      batch(1),
      batch(2),
      ...Array.from({ length: 10 }, (_, i) => audit.record(db, entry(500 + i))),
    ]);
    expect(await verifyChain(db)).toEqual({ ok: true, count: 30 + 2 + 10 + 10 });
  });

  it('commits a burst of concurrent records together, in one chain, each caller answered after its commit', async () => {
    const { db, audit } = t.ctx;
    const before = await verifyChain(db);
    const burst = Array.from({ length: 120 }, (_, i) => entry(2000 + i, { detail: `并发第 ${i} 条` }));
    await Promise.all(
      burst.map(async (e) => {
        await audit.record(db, e);
        // Resolved only once the record is readable by anyone.
        const row = await db
          .selectFrom('audit_log')
          .select('id')
          .where('detail', '=', e.detail ?? '')
          .executeTakeFirst();
        expect(row).toBeDefined();
      }),
    );
    expect(await verifyChain(db)).toEqual({ ok: true, count: (before.ok ? before.count : 0) + 120 });
    const rows = await db.selectFrom('audit_log').select(['id', 'occurred_at']).orderBy('id').execute();
    for (let i = 1; i < rows.length; i++) {
      expect(new Date(rows[i]!.occurred_at).getTime()).toBeGreaterThanOrEqual(
        new Date(rows[i - 1]!.occurred_at).getTime(),
      );
    }
  });

  it('keeps nothing from a rolled-back transaction and still verifies', async () => {
    const { db, audit } = t.ctx;
    const before = (await ids(db)).length;
    await expect(
      db.transaction().execute(async (tx) => {
        await audit.record(tx, entry(9999, { detail: '将被回滚' }));
        throw new Error('业务失败');
      }),
    ).rejects.toThrow('业务失败');
    await audit.record(db, entry(10_000));
    expect((await ids(db)).length).toBe(before + 1);
    expect(await verifyChain(db)).toMatchObject({ ok: true, count: before + 1 });
  });

  it('stores what the handler described, with the before/after summary, as a readable record', async () => {
    const { db, audit } = t.ctx;
    await audit.record(db, entry(77, { detail: '含\u0000空字符的说明' }));
    const [last] = await db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).execute();
    const rec = await getAuditLog(db, Number(last!.id));
    expect(rec).toMatchObject({
      actorName: '张三',
      ip: '10.0.0.8',
      action: 'system.user.update',
      objectType: 'user',
      objectId: '77',
      result: 'success',
      detail: '含空字符的说明',
      before: { status: 'active', roles: ['officer'] },
      after: { status: 'disabled', note: '第77次' },
      archived: false,
    });
    expect(await verifyChain(db)).toMatchObject({ ok: true });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit records and the login log', async () => {
    const { db } = t.ctx;
    await t.ctx.audit.recordLogin(db, {
      userId: null,
      username: 'nobody',
      ip: '1.2.3.4',
      userAgent: 'test',
      result: 'failure',
      reason: '用户名或密码错误',
    });
    await expect(sql`update audit_log set detail = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_archive`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`update login_log set reason = '成功'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from login_log`.execute(db)).rejects.toThrow(/append-only/);
    // Even claiming to be the archive mover does not allow removing a record that was not copied first.
    await expect(
      db.transaction().execute(async (tx) => {
        await sql`select set_config('rongjian.audit_archive', 'on', true)`.execute(tx);
        await sql`delete from audit_log`.execute(tx);
      }),
    ).rejects.toThrow(/append-only/);
    expect(await verifyChain(db)).toMatchObject({ ok: true });
  });
});
