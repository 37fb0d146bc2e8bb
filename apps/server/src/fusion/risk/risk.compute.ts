import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { DB } from '../../platform/db/schema.ts';
import { type Actor, systemActor } from '../../platform/ledger/ledger.service.ts';
import type { SettingDefinition, SettingValue } from '../../platform/settings/settings.define.ts';
import type { SettingsService } from '../../platform/settings/settings.service.ts';
import type { Executor } from '../entities/entities.repo.ts';
import type { IndicatorEnv } from './risk.indicator.ts';
import {
  classify,
  pointsOf,
  RISK_MODEL_KEY,
  type RiskClass,
  type RiskModel,
  readModel,
  riskModelSetting,
} from './risk.model.ts';
import {
  appendRiskEvents,
  type BatchEntity,
  entityIdsOfRun,
  loadBatch,
  nextEntityIds,
  type RiskChangedEvent,
  type RiskRow,
  saveResults,
  setEntityClasses,
} from './risk.repo.ts';
import type { StoredContribution } from './risk.tables.ts';

/**
 * 信用风险分类, computed: the model in force on the day, every enabled indicator as one set-based query per batch of
 * entities, scores to classes, and only changed results written. A class change is a ledger event
 * (`entity.risk.changed`) with the old and new class and the main reasons; the first classification of an entity
 * is not (an import of a million entities would otherwise flood the ledger with no news).
 */
export type RiskTarget = { entityIds: readonly number[] } | { runId: number } | { all: true };

export interface RiskDeps {
  db: Executor;
  /** Absent (the seed CLI has no settings service): the built-in model and expiry tiers apply. */
  settings?: Pick<SettingsService, 'getAt' | 'effectiveFromAt'> | undefined;
}

export interface RecomputeOptions {
  /** Day the indicators are evaluated for (default: today in China time). */
  asOf?: string;
  /** Who the ledger events name (default 系统). */
  actor?: Actor;
  /** Entities per transaction (default 2,000). */
  batchSize?: number;
  onProgress?: (done: number) => void;
}

export interface RecomputeSummary {
  asOf: string;
  modelVersion: string;
  /** Entities evaluated. */
  examined: number;
  /** Results written (new or different). */
  written: number;
  /** Entities whose class changed, first classifications included. */
  reclassified: number;
  /** `entity.risk.changed` events appended. */
  events: number;
}

export interface EntityResult {
  riskClass: RiskClass;
  score: number;
  contributions: StoredContribution[];
}

const DEFAULT_BATCH = 2000;
const TOP_REASONS = 3;

/** The model and the indicators' environment in force on `asOf`, with the version's name. */
export function modelOn(
  deps: RiskDeps,
  asOf: string,
): { model: RiskModel; version: string; env: IndicatorEnv } {
  const settingAt = <T extends SettingValue>(def: SettingDefinition<T>): T =>
    deps.settings ? deps.settings.getAt(def, asOf) : def.default;
  const model = readModel(settingAt(riskModelSetting));
  return {
    model,
    version: deps.settings?.effectiveFromAt(RISK_MODEL_KEY, asOf) ?? 'default',
    env: { params: model.params, setting: settingAt },
  };
}

/** Scores and classes of a batch: every enabled indicator once over the whole batch. */
export async function evaluate(
  db: Executor,
  ids: readonly number[],
  asOf: string,
  model: RiskModel,
  env: IndicatorEnv,
): Promise<Map<number, EntityResult>> {
  // One after the other: a transaction is one connection, and PGlite has only one anyway.
  const found: Map<number, { value: number; detail: string }>[] = [];
  for (const m of model.indicators) found.push(await m.indicator.compute(db, ids, asOf, env));
  const out = new Map<number, EntityResult>();
  for (const id of ids) {
    const contributions: StoredContribution[] = [];
    model.indicators.forEach((m, i) => {
      const hit = found[i]!.get(id);
      if (!hit || hit.value <= 0) return;
      const points = pointsOf(hit.value, m);
      if (points <= 0) return;
      const { key, label } = m.indicator;
      contributions.push({ key, label, value: hit.value, weight: m.weight, points, detail: hit.detail });
    });
    // Most points first; ties keep the registry's order (sort is stable).
    contributions.sort((a, b) => b.points - a.points);
    const score = contributions.reduce((s, c) => s + c.points, 0);
    out.set(id, { riskClass: classify(score, model.thresholds), score, contributions });
  }
  return out;
}

function fingerprint(r: EntityResult, thresholds: readonly number[], version: string): string {
  const canonical = JSON.stringify([
    r.riskClass,
    r.score,
    r.contributions.map((c) => [c.key, c.value, c.weight, c.points, c.detail]),
    thresholds,
    version,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 27);
}

const reasonsOf = (r: EntityResult) =>
  r.contributions.slice(0, TOP_REASONS).map((c) => ({ label: c.label, points: c.points, detail: c.detail }));

/** Run `fn` in a transaction of its own, or inside the caller's when `db` already is one (the demo seed). */
function inTransaction<T>(db: Executor, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<DB>) : (db as Kysely<DB>).transaction().execute(fn);
}

/** Recompute the classes of the target's entities in batches, one transaction per batch. */
export async function recomputeRisk(
  deps: RiskDeps,
  target: RiskTarget,
  opts: RecomputeOptions = {},
): Promise<RecomputeSummary> {
  const asOf = opts.asOf ?? todayInChina();
  const { model, version, env } = modelOn(deps, asOf);
  const actor = opts.actor ?? systemActor;
  const size = opts.batchSize ?? DEFAULT_BATCH;
  const summary: RecomputeSummary = {
    asOf,
    modelVersion: version,
    examined: 0,
    written: 0,
    reclassified: 0,
    events: 0,
  };

  const runBatch = (ids: readonly number[]) =>
    inTransaction(deps.db, async (tx) => {
      const batch = await loadBatch(tx, ids);
      if (batch.length === 0) return;
      const results = await evaluate(
        tx,
        batch.map((e) => e.id),
        asOf,
        model,
        env,
      );
      const rows: RiskRow[] = [];
      const classes: { id: number; from: RiskClass | null; to: RiskClass }[] = [];
      for (const e of batch) {
        const r = results.get(e.id)!;
        const fp = fingerprint(r, model.thresholds, version);
        if (fp !== e.fingerprint) {
          rows.push({
            entityId: e.id,
            ...r,
            thresholds: [...model.thresholds],
            modelVersion: version,
            asOf,
            fingerprint: fp,
          });
        }
        if (r.riskClass !== e.risk_class) classes.push({ id: e.id, from: e.risk_class, to: r.riskClass });
      }
      await saveResults(tx, rows);
      const moved = await setEntityClasses(tx, classes);
      const events = batch
        .filter((e) => moved.has(e.id) && e.risk_class !== null)
        .map((e) => changedEvent(e, results.get(e.id)!, version, asOf));
      await appendRiskEvents(tx, actor, events);
      summary.examined += batch.length;
      summary.written += rows.length;
      summary.reclassified += moved.size;
      summary.events += events.length;
    });

  if ('all' in target) {
    for (let after = 0; ; ) {
      const ids = await nextEntityIds(deps.db, after, size);
      if (ids.length === 0) break;
      await runBatch(ids);
      opts.onProgress?.(summary.examined);
      after = ids[ids.length - 1]!;
    }
    return summary;
  }
  const ids =
    'runId' in target
      ? await entityIdsOfRun(deps.db, target.runId)
      : [...new Set(target.entityIds)].sort((a, b) => a - b);
  for (let i = 0; i < ids.length; i += size) {
    await runBatch(ids.slice(i, i + size));
    opts.onProgress?.(summary.examined);
  }
  return summary;
}

function changedEvent(e: BatchEntity, r: EntityResult, version: string, asOf: string): RiskChangedEvent {
  return {
    entityId: e.id,
    departmentId: e.station_id,
    payload: {
      from: e.risk_class,
      to: r.riskClass,
      score: r.score,
      previousScore: e.score,
      modelVersion: version,
      asOf,
      reasons: reasonsOf(r),
    },
  };
}
