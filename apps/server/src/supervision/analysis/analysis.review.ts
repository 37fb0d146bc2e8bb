import { chinaDayStart } from '../../platform/calendar/calendar.rules.ts';
import type { BusinessLine, Category12315, DisposalCode } from '@rongjian/shared';
import {
  type ClueKind,
  findingDetectorSchema,
  type ReviewDetail,
  type ReviewFigures,
  type ReviewSummary,
  type ReviewTraining,
} from '@rongjian/shared/api';
import { type Selectable, sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import { notFound } from '../../platform/errors.ts';
import { type Actor, appendEvent, systemActor } from '../../platform/ledger/ledger.service.ts';
import type { JudgmentSuggestionSnapshot } from './analysis.judgments.tables.ts';
import { type LabelledText, type TrainInput, trainCandidate } from './analysis.model.registry.ts';
import {
  correctedFields,
  detectorRows,
  type FindingInput,
  type JudgedRow,
  judgmentFigures,
  type OutcomeInput,
  outcomeRows,
  round4,
} from './analysis.review.figures.ts';
import { reviewTrainingSetting } from './analysis.review.settings.ts';
import type { AnalysisReviewReportTable } from './analysis.review.tables.ts';

/**
 * 研判复盘 (clause 8.3.3 定期分析): a report over a period of China-time days compares the triage model's suggestions
 * with the analysts' judgments and with what the dispatch orders found, counts what the pattern detectors yielded,
 * and closes the loop — the period's corrections train a candidate model, activated only when it is better on the
 * same held-out split (analysis.model.registry.ts decides).
 */

export const INSUFFICIENT_MESSAGE = '更正样本不足，未训练新模型';
const DISPATCHED = new Set(['inspection', 'enforcement']);
const CLOSED_WITHOUT_DISPATCH = ['direct', 'reject'];

/** `[from 00:00, to+1 00:00)` China time. */
export function periodBounds(from: string, to: string): { start: Date; end: Date } {
  const start = chinaDayStart(from);
  const end = chinaDayStart(to, 1);
  return { start, end };
}

/** The calendar month before the one `now` falls in (China time), as inclusive days. */
export function previousMonth(now: Date): { from: string; to: string } {
  const china = new Date(now.getTime() + 8 * 3_600_000);
  const firstThis = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), 1);
  const lastPrev = new Date(firstThis - 86_400_000);
  const firstPrev = new Date(Date.UTC(lastPrev.getUTCFullYear(), lastPrev.getUTCMonth(), 1));
  const d = (x: Date) => x.toISOString().slice(0, 10);
  return { from: d(firstPrev), to: d(lastPrev) };
}

const clueText = (title: string, content: string) =>
  title && !content.startsWith(title) ? `${title}。${content}` : content;

/** Everything but the training: read-only, safe to run again. */
export async function computeReviewFigures(
  ctx: AppContext,
  from: string,
  to: string,
): Promise<{ figures: Omit<ReviewFigures, 'training'>; corrections: LabelledText[] }> {
  const db = ctx.db;
  const { start, end } = periodBounds(from, to);

  // 1. Suggestions vs judgments: every judgment of the period.
  const judgmentRows = await db
    .selectFrom('analysis_judgment')
    .select([
      'id',
      'clue_id',
      'disposal',
      'kind',
      'business_line',
      'category_12315',
      'suggestion',
      'judged_at',
    ])
    .where('judged_at', '>=', start)
    .where('judged_at', '<', end)
    .orderBy('id')
    .execute();
  const judged: (JudgedRow & { id: number; at: Date })[] = judgmentRows.map((r) => ({
    id: Number(r.id),
    clueId: Number(r.clue_id),
    at: new Date(r.judged_at),
    disposal: r.disposal,
    kind: r.kind,
    line: r.business_line,
    category: r.category_12315,
    suggestion: validSuggestion(r.suggestion),
  }));
  const judgments = judgmentFigures(judged);

  // 2a. Completed dispatch orders of the period, against the clue's judgment before it.
  const completed = await db
    .selectFrom('ledger_event')
    .select(['id', 'clue_id', 'payload', 'occurred_at'])
    .where('kind', '=', 'dispatch.order.completed')
    .where('clue_id', 'is not', null)
    .where('occurred_at', '>=', start)
    .where('occurred_at', '<', end)
    .orderBy('id')
    .execute();
  const lastCompletion = new Map<number, { outcome: string; at: Date }>();
  for (const e of completed) {
    lastCompletion.set(Number(e.clue_id), {
      outcome: String(e.payload.outcome ?? ''),
      at: new Date(e.occurred_at),
    });
  }
  const completedClues = [...lastCompletion.keys()];
  const judgmentsOf = await latestJudgments(ctx, completedClues);
  const dispatchedItems: OutcomeInput[] = [];
  for (const [clueId, c] of lastCompletion) {
    const j = judgmentsOf.get(clueId);
    const suggested = j?.suggestion?.disposal;
    if (!j || !suggested) continue;
    dispatchedItems.push({
      disposal: suggested,
      hit: c.outcome === 'violation',
      agreed: j.disposal === suggested,
    });
  }

  // 2b. Clues the analysts closed without dispatch in the period, and whether they came back.
  const lastClosing = new Map<number, JudgedRow & { at: Date }>();
  for (const j of judged) if (CLOSED_WITHOUT_DISPATCH.includes(j.disposal)) lastClosing.set(j.clueId, j);
  const reopenedAt = await firstEventAfter(ctx, 'clue.reopen', [...lastClosing.keys()]);
  const closedItems: OutcomeInput[] = [...lastClosing.values()].map((j) => ({
    disposal: j.disposal,
    hit: (reopenedAt.get(j.clueId) ?? []).some((at) => at > j.at),
    agreed: j.suggestion?.disposal === j.disposal,
  }));

  // 3. Detectors: findings raised in the period and how far their clues went.
  const findings = await db
    .selectFrom('analysis_finding')
    .select(['detector', 'status', 'clue_id'])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .execute();
  const findingClues = [...new Set(findings.filter((f) => f.clue_id !== null).map((f) => Number(f.clue_id)))];
  const [findingJudgments, ordersCreated, violations] = await Promise.all([
    latestJudgments(ctx, findingClues),
    cluesWithEvent(ctx, 'dispatch.order.created', findingClues),
    cluesWithEvent(ctx, 'dispatch.order.completed', findingClues, 'violation'),
  ]);
  const findingItems: FindingInput[] = findings.map((f) => {
    const clueId = f.clue_id === null ? null : Number(f.clue_id);
    const j = clueId === null ? undefined : findingJudgments.get(clueId);
    return {
      detector: f.detector,
      status: f.status,
      clueRaised: clueId !== null,
      judged: j !== undefined,
      dispatched:
        clueId !== null && (ordersCreated.has(clueId) || (j !== undefined && DISPATCHED.has(j.disposal))),
      violation: clueId !== null && violations.has(clueId),
    };
  });

  const figures = {
    judgments,
    outcomes: {
      dispatched: outcomeRows(dispatchedItems, ['inspection', 'enforcement']),
      closed: outcomeRows(closedItems, CLOSED_WITHOUT_DISPATCH),
    },
    detectors: detectorRows(findingItems, findingDetectorSchema.options),
  };
  return { figures, corrections: await periodCorrections(ctx, judged, start, end) };
}

function validSuggestion(s: unknown): JudgmentSuggestionSnapshot | null {
  if (!s || typeof s !== 'object') return null;
  const v = s as Partial<JudgmentSuggestionSnapshot>;
  if (typeof v.disposal !== 'string') return null;
  return {
    kind: String(v.kind ?? ''),
    line: String(v.line ?? ''),
    category: String(v.category ?? ''),
    disposal: v.disposal,
    confidence: typeof v.confidence === 'number' ? v.confidence : 0,
    modelVersion: String(v.modelVersion ?? ''),
  };
}

async function latestJudgments(ctx: AppContext, clueIds: number[]): Promise<Map<number, JudgedRow>> {
  const out = new Map<number, JudgedRow>();
  for (let i = 0; i < clueIds.length; i += 1000) {
    const rows = await ctx.db
      .selectFrom('analysis_judgment')
      .select(['clue_id', 'disposal', 'kind', 'business_line', 'category_12315', 'suggestion'])
      .where('clue_id', 'in', clueIds.slice(i, i + 1000))
      .orderBy('id')
      .execute();
    for (const r of rows) {
      out.set(Number(r.clue_id), {
        clueId: Number(r.clue_id),
        disposal: r.disposal,
        kind: r.kind,
        line: r.business_line,
        category: r.category_12315,
        suggestion: validSuggestion(r.suggestion),
      });
    }
  }
  return out;
}

async function firstEventAfter(
  ctx: AppContext,
  kind: string,
  clueIds: number[],
): Promise<Map<number, Date[]>> {
  const out = new Map<number, Date[]>();
  for (let i = 0; i < clueIds.length; i += 1000) {
    const rows = await ctx.db
      .selectFrom('ledger_event')
      .select(['clue_id', 'occurred_at'])
      .where('kind', '=', kind)
      .where('clue_id', 'in', clueIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) {
      const id = Number(r.clue_id);
      out.set(id, [...(out.get(id) ?? []), new Date(r.occurred_at)]);
    }
  }
  return out;
}

async function cluesWithEvent(
  ctx: AppContext,
  kind: string,
  clueIds: number[],
  outcome?: string,
): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < clueIds.length; i += 1000) {
    let q = ctx.db
      .selectFrom('ledger_event')
      .select('clue_id')
      .where('kind', '=', kind)
      .where('clue_id', 'in', clueIds.slice(i, i + 1000));
    if (outcome) q = q.where(sql<string>`payload->>'outcome'`, '=', outcome);
    for (const r of await q.execute()) out.add(Number(r.clue_id));
  }
  return out;
}

/**
 * The period's corrections as training data, one per clue: judgments that differ from the suggestion (all four
 * judged values as labels — the ones the analyst kept are confirmations) and 分拣确认 that changed a field.
 * A judgment wins over a sorting confirmation of the same clue.
 */
async function periodCorrections(
  ctx: AppContext,
  judged: readonly (JudgedRow & { id: number })[],
  start: Date,
  end: Date,
): Promise<LabelledText[]> {
  const labels = new Map<number, Omit<LabelledText, 'text'>>();
  const feedback = await ctx.db
    .selectFrom('clue_sort_feedback')
    .select(['clue_id', 'confirmed', 'changed_fields'])
    .where('at', '>=', start)
    .where('at', '<', end)
    .orderBy('id')
    .execute();
  for (const f of feedback) {
    if (!f.changed_fields?.length) continue;
    const c = f.confirmed as { kind?: string; businessLine?: string; category12315?: string };
    labels.set(Number(f.clue_id), {
      ...(c.kind ? { kind: c.kind as ClueKind } : {}),
      ...(c.businessLine ? { line: c.businessLine as BusinessLine } : {}),
      ...(c.category12315 ? { category: c.category12315 as Category12315 } : {}),
    });
  }
  for (const j of judged) {
    if (correctedFields(j).length === 0) continue;
    labels.set(j.clueId, {
      ...(labels.get(j.clueId) ?? {}),
      disposal: j.disposal as DisposalCode,
      ...(j.kind ? { kind: j.kind as ClueKind } : {}),
      ...(j.line ? { line: j.line as BusinessLine } : {}),
      ...(j.category ? { category: j.category as Category12315 } : {}),
    });
  }
  const ids = [...labels.keys()];
  const texts = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await ctx.db
      .selectFrom('clue')
      .select(['id', 'title', 'content'])
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) texts.set(Number(r.id), clueText(r.title, r.content));
  }
  return ids
    .filter((id) => texts.get(id)?.trim())
    .map((id) => ({ text: texts.get(id)!, ...labels.get(id)! }));
}

export interface GenerateOptions {
  /** Tests: a small corpus and few epochs instead of the shipped corpus. */
  train?: Pick<TrainInput, 'corpus' | 'options'>;
}

/** Fill report `id` (status `pending`): figures, the improvement loop, the ledger event. */
export async function generateReview(
  ctx: AppContext,
  id: number,
  jobId: number | null,
  opts: GenerateOptions = {},
): Promise<void> {
  const row = await ctx.db
    .selectFrom('analysis_review_report')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('复盘报告');
  const actor: Actor =
    row.generated_by !== null ? { id: row.generated_by, name: row.generated_by_name } : systemActor;
  try {
    const { figures, corrections } = await computeReviewFigures(ctx, row.period_from, row.period_to);
    const training = await improve(ctx, row, corrections, actor, jobId, opts);
    const full: ReviewFigures = { ...figures, training };
    await ctx.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('analysis_review_report')
        .set({
          status: 'done',
          generated_at: new Date(),
          figures: json(full as unknown as Record<string, unknown>),
          line_accuracy: full.judgments.withSuggestion ? full.judgments.fields.line.accuracy : null,
          judgments: full.judgments.total,
          model_activated: training.activated,
          model_version: training.version,
          model_decision: training.why ?? training.message,
          error: null,
        })
        .where('id', '=', id)
        .execute();
      await appendEvent(tx, {
        actor,
        subjectType: 'analysis_review_report',
        subjectId: id,
        kind: 'analysis.review.generated',
        payload: {
          from: row.period_from,
          to: row.period_to,
          judgments: full.judgments.total,
          lineAccuracy: full.judgments.fields.line.accuracy,
          corrections: training.corrections,
          training: training.status,
          activated: training.activated,
          version: training.version,
        },
      });
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await ctx.db
      .updateTable('analysis_review_report')
      .set({ status: 'failed', error: message.slice(0, 2000), generated_at: new Date() })
      .where('id', '=', id)
      .execute();
    throw err;
  }
}

async function improve(
  ctx: AppContext,
  row: Pick<AnalysisReviewReportTable, 'period_from' | 'period_to'>,
  corrections: LabelledText[],
  actor: Actor,
  jobId: number | null,
  opts: GenerateOptions,
): Promise<ReviewTraining> {
  const minCorrections = ctx.settings.get(reviewTrainingSetting).minCorrections;
  const base = {
    corrections: corrections.length,
    minCorrections,
    version: null,
    activated: false,
    why: null,
    candidate: null,
    active: null,
  };
  if (corrections.length < minCorrections) {
    return {
      ...base,
      status: 'insufficient',
      message: `${INSUFFICIENT_MESSAGE}（本期 ${corrections.length} 条，至少需要 ${minCorrections} 条）`,
    };
  }
  try {
    const out = await trainCandidate(ctx, {
      corrections,
      actor,
      reason: `研判复盘 ${row.period_from} 至 ${row.period_to}：${corrections.length} 条更正`,
      jobId,
      ...(opts.train ?? {}),
    });
    return {
      ...base,
      status: 'trained',
      message: `以本期 ${corrections.length} 条更正训练了候选模型 ${out.version}。${out.why}`,
      version: out.version,
      activated: out.activated,
      why: out.why,
      candidate: out.candidate,
      active: out.active,
    };
  } catch (err) {
    // The figures stand on their own: a failed training is reported in the report, not a failed report.
    return {
      ...base,
      status: 'failed',
      message: `候选模型训练失败：${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

// ── reading ──

const SUMMARY_COLUMNS = [
  'id',
  'period_from',
  'period_to',
  'status',
  'trigger',
  'job_id',
  'requested_at',
  'generated_at',
  'generated_by_name',
  'line_accuracy',
  'judgments',
  'model_activated',
  'model_decision',
  'error',
] as const;
type ReportRow = Pick<Selectable<AnalysisReviewReportTable>, (typeof SUMMARY_COLUMNS)[number]>;

function summaryOf(r: ReportRow): ReviewSummary {
  return {
    id: Number(r.id),
    from: r.period_from,
    to: r.period_to,
    status: r.status,
    trigger: r.trigger,
    jobId: r.job_id === null ? null : Number(r.job_id),
    requestedAt: new Date(r.requested_at).toISOString(),
    generatedAt: r.generated_at ? new Date(r.generated_at).toISOString() : null,
    generatedByName: r.generated_by_name,
    lineAccuracy: r.line_accuracy === null ? null : round4(Number(r.line_accuracy)),
    judgments: r.judgments === null ? null : Number(r.judgments),
    modelActivated: r.model_activated,
    modelDecision: r.model_decision,
    error: r.error,
  };
}

export async function listReviews(
  ctx: AppContext,
  q: { after?: number; limit: number },
): Promise<ReviewSummary[]> {
  let query = ctx.db
    .selectFrom('analysis_review_report')
    .select(SUMMARY_COLUMNS)
    .orderBy('id', 'desc')
    .limit(q.limit);
  if (q.after !== undefined) query = query.where('id', '<', q.after);
  return (await query.execute()).map(summaryOf);
}

export async function getReview(ctx: AppContext, id: number): Promise<ReviewDetail> {
  const r = await ctx.db
    .selectFrom('analysis_review_report')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound('复盘报告');
  return { ...summaryOf(r), figures: (r.figures as ReviewFigures | null) ?? null };
}

/** Insert a `pending` report and its job in the caller's executor; returns both ids. */
export async function requestReview(
  ctx: AppContext,
  input: { from: string; to: string; trigger: 'manual' | 'monthly'; actor: Actor },
): Promise<{ reportId: number; jobId: number }> {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('analysis_review_report')
      .values({
        period_from: input.from,
        period_to: input.to,
        trigger: input.trigger,
        generated_by: input.actor.id,
        generated_by_name: input.actor.name,
        figures: json(null),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const reportId = Number(row.id);
    const jobId = (await ctx.jobs.enqueue(tx, REVIEW_JOB, { reportId }))!;
    await tx
      .updateTable('analysis_review_report')
      .set({ job_id: jobId })
      .where('id', '=', reportId)
      .execute();
    return { reportId, jobId };
  });
}

export const REVIEW_JOB = 'analysis.review.generate';
export const MONTHLY_JOB = 'analysis.review.monthly';
