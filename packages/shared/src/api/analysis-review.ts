import { z } from 'zod';
import { modelFiguresSchema } from './analysis-model.ts';

/**
 * 研判复盘 (`/api/analysis/review*`, issue 6 item 5, clause 8.3.3): the periodic review of the triage model's
 * suggestions against the analysts' judgments and the outcomes on the ground, the pattern detectors' yield, and
 * the improvement loop (corrections of the period → a candidate model → activated only when better).
 */

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const day = (what: string) =>
  z
    .string({ message: `请填写${what}` })
    .regex(DAY_RE, `${what}格式应为 YYYY-MM-DD`)
    .refine(
      (s) =>
        !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      {
        message: `${what}不是有效日期`,
      },
    );

/** Longest period one report covers (days, inclusive). */
export const REVIEW_MAX_DAYS = 366;

export const reviewPeriodInputSchema = z
  .strictObject({ from: day('开始日期'), to: day('结束日期') })
  .superRefine((v, c) => {
    const from = Date.parse(`${v.from}T00:00:00Z`);
    const to = Date.parse(`${v.to}T00:00:00Z`);
    if (Number.isNaN(from) || Number.isNaN(to)) return;
    if (to < from) c.addIssue({ code: 'custom', path: ['to'], message: '结束日期不能早于开始日期' });
    else if ((to - from) / 86_400_000 + 1 > REVIEW_MAX_DAYS)
      c.addIssue({ code: 'custom', path: ['to'], message: '复盘期间最长一年' });
  });
export type ReviewPeriodInput = z.infer<typeof reviewPeriodInputSchema>;

export const REVIEW_FIELDS = ['kind', 'line', 'category', 'disposal'] as const;
export type ReviewField = (typeof REVIEW_FIELDS)[number];

/** Confidence bands of the calibration table (upper bound exclusive except the last). */
export const REVIEW_CONFIDENCE_BANDS = [
  { key: '0-0.5', label: '0–0.5', min: 0, max: 0.5 },
  { key: '0.5-0.7', label: '0.5–0.7', min: 0.5, max: 0.7 },
  { key: '0.7-0.9', label: '0.7–0.9', min: 0.7, max: 0.9 },
  { key: '0.9-1', label: '0.9–1', min: 0.9, max: 1.0000001 },
] as const;

const classFigures = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number(),
});

/** One field: the analyst's value is the truth, the suggestion the prediction. */
export const reviewFieldFiguresSchema = z.object({
  /** Judgments that carry both a suggestion and a judged value of this field. */
  n: z.number(),
  accuracy: z.number(),
  macroF1: z.number(),
  perClass: z.array(classFigures),
  /** Rows: the analyst's value; columns: the suggestion. Codes (business lines are their names). */
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number())) }),
});
export type ReviewFieldFigures = z.infer<typeof reviewFieldFiguresSchema>;

export const reviewCalibrationBandSchema = z.object({
  key: z.string(),
  label: z.string(),
  n: z.number(),
  meanConfidence: z.number(),
  /** Share of the band's judgments where the analyst kept all four suggested values. */
  accuracy: z.number(),
});

export const reviewOutcomeRowSchema = z.object({
  /** `inspection` / `enforcement` (the disposal the model suggested) or `direct` / `reject` (the judged one). */
  disposal: z.string(),
  /** Clues in the row. */
  n: z.number(),
  /** Dispatch rows: orders that found a violation; closed rows: clues reopened afterwards. */
  hits: z.number(),
  rate: z.number(),
  /** Of `n`, the clues where the analyst decided the same disposal as the model. */
  agreed: z.number(),
});

export const reviewDetectorRowSchema = z.object({
  detector: z.string(),
  raised: z.number(),
  open: z.number(),
  confirmed: z.number(),
  dismissed: z.number(),
  cluesRaised: z.number(),
  judged: z.number(),
  dispatched: z.number(),
  violations: z.number(),
  /** confirmed ÷ (confirmed + dismissed). */
  confirmRate: z.number(),
  /** Findings whose clue ended with a violation ÷ findings raised. */
  hitRate: z.number(),
});

export const reviewTrainingSchema = z.object({
  status: z.enum(['trained', 'insufficient', 'failed']),
  /** Corrections of the period, and the minimum the setting asks for. */
  corrections: z.number(),
  minCorrections: z.number(),
  message: z.string(),
  version: z.string().nullable(),
  activated: z.boolean(),
  why: z.string().nullable(),
  candidate: modelFiguresSchema.nullable(),
  active: modelFiguresSchema.nullable(),
});
export type ReviewTraining = z.infer<typeof reviewTrainingSchema>;

export const reviewFiguresSchema = z.object({
  judgments: z.object({
    total: z.number(),
    withSuggestion: z.number(),
    /** Share of judgments with a suggestion where all four judged values equal the suggested ones. */
    followedAll: z.number(),
    fields: z.object({
      kind: reviewFieldFiguresSchema,
      line: reviewFieldFiguresSchema,
      category: reviewFieldFiguresSchema,
      disposal: reviewFieldFiguresSchema,
    }),
    calibration: z.array(reviewCalibrationBandSchema),
  }),
  outcomes: z.object({
    /** Completed dispatch orders of the period, by the disposal the model suggested (检查 / 核查). */
    dispatched: z.array(reviewOutcomeRowSchema),
    /** Clues judged 直接办结 / 不予受理 in the period, and how many were reopened since. */
    closed: z.array(reviewOutcomeRowSchema),
  }),
  detectors: z.array(reviewDetectorRowSchema),
  training: reviewTrainingSchema,
});
export type ReviewFigures = z.infer<typeof reviewFiguresSchema>;

export const reviewStatusSchema = z.enum(['pending', 'done', 'failed']);
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  pending: '生成中',
  done: '已生成',
  failed: '生成失败',
};

const reviewSummary = {
  id: z.number(),
  from: z.string(),
  to: z.string(),
  status: reviewStatusSchema,
  trigger: z.enum(['manual', 'monthly']),
  jobId: z.number().nullable(),
  requestedAt: z.string(),
  generatedAt: z.string().nullable(),
  generatedByName: z.string(),
  /** Business-line agreement of the period (null until generated or without judgments). */
  lineAccuracy: z.number().nullable(),
  judgments: z.number().nullable(),
  modelActivated: z.boolean().nullable(),
  modelDecision: z.string().nullable(),
  error: z.string().nullable(),
};
export const reviewSummarySchema = z.object(reviewSummary);
export type ReviewSummary = z.infer<typeof reviewSummarySchema>;
export const reviewListSchema = z.object({ items: z.array(reviewSummarySchema) });
export const reviewDetailSchema = z.object({ ...reviewSummary, figures: reviewFiguresSchema.nullable() });
export type ReviewDetail = z.infer<typeof reviewDetailSchema>;
export const reviewAcceptedSchema = z.object({ jobId: z.number(), reportId: z.number() });
export type ReviewAccepted = z.infer<typeof reviewAcceptedSchema>;
