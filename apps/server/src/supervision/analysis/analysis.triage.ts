import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BusinessLine, Category12315, DisposalCode } from '@rongjian/shared';
import { type ClueKind, triageValueLabel } from '@rongjian/shared/api';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { deserializeModel, figuresOf, predictWithModel, type TriageModel } from './analysis.model.ts';
import { MODEL_TEXT_LIMIT } from './analysis.text.ts';

/**
 * The triage model as the rest of the platform sees it: `predictTriage(text)` on the process's loaded model.
 * The active version lives in table `analysis_model`; each process keeps one parsed copy and looks for a newer
 * active version at most every 30 s (at once when the `analysis.model.activated` ledger event arrives). Before
 * any database was consulted — a CLI, a unit test — the model shipped in `apps/server/models/` is used.
 */

export interface FieldGuess<T extends string> {
  value: T;
  label: string;
  /** Calibrated 0..1. */
  confidence: number;
}

export interface TriagePrediction {
  kind: FieldGuess<ClueKind>;
  line: FieldGuess<BusinessLine>;
  category: FieldGuess<Category12315>;
  disposal: FieldGuess<DisposalCode>;
  /** The minimum of the four. */
  confidence: number;
  modelVersion: string;
}

type Executor = Kysely<DB> | Transaction<DB>;

export const MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../models');
/** A one-line text file naming the shipped model file in `MODELS_DIR`. */
export const LATEST_POINTER = path.join(MODELS_DIR, 'triage.latest');

/** How often a process asks the database which version is active. */
export const ACTIVE_CHECK_MS = 30_000;

interface Loaded {
  model: TriageModel;
  /** Which row it came from; null: a file (shipped or `--model`). */
  modelId: number | null;
  checkedAt: number;
}

let current: Loaded | undefined;

export class ModelMissingError extends Error {}

/** The shipped model file: `triage.latest` names it. */
export function shippedModelPath(): string {
  if (!existsSync(LATEST_POINTER)) {
    throw new ModelMissingError(
      `找不到随软件发布的分拣模型（${LATEST_POINTER}）；请先运行 rongjian model train`,
    );
  }
  const name = readFileSync(LATEST_POINTER, 'utf8').trim();
  return path.join(MODELS_DIR, path.basename(name));
}

export function loadModelFile(file: string): TriageModel {
  if (!existsSync(file)) throw new ModelMissingError(`找不到模型文件：${file}`);
  return deserializeModel(readFileSync(file));
}

/** Use this model from now on in this process (CLI `--model`, tests, a version this process just activated). */
export function useTriageModel(model: TriageModel, modelId: number | null = null): void {
  current = { model, modelId, checkedAt: modelId === null ? 0 : Date.now() };
}

/**
 * Drop the loaded model: the next use loads the shipped one and asks the database afresh. The loaded model belongs to
 * the one database a process serves; a test worker that goes on to another database calls this (test/support.ts).
 */
export function forgetTriageModel(): void {
  current = undefined;
}

/** The next `ensureTriageModel`/classifier call asks the database again (another node activated a version). */
export function invalidateTriageModel(): void {
  if (current) current.checkedAt = 0;
}

function loadedModel(): TriageModel {
  current ??= { model: loadModelFile(shippedModelPath()), modelId: null, checkedAt: 0 };
  return current.model;
}

export function currentModelVersion(): string {
  return loadedModel().version;
}

/** Synchronous on the process's loaded model; call ensureTriageModel(ctx.db) once before (server start does it). */
export function predictTriage(text: string): TriagePrediction {
  const model = loadedModel();
  const g = predictWithModel(model, text.slice(0, MODEL_TEXT_LIMIT));
  const guess = <T extends string>(head: 'kind' | 'line' | 'category' | 'disposal'): FieldGuess<T> => ({
    value: g[head].value as T,
    label: triageValueLabel(head, g[head].value),
    confidence: g[head].confidence,
  });
  return {
    kind: guess<ClueKind>('kind'),
    line: guess<BusinessLine>('line'),
    category: guess<Category12315>('category'),
    disposal: guess<DisposalCode>('disposal'),
    confidence: Math.min(g.kind.confidence, g.line.confidence, g.category.confidence, g.disposal.confidence),
    modelVersion: model.version,
  };
}

/**
 * Load the active version into this process (at most one database look-up per 30 s). The first time ever, the
 * shipped model is imported as the first version and activated. Returns the version now in use.
 */
export async function ensureTriageModel(db: Kysely<DB>): Promise<{ version: string }> {
  await refreshTriageModel(db, { importShipped: true });
  return { version: loadedModel().version };
}

/**
 * Like `ensureTriageModel` but never writes (safe inside someone else's transaction). Each caller queries through
 * its own executor: sharing one in-flight look-up between a transaction and the pool could deadlock on PGlite's
 * single connection.
 */
export async function refreshTriageModel(
  db: Executor,
  opts: { importShipped?: boolean; force?: boolean } = {},
): Promise<void> {
  const fresh =
    current !== undefined &&
    Date.now() - current.checkedAt < ACTIVE_CHECK_MS &&
    (current.modelId !== null || !opts.importShipped);
  if (fresh && !opts.force) return;
  let active = await activeRow(db);
  if (!active && opts.importShipped) {
    await importShippedModel(db);
    active = await activeRow(db);
  }
  if (!active) {
    loadedModel(); // no version in the database yet: the shipped file
    if (current) current.checkedAt = Date.now();
    return;
  }
  if (current?.modelId !== active.id) {
    const row = await db
      .selectFrom('analysis_model')
      .select(['model'])
      .where('id', '=', active.id)
      .executeTakeFirstOrThrow();
    current = { model: deserializeModel(row.model), modelId: active.id, checkedAt: Date.now() };
  } else if (current) {
    current.checkedAt = Date.now();
  }
}

async function activeRow(db: Executor): Promise<{ id: number; version: string } | undefined> {
  const r = await db
    .selectFrom('analysis_model')
    .select(['id', 'version'])
    .where('task', '=', 'triage')
    .where('active', '=', true)
    .executeTakeFirst();
  return r ? { id: Number(r.id), version: r.version } : undefined;
}

/**
 * Store the shipped model as a version (once) and activate it when no version is active. A newer shipped model
 * (after an upgrade) is stored but not activated: staff compare it on the 模型评估 page and switch deliberately.
 */
export async function importShippedModel(db: Executor): Promise<{ version: string; imported: boolean }> {
  const file = shippedModelPath();
  const bytes = readFileSync(file);
  const model = deserializeModel(bytes);
  const run = async (tx: Executor) => {
    const inserted = await tx
      .insertInto('analysis_model')
      .values({
        version: model.version,
        source: 'shipped',
        metrics: figuresOf(model) as unknown as Record<string, unknown>,
        trained_on: { corpus: model.trainedOn.examples + model.trainedOn.validation, corrections: 0 },
        model: bytes,
        reason: '随软件发布的模型',
        decision: '',
      })
      .onConflict((oc) => oc.column('version').doNothing())
      .returning('id')
      .executeTakeFirst();
    const anyActive = await activeRow(tx);
    if (!anyActive) {
      await tx
        .updateTable('analysis_model')
        .set({
          active: true,
          activated_at: new Date(),
          activated_by_name: '系统',
          decision: '首次启动，启用随软件发布的模型。',
        })
        .where('version', '=', model.version)
        .execute();
    }
    return { version: model.version, imported: inserted !== undefined };
  };
  return 'isTransaction' in db && db.isTransaction
    ? run(db)
    : (db as Kysely<DB>).transaction().execute((tx) => run(tx));
}
