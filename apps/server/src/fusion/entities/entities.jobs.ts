import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { assignLocations } from '../../support/gis/gis.locate.ts';
import { deriveLinesForRun } from './entities.lines.ts';
import { recomputeRisk } from '../risk/risk.compute.ts';

/**
 * What follows a successful exchange run, as one durable job enqueued in the run's final transaction: derive the
 * 业务条线 of the entities it delivered from their 经营范围, locate and assign grids to new or moved entities (support/gis), then recompute risk classes of the entities the run touched
 * (fusion/risk). Each step is idempotent, so a retried job does no harm.
 */
export const AFTER_IMPORT_JOB = 'entities.afterImport';

export async function runAfterImport(ctx: AppContext, run: { runId: number }): Promise<void> {
  // A big import leaves the planner without statistics (PGlite has no autovacuum); sampling is cheap.
  await sql`analyze entity, entity_source_record, entity_licence, entity_credit_record, entity_person`.execute(
    ctx.db,
  );
  await deriveLinesForRun(ctx, run.runId);
  await assignLocations(ctx, { runId: run.runId, trigger: 'import' });
  await recomputeRisk(ctx, { runId: run.runId });
}

export function registerEntityJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: AFTER_IMPORT_JOB,
    payload: z.object({ runId: z.number().int().positive() }),
    async handler(payload, run) {
      await runAfterImport(run.ctx, payload);
    },
  });
}
