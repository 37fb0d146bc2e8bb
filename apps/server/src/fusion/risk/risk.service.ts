import type {
  EntityRiskView,
  RiskClassCounts,
  RiskOverview,
  RiskRecomputeQueued,
} from '@rongjian/shared/api';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { listStationsInScope } from '../overview/overview.repo.ts';
import { modelOn, recomputeRisk } from './risk.compute.ts';
import {
  countByStationAndClass,
  countIndicatorHits,
  findEntityRisk,
  latestFullRun,
  pendingFullRun,
  RECOMPUTE_JOB,
} from './risk.repo.ts';
import { loadEntityRisk, toEntityRisk } from './risk.view.ts';

const emptyCounts = (): RiskClassCounts => ({ A: 0, B: 0, C: 0, D: 0, none: 0 });
const iso = (d: Date | string) => new Date(d).toISOString();

/** 信用风险分类 for people: one entity's explanation, recomputation on request, and the distribution in scope. */
export function createRiskService(ctx: Pick<AppContext, 'db' | 'settings' | 'jobs'>) {
  const { db } = ctx;

  async function inScope(viewer: SessionUser, entityId: number) {
    const row = await findEntityRisk(db, viewer, entityId);
    if (!row) throw notFound('经营主体');
    return row;
  }

  return {
    async explain(viewer: SessionUser, entityId: number): Promise<EntityRiskView> {
      const r = await inScope(viewer, entityId);
      return {
        entityId,
        risk:
          r.risk_class === null
            ? null
            : toEntityRisk({
                risk_class: r.risk_class,
                score: r.score!,
                contributions: r.contributions!,
                thresholds: r.thresholds!,
                model_version: r.model_version!,
                as_of: r.as_of!,
                computed_at: r.computed_at!,
              }),
      };
    },

    /** Recompute one entity now (the viewer's action is named on a class change). */
    async recomputeOne(
      viewer: SessionUser,
      entityId: number,
    ): Promise<EntityRiskView & { entityName: string; changed: boolean }> {
      const before = await inScope(viewer, entityId);
      const summary = await recomputeRisk(
        ctx,
        { entityIds: [entityId] },
        { actor: { id: viewer.id, name: viewer.displayName } },
      );
      return {
        entityId,
        entityName: before.name,
        changed: summary.written > 0,
        risk: await loadEntityRisk(db, entityId),
      };
    },

    async overview(viewer: SessionUser): Promise<RiskOverview> {
      const [cells, stations, hits, last] = await Promise.all([
        countByStationAndClass(db, viewer),
        listStationsInScope(db, viewer.scope),
        countIndicatorHits(db, viewer),
        latestFullRun(db),
      ]);
      const total = emptyCounts();
      const perStation = new Map(stations.map((s) => [Number(s.id), emptyCounts()]));
      for (const c of cells) {
        const key = c.riskClass ?? 'none';
        total[key] += c.n;
        const row = c.stationId === null ? undefined : perStation.get(c.stationId);
        if (row) row[key] += c.n;
      }
      const { model, version } = modelOn(ctx, todayInChina());
      return {
        total,
        byStation: stations.map((s) => ({
          stationId: Number(s.id),
          stationName: s.name,
          counts: perStation.get(Number(s.id))!,
        })),
        indicators: model.all.map((m) => ({
          key: m.indicator.key,
          label: m.indicator.label,
          description: m.indicator.description,
          enabled: m.enabled,
          weight: m.weight,
          unit: m.indicator.counting?.unit ?? null,
          cap: m.cap,
          entities: hits.get(m.indicator.key) ?? 0,
        })),
        model: { version, thresholds: [...model.thresholds] },
        lastRun: last
          ? {
              jobId: Number(last.id),
              status: last.status,
              createdAt: iso(last.created_at),
              finishedAt: last.finished_at ? iso(last.finished_at) : null,
            }
          : null,
      };
    },

    /** Queue a full recomputation, or join the one already waiting or running. */
    async requestFullRun(): Promise<RiskRecomputeQueued> {
      return db.transaction().execute(async (tx) => {
        const pending = await pendingFullRun(tx);
        if (pending) return { jobId: Number(pending.id), queued: false };
        const id = await ctx.jobs.enqueue(tx, RECOMPUTE_JOB, {});
        return { jobId: id!, queued: true };
      });
    },
  };
}
export type RiskService = ReturnType<typeof createRiskService>;
