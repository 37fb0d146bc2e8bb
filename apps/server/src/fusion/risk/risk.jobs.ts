import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/jobs/jobs.service.ts';
import { recomputeRisk } from './risk.compute.ts';
import { RECOMPUTE_JOB } from './risk.repo.ts';

/** Entities one on-event job may name; a larger change is what the nightly full run is for. */
const MAX_IDS = 50_000;

/**
 * `fusion.risk.recompute`: without entity ids, every entity (nightly at 01:30, and on demand from the console);
 * with ids, those entities (other modules enqueue it when something an indicator reads has changed).
 */
export function registerRiskJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: RECOMPUTE_JOB,
    payload: z.object({ entityIds: z.array(z.number().int().positive()).min(1).max(MAX_IDS).optional() }),
    cron: '30 1 * * *',
    maxAttempts: 3,
    async handler(payload, run) {
      // A model version saved on another node moments ago must not be missed by tonight's run.
      await run.ctx.settings.refresh();
      await recomputeRisk(run.ctx, payload.entityIds ? { entityIds: payload.entityIds } : { all: true });
    },
  });
}

/**
 * For modules whose facts feed an indicator (a case closed, an inspection failed): recompute these entities soon,
 * enqueued in the caller's transaction so it happens only if the change commits.
 */
export async function enqueueRiskRecompute(
  ctx: Pick<AppContext, 'jobs'>,
  executor: Executor,
  entityIds: readonly number[],
): Promise<void> {
  for (let i = 0; i < entityIds.length; i += MAX_IDS) {
    await ctx.jobs.enqueue(executor, RECOMPUTE_JOB, { entityIds: entityIds.slice(i, i + MAX_IDS) });
  }
}

/** Ledger events after which an entity's indicators may read differently: its records moved, or a fact was corrected. */
const RELEVANT_EVENTS = new Set(['entity.merged', 'entity.unmerged', 'entity.field.corrected']);

/**
 * Recompute an entity soon after another module's ledger event says something an indicator reads has changed
 * (STYLE.md: react to events, do not reach into the other module). Every API node hears the event; the dedupe key
 * lets one job through. A node that is down misses nothing for long: the nightly run catches the entity up.
 */
export function reactToEntityEvents(ctx: Pick<AppContext, 'db' | 'events' | 'jobs'>): () => void {
  return ctx.events.subscribe((e) => {
    if (e.subjectType !== 'entity' || !RELEVANT_EVENTS.has(e.kind)) return;
    const id = Number(e.subjectId);
    if (!Number.isSafeInteger(id) || id <= 0) return;
    ctx.jobs
      .enqueue(ctx.db, RECOMPUTE_JOB, { entityIds: [id] }, { dedupeKey: `${RECOMPUTE_JOB}:event:${e.id}` })
      .catch(() => {
        // Database closing: the nightly run recomputes the entity.
      });
  });
}
