import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { lockChain } from './audit.service.ts';
import { auditRetentionSetting } from './audit.settings.ts';

const BATCH = 5000;
const DAY_MS = 86_400_000;

const columns = sql.raw(
  'id, occurred_at, actor_id, actor_name, ip, action, object_type, object_id, result, summary, detail, prev_hash, hash',
);

/**
 * Move records older than `cutoff` from audit_log to audit_archive, unchanged (same ids and hashes), so the chain
 * still verifies across both tables. Each batch copies, then deletes, in one transaction under the chain lock;
 * the delete trigger lets a row go only when this transaction flagged itself and the copy already exists.
 */
export async function archiveAuditRecords(db: Kysely<DB>, cutoff: Date): Promise<number> {
  let moved = 0;
  for (;;) {
    const n = await db.transaction().execute(async (tx) => {
      await lockChain(tx);
      const last = await tx
        .selectFrom('audit_log')
        .select('id')
        .where('occurred_at', '<', cutoff)
        .orderBy('id')
        .offset(BATCH - 1)
        .limit(1)
        .executeTakeFirst();
      const upTo = last ? Number(last.id) : Number.MAX_SAFE_INTEGER;
      await sql`select set_config('rongjian.audit_archive', 'on', true)`.execute(tx);
      await sql`insert into audit_archive (${columns})
        select ${columns} from audit_log where occurred_at < ${cutoff} and id <= ${upTo}`.execute(tx);
      const res = await tx
        .deleteFrom('audit_log')
        .where('occurred_at', '<', cutoff)
        .where('id', '<=', upTo)
        .executeTakeFirst();
      await sql`select set_config('rongjian.audit_archive', 'off', true)`.execute(tx);
      return Number(res.numDeletedRows);
    });
    moved += n;
    if (n < BATCH) return moved;
  }
}

/** The daily archive job; records that outlive the retention period move, they never disappear. */
export function registerAuditJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: 'platform.audit.archive',
    payload: z.object({}),
    cron: '20 2 * * *',
    async handler(_payload, run) {
      const { days } = run.ctx.settings.get(auditRetentionSetting);
      const moved = await archiveAuditRecords(run.ctx.db, new Date(Date.now() - days * DAY_MS));
      if (moved > 0) {
        await run.ctx.audit.record(run.ctx.db, {
          actor: { id: null, name: '系统' },
          action: 'audit.archive',
          objectType: 'audit_log',
          result: 'success',
          detail: `已将 ${moved} 条超过保留期限（${days} 天）的审计记录移入归档表`,
        });
      }
    },
  });
}
