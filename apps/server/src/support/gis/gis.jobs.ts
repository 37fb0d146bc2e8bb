import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/jobs/jobs.repo.ts';
import type { JobQueue } from '../../platform/jobs/jobs.service.ts';
import { assignLocations, reassignAfterGridChange } from './gis.locate.ts';

/**
 * GIS jobs. `gis.locate` runs nightly at 03:10 (and on demand from 网格管理 › 重新落格) to place whatever no import
 * placed: entities written by other paths, addresses the gazetteer has learnt since. `gis.grids.reassign` follows a
 * grid edit; it is enqueued in the edit's own transaction, so it exists exactly when the new boundary committed.
 */
export const LOCATE_JOB = 'gis.locate';
export const REASSIGN_JOB = 'gis.grids.reassign';

const bbox = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const reassignPayload = z.object({ gridId: z.number().int().positive(), bboxes: z.array(bbox).max(4) });
export type GridReassignment = z.infer<typeof reassignPayload>;

export function registerGisJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: LOCATE_JOB,
    payload: z.object({ trigger: z.enum(['schedule', 'manual']).default('schedule') }),
    cron: '10 3 * * *',
    async handler(payload, run) {
      await assignLocations(run.ctx, { trigger: payload.trigger });
    },
  });
  ctx.jobs.define({
    name: REASSIGN_JOB,
    payload: reassignPayload,
    async handler(payload, run) {
      await reassignAfterGridChange(run.ctx, payload);
    },
  });
}

export function enqueueGridReassignment(jobs: JobQueue, tx: Executor, change: GridReassignment) {
  return jobs.enqueue(tx, REASSIGN_JOB, change);
}
