import { z } from 'zod';
import { CATEGORIES_12315, DISPOSALS } from '../dictionaries.ts';
import { CLUE_KIND_LABELS } from './clues.ts';

/**
 * 自动分拣模型 (`/api/analysis/models*`, `/api/analysis/classify`, issue 6): the triage model's versions, their
 * figures on the held-out split, training and activation, and the classification of one text.
 */

export const TRIAGE_HEADS = ['kind', 'line', 'category', 'disposal'] as const;
export type TriageHead = (typeof TRIAGE_HEADS)[number];
export const TRIAGE_HEAD_LABELS: Record<TriageHead, string> = {
  kind: '线索类型',
  line: '业务条线',
  category: '12315 分类',
  disposal: '处置建议',
};

/** The Chinese label of a head's value (kind / category / disposal codes; a business line is its own name). */
export function triageValueLabel(head: TriageHead, value: string): string {
  switch (head) {
    case 'kind':
      return (CLUE_KIND_LABELS as Record<string, string>)[value] ?? value;
    case 'category':
      return (CATEGORIES_12315 as Record<string, string>)[value] ?? value;
    case 'disposal':
      return (DISPOSALS as Record<string, string>)[value] ?? value;
    default:
      return value;
  }
}

/** Longest text the classify endpoint accepts; intake truncates instead of refusing. */
export const CLASSIFY_TEXT_MAX = 20_000;

export const classifyInputSchema = z.strictObject({
  text: z
    .string({ message: '请填写要分类的文字' })
    .trim()
    .min(1, '请填写要分类的文字')
    .max(CLASSIFY_TEXT_MAX, `文字最多 ${CLASSIFY_TEXT_MAX} 字`),
});
export type ClassifyInput = z.infer<typeof classifyInputSchema>;

const fieldGuess = z.object({ value: z.string(), label: z.string(), confidence: z.number() });
export const triagePredictionSchema = z.object({
  kind: fieldGuess,
  line: fieldGuess,
  category: fieldGuess,
  disposal: fieldGuess,
  confidence: z.number(),
  modelVersion: z.string(),
});
export type TriagePredictionView = z.infer<typeof triagePredictionSchema>;

export const classFiguresSchema = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number(),
});
export const headFiguresSchema = z.object({
  accuracy: z.number(),
  macroF1: z.number(),
  perClass: z.array(classFiguresSchema),
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number())) }),
  /** Expected calibration error of the calibrated confidence on the held-out split (absent on old rows). */
  ece: z.number().optional(),
});
export type HeadFiguresView = z.infer<typeof headFiguresSchema>;
export const modelFiguresSchema = z.object({
  version: z.string(),
  heads: z.object({
    kind: headFiguresSchema,
    line: headFiguresSchema,
    category: headFiguresSchema,
    disposal: headFiguresSchema,
  }),
  /** Examples of the held-out split the figures were computed on. */
  testSize: z.number().optional(),
});
export type ModelFiguresView = z.infer<typeof modelFiguresSchema>;

const modelSummary = {
  id: z.number(),
  version: z.string(),
  active: z.boolean(),
  source: z.enum(['shipped', 'trained']),
  createdAt: z.string(),
  createdByName: z.string(),
  trainedOn: z.object({ corpus: z.number(), corrections: z.number() }),
  reason: z.string(),
  /** Why the version was (not) activated when it was trained. */
  decision: z.string(),
  activatedAt: z.string().nullable(),
  activatedByName: z.string().nullable(),
  /** Macro-F1 per head on the held-out split. */
  macroF1: z.object({ kind: z.number(), line: z.number(), category: z.number(), disposal: z.number() }),
  /** Size of the stored model (gzipped bytes). */
  bytes: z.number(),
};
export const modelVersionSchema = z.object(modelSummary);
export type ModelVersion = z.infer<typeof modelVersionSchema>;
export const modelListSchema = z.object({ items: z.array(modelVersionSchema) });
export const modelDetailSchema = z.object({ ...modelSummary, figures: modelFiguresSchema });
export type ModelDetail = z.infer<typeof modelDetailSchema>;

export const trainModelInputSchema = z.strictObject({
  reason: z
    .string({ message: '请填写训练原因' })
    .trim()
    .min(2, '训练原因至少 2 个字')
    .max(200, '训练原因最多 200 字'),
  /** Learn from staff corrections (分拣确认 and 研判结论) besides the corpus. */
  includeCorrections: z.boolean().default(true),
});
export type TrainModelInput = z.input<typeof trainModelInputSchema>;
export const trainModelAcceptedSchema = z.object({ jobId: z.number() });

export const trainingStatusSchema = z.object({
  jobId: z.number(),
  status: z.enum(['pending', 'running', 'succeeded', 'dead']),
  /** The last error of a failed attempt (Chinese when it is ours). */
  error: z.string().nullable(),
  result: z
    .object({ modelId: z.number(), version: z.string(), activated: z.boolean(), why: z.string() })
    .nullable(),
});
export type TrainingStatus = z.infer<typeof trainingStatusSchema>;

export const activateModelInputSchema = z.strictObject({
  reason: z.string().trim().max(200, '说明最多 200 字').optional(),
});
