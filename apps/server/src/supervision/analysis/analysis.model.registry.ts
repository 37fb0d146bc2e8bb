import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BUSINESS_LINES,
  type BusinessLine,
  CATEGORIES_12315,
  type Category12315,
  DISPOSAL_CODES,
  type DisposalCode,
} from '@rongjian/shared';
import { type ClueKind, clueKindSchema, TRIAGE_HEAD_LABELS } from '@rongjian/shared/api';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import {
  deserializeModel,
  evaluateModel,
  HEADS,
  type HeadName,
  type ModelFigures,
  serializeModel,
  type TrainingExample,
  type TrainOptions,
  toModelFigures,
  trainAndEvaluate,
} from './analysis.model.ts';
import { useTriageModel } from './analysis.triage.ts';

/**
 * The model registry (issue 6 item 5, the model part): versions in `analysis_model`, training a candidate on the
 * corpus plus staff corrections, the activation rule, and manual switching. Every change is a ledger event and an
 * audit record; activation also tells every node (the ledger's NOTIFY) to reload.
 */

export type { HeadName, ModelFigures } from './analysis.model.ts';

export interface LabelledText {
  text: string;
  kind?: ClueKind;
  line?: BusinessLine;
  category?: Category12315;
  disposal?: DisposalCode;
}

type Executor = Kysely<DB> | Transaction<DB>;

export const CORPUS_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../data/analysis/triage-corpus.jsonl',
);

export interface CorpusRow {
  id: string;
  text: string;
  kind: ClueKind;
  line: BusinessLine;
  category: Category12315;
  disposal: DisposalCode;
  split: 'train' | 'test';
}

const KINDS = new Set<string>(clueKindSchema.options);
const LINES = new Set<string>(BUSINESS_LINES);
const CATEGORIES = new Set<string>(Object.keys(CATEGORIES_12315));
const DISPOSAL_SET = new Set<string>(DISPOSAL_CODES);

/** Read the labelled corpus (JSON lines); a row with an unknown label is an error, not silently dropped. */
export function readCorpus(file: string = CORPUS_PATH): CorpusRow[] {
  if (!existsSync(file)) throw new Error(`找不到标注语料：${file}（可运行 rongjian model corpus 生成）`);
  const rows: CorpusRow[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let r: CorpusRow;
      try {
        r = JSON.parse(line) as CorpusRow;
      } catch {
        throw new Error(`语料第 ${i + 1} 行不是合法的 JSON`);
      }
      const ok =
        typeof r.text === 'string' &&
        KINDS.has(r.kind) &&
        LINES.has(r.line) &&
        CATEGORIES.has(r.category) &&
        DISPOSAL_SET.has(r.disposal) &&
        (r.split === 'train' || r.split === 'test');
      if (!ok) throw new Error(`语料第 ${i + 1} 行的标注无效`);
      rows.push(r);
    });
  return rows;
}

export function toExample(t: LabelledText): TrainingExample {
  const labels: TrainingExample['labels'] = {};
  if (t.kind && KINDS.has(t.kind)) labels.kind = t.kind;
  if (t.line && LINES.has(t.line)) labels.line = t.line;
  if (t.category && CATEGORIES.has(t.category)) labels.category = t.category;
  if (t.disposal && DISPOSAL_SET.has(t.disposal)) labels.disposal = t.disposal;
  return { text: t.text, labels };
}

export function corpusSplits(rows: readonly CorpusRow[]): {
  train: TrainingExample[];
  test: TrainingExample[];
} {
  return {
    train: rows.filter((r) => r.split === 'train').map(toExample),
    test: rows.filter((r) => r.split === 'test').map(toExample),
  };
}

/** The largest drop of any head's macro-F1 a new version may have and still be activated. */
export const MAX_HEAD_DROP = 0.01;

/**
 * The activation rule: the candidate's business-line macro-F1 must be strictly higher than the active version's
 * on the same held-out split, and no head's macro-F1 may drop by more than 0.01. Returns the decision in Chinese.
 */
export function activationDecision(
  candidate: ModelFigures,
  active: ModelFigures | null,
  activeVersion?: string,
): { activate: boolean; why: string } {
  const f = (v: number) => v.toFixed(3);
  if (!active) return { activate: true, why: '当前没有启用的模型版本，新版本直接启用。' };
  const name = activeVersion ?? active.version;
  const c = candidate.heads.line.macroF1;
  const a = active.heads.line.macroF1;
  if (!(c > a)) {
    return {
      activate: false,
      why: `未启用：新版本业务条线宏平均 F1 为 ${f(c)}，${c === a ? '与' : '低于'}当前版本 ${name} 的 ${f(a)}${c === a ? '持平' : ''}（须严格高于才启用）。`,
    };
  }
  const drops = HEADS.map((h) => ({ h, drop: active.heads[h].macroF1 - candidate.heads[h].macroF1 })).filter(
    (d) => d.drop > MAX_HEAD_DROP,
  );
  if (drops.length > 0) {
    const list = drops.map((d) => `${TRIAGE_HEAD_LABELS[d.h]}下降 ${f(d.drop)}`).join('，');
    return {
      activate: false,
      why: `未启用：业务条线宏平均 F1 由 ${f(a)} 提高到 ${f(c)}，但${list}，超过允许的 ${MAX_HEAD_DROP}。`,
    };
  }
  return {
    activate: true,
    why: `已启用：业务条线宏平均 F1 由 ${f(a)}（${name}）提高到 ${f(c)}，其他字段下降均不超过 ${MAX_HEAD_DROP}。`,
  };
}

/** `2026.11.29-3`: the day (China time) and the day's sequence number. */
export async function nextVersion(db: Executor, now = new Date()): Promise<string> {
  const day = versionDay(now);
  const rows = await db
    .selectFrom('analysis_model')
    .select('version')
    .where('version', 'like', `${day}-%`)
    .execute();
  const last = rows.reduce((m, r) => Math.max(m, Number(r.version.slice(day.length + 1)) || 0), 0);
  return `${day}-${last + 1}`;
}

/** The day (China time) as a model version writes it: `2026.11.29`. */
export function versionDay(now: Date): string {
  const d = new Date(now.getTime() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(d.getUTCDate()).padStart(2, '0')}`;
}

export interface TrainInput {
  corrections: LabelledText[];
  actor: Actor;
  reason: string;
  /** The job that runs the training (so the page can find its result). */
  jobId?: number | null;
  /** Tests and experiments: another corpus or options than the shipped one. */
  corpus?: { train: LabelledText[]; test: LabelledText[] };
  options?: Partial<TrainOptions>;
}

/**
 * Train a candidate on the corpus's train split plus `corrections`, evaluate it and the active version on the same
 * held-out split, store it, and activate it when `activationDecision` says so.
 */
export async function trainCandidate(
  ctx: AppContext,
  input: TrainInput,
): Promise<{
  candidate: ModelFigures;
  active: ModelFigures | null;
  activated: boolean;
  why: string;
  modelId: number;
  version: string;
}> {
  const split = input.corpus
    ? { train: input.corpus.train.map(toExample), test: input.corpus.test.map(toExample) }
    : corpusSplits(readCorpus());
  const corrections = input.corrections
    .map((c) => ({ ...toExample(c), fromCorrection: true }))
    .filter((e) => e.text.trim() && hasLabel(e));
  const version = await nextVersion(ctx.db);
  const model = trainAndEvaluate([...split.train, ...corrections], split.test, { ...input.options, version });
  const candidate = model.figures!;

  const activeRow = await ctx.db
    .selectFrom('analysis_model')
    .select(['id', 'version', 'model'])
    .where('task', '=', 'triage')
    .where('active', '=', true)
    .executeTakeFirst();
  let active: ModelFigures | null = null;
  if (activeRow) {
    const old = deserializeModel(activeRow.model);
    active = toModelFigures(activeRow.version, evaluateModel(old, split.test), split.test.length);
  }
  const decision = activationDecision(candidate, active, activeRow?.version);
  const bytes = serializeModel(model);

  const modelId = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('analysis_model')
      .values({
        version,
        source: 'trained',
        metrics: candidate as unknown as Record<string, unknown>,
        trained_on: { corpus: split.train.length, corrections: corrections.length },
        model: bytes,
        reason: input.reason,
        decision: decision.why,
        auto_activated: decision.activate,
        job_id: input.jobId ?? null,
        created_by: input.actor.id,
        created_by_name: input.actor.name,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    await appendEvent(tx, {
      actor: input.actor,
      subjectType: 'analysis_model',
      subjectId: id,
      kind: 'analysis.model.trained',
      payload: {
        version,
        activated: decision.activate,
        why: decision.why,
        lineMacroF1: candidate.heads.line.macroF1,
        activeVersion: activeRow?.version ?? null,
        activeLineMacroF1: active?.heads.line.macroF1 ?? null,
        corrections: corrections.length,
      },
    });
    await ctx.audit.record(tx, {
      actor: input.actor,
      action: 'analysis.model.train',
      objectType: 'analysis_model',
      objectId: id,
      result: 'success',
      after: { version, lineMacroF1: candidate.heads.line.macroF1, activated: decision.activate },
      detail: `训练分拣模型 ${version}（${input.reason}）：${decision.why}`,
    });
    if (decision.activate) await switchActive(tx, id, version, input.actor, decision.why);
    return id;
  });
  if (decision.activate) useTriageModel(model, modelId);
  return { candidate, active, activated: decision.activate, why: decision.why, modelId, version };
}

function hasLabel(e: TrainingExample): boolean {
  return Object.keys(e.labels).length > 0;
}

async function switchActive(
  tx: Transaction<DB>,
  id: number,
  version: string,
  actor: Actor,
  why: string,
): Promise<string | null> {
  const previous = await tx
    .selectFrom('analysis_model')
    .select(['version'])
    .where('task', '=', 'triage')
    .where('active', '=', true)
    .executeTakeFirst();
  await tx
    .updateTable('analysis_model')
    .set({ active: false })
    .where('task', '=', 'triage')
    .where('active', '=', true)
    .execute();
  await tx
    .updateTable('analysis_model')
    .set({ active: true, activated_at: sql<Date>`now()`, activated_by_name: actor.name })
    .where('id', '=', id)
    .execute();
  await appendEvent(tx, {
    actor,
    subjectType: 'analysis_model',
    subjectId: id,
    kind: 'analysis.model.activated',
    payload: { version, previousVersion: previous?.version ?? null, why },
  });
  return previous?.version ?? null;
}

/**
 * Switch to version `id` by hand (the 启用 button): a ledger event (every node reloads); the HTTP route's audit
 * record names the versions before and after.
 */
export async function activateModel(
  ctx: AppContext,
  id: number,
  actor: Actor,
  reason?: string,
): Promise<{ version: string; previousVersion: string | null }> {
  const result = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('analysis_model')
      .select(['id', 'version', 'active'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('模型版本');
    if (row.active)
      throw new AppError('MODEL_ALREADY_ACTIVE', `模型版本 ${row.version} 已在使用中`, { status: 409 });
    const why = reason?.trim() ? `手动启用：${reason.trim()}` : '手动启用';
    const previousVersion = await switchActive(tx, id, row.version, actor, why);
    return { version: row.version, previousVersion };
  });
  const loaded = await ctx.db
    .selectFrom('analysis_model')
    .select(['model'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  useTriageModel(deserializeModel(loaded.model), id);
  return result;
}

/**
 * Staff corrections the next version learns from: the labels confirmed at 分拣确认 (kind, line, category) and the
 * 研判 conclusions (all four; the judgment wins where both exist). Newest first, at most `limit` clues.
 */
export async function collectCorrections(db: Executor, limit = 20_000): Promise<LabelledText[]> {
  const byClue = new Map<number, LabelledText>();
  const feedback = await db
    .selectFrom('clue_sort_feedback as f')
    .innerJoin('clue as c', 'c.id', 'f.clue_id')
    .select(['f.clue_id', 'f.confirmed', 'c.title', 'c.content'])
    .orderBy('f.id', 'desc')
    .limit(limit)
    .execute();
  for (const r of feedback) {
    const id = Number(r.clue_id);
    if (byClue.has(id)) continue;
    const c = r.confirmed as { kind?: string; businessLine?: string; category12315?: string };
    byClue.set(id, {
      text: clueText(r.title, r.content),
      ...(c.kind ? { kind: c.kind as ClueKind } : {}),
      ...(c.businessLine ? { line: c.businessLine as BusinessLine } : {}),
      ...(c.category12315 ? { category: c.category12315 as Category12315 } : {}),
    });
  }
  const judgments = await db
    .selectFrom('analysis_judgment as j')
    .innerJoin('clue as c', 'c.id', 'j.clue_id')
    .select([
      'j.clue_id',
      'j.disposal',
      'j.kind',
      'j.business_line',
      'j.category_12315',
      'c.title',
      'c.content',
    ])
    .orderBy('j.id', 'desc')
    .limit(limit)
    .execute();
  const judged = new Set<number>();
  for (const r of judgments) {
    const id = Number(r.clue_id);
    if (judged.has(id)) continue; // the newest judgment of a clue
    judged.add(id);
    const prev = byClue.get(id);
    byClue.set(id, {
      text: clueText(r.title, r.content),
      ...(prev ?? {}),
      disposal: r.disposal as DisposalCode,
      ...(r.kind ? { kind: r.kind as ClueKind } : {}),
      ...(r.business_line ? { line: r.business_line as BusinessLine } : {}),
      ...(r.category_12315 ? { category: r.category_12315 as Category12315 } : {}),
    });
  }
  return [...byClue.values()].slice(0, limit);
}

function clueText(title: string, content: string): string {
  return title && !content.startsWith(title) ? `${title}。${content}` : content;
}

// ── reading ──

export interface ModelRowView {
  id: number;
  version: string;
  active: boolean;
  source: 'shipped' | 'trained';
  createdAt: string;
  createdByName: string;
  trainedOn: { corpus: number; corrections: number };
  reason: string;
  decision: string;
  activatedAt: string | null;
  activatedByName: string | null;
  macroF1: Record<HeadName, number>;
  bytes: number;
}

const summaryColumns = [
  'id',
  'version',
  'active',
  'source',
  'created_at',
  'created_by_name',
  'trained_on',
  'reason',
  'decision',
  'activated_at',
  'activated_by_name',
  'metrics',
] as const;

function toView(
  r: {
    id: number;
    version: string;
    active: boolean;
    source: 'shipped' | 'trained';
    created_at: Date;
    created_by_name: string;
    trained_on: { corpus: number; corrections: number };
    reason: string;
    decision: string;
    activated_at: Date | null;
    activated_by_name: string | null;
    metrics: Record<string, unknown>;
  },
  bytes: number,
): ModelRowView {
  const m = r.metrics as unknown as Partial<ModelFigures>;
  const macro = (h: HeadName) => m.heads?.[h]?.macroF1 ?? 0;
  return {
    id: Number(r.id),
    version: r.version,
    active: r.active,
    source: r.source,
    createdAt: new Date(r.created_at).toISOString(),
    createdByName: r.created_by_name,
    trainedOn: r.trained_on,
    reason: r.reason,
    decision: r.decision,
    activatedAt: r.activated_at ? new Date(r.activated_at).toISOString() : null,
    activatedByName: r.activated_by_name,
    macroF1: {
      kind: macro('kind'),
      line: macro('line'),
      category: macro('category'),
      disposal: macro('disposal'),
    },
    bytes: Number(bytes),
  };
}

export async function listModels(db: Executor): Promise<ModelRowView[]> {
  const rows = await db
    .selectFrom('analysis_model')
    .select([...summaryColumns, sql<number>`octet_length(model)`.as('bytes')])
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => toView(r, r.bytes));
}

export async function getModel(db: Executor, id: number): Promise<ModelRowView & { figures: ModelFigures }> {
  const r = await db
    .selectFrom('analysis_model')
    .select([...summaryColumns, sql<number>`octet_length(model)`.as('bytes')])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound('模型版本');
  return { ...toView(r, r.bytes), figures: r.metrics as unknown as ModelFigures };
}
