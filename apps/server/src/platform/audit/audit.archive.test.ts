import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { createTestContext } from '../../../test/support.ts';
import { archiveAuditRecords } from './audit.archive.ts';
import { getAuditLog, listAuditLogs } from './audit.repo.ts';
import { verifyChain } from './audit.service.ts';
import { asTamperer, entry } from './audit.test-support.ts';

describe('retention and archive', () => {
  it('moves records older than the retention period to the archive; the chain and the search still cover them', async () => {
    const c = await createTestContext();
    const { db, audit, jobs } = c.ctx;
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(Date.now() - 200 * 86_400_000));
      for (let i = 0; i < 5; i++) await audit.record(db, entry(i, { detail: `半年前的操作 ${i}` }));
      vi.useRealTimers();
      for (let i = 5; i < 8; i++) await audit.record(db, entry(i));

      await jobs.enqueue(db, 'platform.audit.archive', {});
      expect(await jobs.claimAndRun(c.ctx, 5)).toBe(1);

      const archived = await db.selectFrom('audit_archive').select(['id', 'detail']).orderBy('id').execute();
      expect(archived.map((r) => r.detail)).toEqual([0, 1, 2, 3, 4].map((i) => `半年前的操作 ${i}`));
      const live = await db.selectFrom('audit_log').select(['action', 'detail']).orderBy('id').execute();
      expect(live).toHaveLength(4);
      // The move itself is on record: nothing leaves the live table silently.
      expect(live[3]).toMatchObject({
        action: 'audit.archive',
        detail: expect.stringContaining('已将 5 条'),
      });
      expect(await verifyChain(db)).toEqual({ ok: true, count: 9 });

      const page = await listAuditLogs(db, { keyword: '半年前', limit: 3 });
      expect(page.items.map((i) => i.archived)).toEqual([true, true, true]);
      expect(page.nextAfter).not.toBeNull();
      const next = await listAuditLogs(db, { keyword: '半年前', limit: 3, after: page.nextAfter! });
      expect(next.items).toHaveLength(2);
      expect((await getAuditLog(db, Number(archived[0]!.id)))?.archived).toBe(true);

      // A second run finds nothing more to move; archived records cannot be removed either.
      expect(await archiveAuditRecords(db, new Date(Date.now() - 180 * 86_400_000))).toBe(0);
      await expect(sql`delete from audit_archive`.execute(db)).rejects.toThrow(/append-only/);
      // Tampering in the archive is found like anywhere else.
      await asTamperer(db, (tx) =>
        sql`update audit_archive set ip = '8.8.8.8' where id = ${archived[1]!.id}`.execute(tx),
      );
      expect(await verifyChain(db)).toMatchObject({
        ok: false,
        recordId: Number(archived[1]!.id),
        reason: 'altered',
      });
    } finally {
      vi.useRealTimers();
      await c.close();
    }
  });
});
