import { type Kysely, sql, type Transaction } from 'kysely';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import type { DB } from '../db/schema.ts';
import type { AuditEntry } from './audit.service.ts';

/** Helpers shared by the audit tests (not a test file itself). */

export const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: { id: 1, name: '张三' },
  ip: '10.0.0.8',
  action: 'system.user.update',
  objectType: 'user',
  objectId: i,
  result: 'success',
  before: { status: 'active', roles: ['officer'] },
  after: { status: 'disabled', roles: ['officer'], note: `第${i}次` },
  detail: `修改用户 ${i}`,
  ...extra,
});

export async function ids(db: Kysely<DB>): Promise<number[]> {
  const rows = await db.selectFrom('audit_log').select('id').orderBy('id').execute();
  return rows.map((r) => Number(r.id));
}

/** Run `fn` with triggers off, as a database superuser tampering with the table would. */
export async function asTamperer(
  db: Kysely<DB>,
  fn: (tx: Transaction<DB>) => Promise<unknown>,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`set local session_replication_role = replica`.execute(tx);
    await fn(tx);
  });
}

/** Each tampering test starts from a fresh chain in its own database. */
export async function freshChain(n: number): Promise<TestContext> {
  const c = await createTestContext();
  for (let i = 1; i <= n; i++) await c.ctx.audit.record(c.ctx.db, entry(i));
  return c;
}
