import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { fieldRulesSetting, type FieldRules } from './resolution.settings.ts';
import { refuseEntities } from './resolution.write.ts';

/**
 * A change of 字段融合规则 reaches an entity the next time one of its records changes; this nightly job applies
 * it to every entity at once. Batches of entities with records, each fused set-based in its own transaction;
 * only rows whose values or provenance change are written, so a run with nothing to do writes nothing.
 */
export const REFUSE_JOB = 'fusion.resolution.refuse';
const BATCH = 1000;

export async function refuseAll(
  db: Kysely<DB>,
  rules: FieldRules,
): Promise<{ checked: number; changed: number }> {
  let after = 0;
  let checked = 0;
  let changed = 0;
  for (;;) {
    const rows = await db
      .selectFrom('entity')
      .select('id')
      .where('merged_into', 'is', null)
      .where('id', '>', after)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('entity_source_record as r').select('r.id').whereRef('r.entity_id', '=', 'entity.id'),
        ),
      )
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return { checked, changed };
    const ids = rows.map((r) => Number(r.id));
    changed += await db.transaction().execute((tx) => refuseEntities(tx, ids, rules));
    checked += ids.length;
    after = ids[ids.length - 1]!;
  }
}

export function registerResolutionJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: REFUSE_JOB,
    payload: z.object({}),
    cron: '40 2 * * *',
    async handler(_payload, run) {
      await refuseAll(run.ctx.db, run.ctx.settings.get(fieldRulesSetting));
    },
  });
}
