import { z } from 'zod';
import {
  BUSINESS_LINES,
  CATEGORIES_12315,
  type Category12315,
  DISPOSAL_CODES,
  type DisposalCode,
} from '../dictionaries.ts';
import { clueChannelSchema, clueDetailSchema, clueKindSchema, clueStatusSchema } from './clues.ts';

/** 研判工作台 (`/api/analysis/queue`, `/api/analysis/clues/:id/*`, `/api/analysis/judgments`). */
export const judgmentDisposalSchema = z.enum(DISPOSAL_CODES as [DisposalCode, ...DisposalCode[]], {
  message: '处置方式应为直接办结、监管检查、执法核查、转办或不予受理',
});
export const judgmentLineSchema = z.enum(BUSINESS_LINES, { message: '业务条线不在码表中' });
export const judgmentCategorySchema = z.enum(
  Object.keys(CATEGORIES_12315) as [Category12315, ...Category12315[]],
  { message: '12315 分类不在码表中' },
);

/** One field of the model's suggestion: value (code or exact line name), Chinese label, calibrated confidence. */
export const workbenchGuessSchema = z.object({
  value: z.string(),
  label: z.string(),
  confidence: z.number(),
});
/** The triage model's prediction (`predictTriage`); null when no model is loaded. */
export const workbenchSuggestionSchema = z.object({
  kind: workbenchGuessSchema,
  line: workbenchGuessSchema,
  category: workbenchGuessSchema,
  disposal: workbenchGuessSchema,
  confidence: z.number(),
  modelVersion: z.string(),
});
export type WorkbenchSuggestion = z.infer<typeof workbenchSuggestionSchema>;

/** Snapshot stored with a judgment: the codes the model suggested at the time. */
export const judgmentSuggestionSchema = z.object({
  kind: z.string(),
  line: z.string(),
  category: z.string(),
  disposal: z.string(),
  confidence: z.number(),
  modelVersion: z.string(),
});
export type JudgmentSuggestion = z.infer<typeof judgmentSuggestionSchema>;

export const analysisQueueQuerySchema = z.strictObject({
  businessLine: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => v || undefined),
  kind: z
    .union([clueKindSchema, z.literal('')])
    .optional()
    .transform((v) => v || undefined),
  channel: z
    .union([clueChannelSchema, z.literal('')])
    .optional()
    .transform((v) => v || undefined),
  after: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type AnalysisQueueQuery = z.infer<typeof analysisQueueQuerySchema>;

export const analysisQueueItemSchema = z.object({
  id: z.number(),
  number: z.string(),
  version: z.number(),
  kind: clueKindSchema,
  channel: z.string(),
  title: z.string(),
  businessLine: z.string().nullable(),
  category12315: z.string().nullable(),
  receivedAt: z.string(),
  departmentName: z.string().nullable(),
  respondentName: z.string(),
  entityId: z.number().nullable(),
  suggestion: workbenchSuggestionSchema.nullable(),
});
export type AnalysisQueueItem = z.infer<typeof analysisQueueItemSchema>;

export const analysisQueuePageSchema = z.object({
  items: z.array(analysisQueueItemSchema),
  nextAfter: z.string().nullable(),
});
export type AnalysisQueuePage = z.infer<typeof analysisQueuePageSchema>;

/** The sorting rules' suggestion (clues.classifier.ts). */
export const workbenchRulesSchema = z.object({
  classifier: z.string(),
  kind: z.string().nullable(),
  businessLine: z.string().nullable(),
  category12315: z.string().nullable(),
  route: z.string().nullable(),
  confidence: z.number(),
  ruleNames: z.array(z.string()),
  matched: z.array(z.string()),
});

export const workbenchEntitySchema = z.object({
  id: z.number(),
  name: z.string(),
  uscc: z.string().nullable(),
  address: z.string(),
  status: z.string(),
  businessLines: z.array(z.string()),
  riskClass: z.string().nullable(),
  riskLabel: z.string().nullable(),
  /** The indicator that weighs most, e.g. “列入经营异常名录（2026-03-02，未移出）”. */
  riskHeadline: z.string().nullable(),
  licences: z.array(
    z.object({
      kindLabel: z.string(),
      licenceNo: z.string(),
      validUntil: z.string().nullable(),
      expiry: z.string(),
      daysLeft: z.number().nullable(),
    }),
  ),
  creditRecords: z.number(),
  /** Credit records not yet removed. */
  activeCreditRecords: z.number(),
  /** Clues about the entity received in the last 365 days (within the viewer's scope). */
  recentClues: z.number(),
});
export type WorkbenchEntity = z.infer<typeof workbenchEntitySchema>;

export const workbenchCandidateSchema = z.object({
  entityId: z.number(),
  name: z.string(),
  uscc: z.string().nullable(),
  address: z.string().nullable(),
  score: z.number(),
  reasons: z.array(z.string()),
});

export const workbenchSimilarSchema = z.object({
  id: z.number(),
  number: z.string(),
  title: z.string(),
  kind: clueKindSchema,
  status: clueStatusSchema,
  receivedAt: z.string(),
  score: z.number(),
  reasons: z.array(z.string()),
  /** First 120 characters of the recorded result or answer. */
  result: z.string().nullable(),
  /** Disposal of its latest judgment, if judged. */
  disposal: z.string().nullable(),
  /** Outcome of its completed dispatch order, if any (`dispatch.order.completed`). */
  outcome: z
    .object({ outcome: z.string(), summary: z.string(), orderNumber: z.string().nullable() })
    .nullable(),
});
export type WorkbenchSimilar = z.infer<typeof workbenchSimilarSchema>;

export const judgmentSchema = z.object({
  id: z.number(),
  groupId: z.number().nullable(),
  clueId: z.number(),
  clueNumber: z.string(),
  disposal: judgmentDisposalSchema,
  kind: z.string().nullable(),
  businessLine: z.string().nullable(),
  category12315: z.string().nullable(),
  entityId: z.number().nullable(),
  conclusion: z.string(),
  basis: z.string(),
  suggestion: judgmentSuggestionSchema.nullable(),
  judgedBy: z.number(),
  judgedByName: z.string(),
  judgedAt: z.string(),
  departmentId: z.number().nullable(),
});
export type Judgment = z.infer<typeof judgmentSchema>;

export const workbenchEventSchema = z.object({
  id: z.number(),
  occurredAt: z.string(),
  actorName: z.string(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

export const workbenchSchema = z.object({
  clue: clueDetailSchema,
  suggestion: workbenchSuggestionSchema.nullable(),
  rules: workbenchRulesSchema.nullable(),
  entity: workbenchEntitySchema.nullable(),
  /** When no entity is linked: who the respondent may be (best first). */
  candidates: z.array(workbenchCandidateSchema),
  /** The linked entity's 一户一档 timeline, newest first (at most 20). */
  entityHistory: z.array(workbenchEventSchema),
  similar: z.array(workbenchSimilarSchema),
  judgments: z.array(judgmentSchema),
});
export type Workbench = z.infer<typeof workbenchSchema>;

const text = (label: string) =>
  z.string().trim().min(2, `${label}至少 2 个字`).max(2000, `${label}最多 2000 个字`);

/** Body of `POST /api/analysis/judgments`: one decision for one clue or a group of clues judged together. */
export const judgmentInputSchema = z.strictObject({
  clues: z
    .array(z.strictObject({ id: z.number().int().positive(), version: z.number().int().positive() }))
    .min(1, '至少选择 1 条线索')
    .max(50, '一次最多研判 50 条线索'),
  disposal: judgmentDisposalSchema,
  kind: clueKindSchema.optional(),
  businessLine: judgmentLineSchema.optional(),
  category12315: judgmentCategorySchema.optional(),
  /** A number links the entity; null removes the link. */
  entityId: z.number().int().positive().nullable().optional(),
  conclusion: text('研判结论'),
  basis: text('研判依据'),
  answer: z.string().trim().min(2, '答复内容至少 2 个字').max(5000, '答复内容最多 5000 个字').optional(),
  groundCode: z.string().trim().min(1).max(60).optional(),
  agency: z.string().trim().min(2, '接收机关至少 2 个字').max(100, '接收机关最多 100 个字').optional(),
});
export type JudgmentInput = z.infer<typeof judgmentInputSchema>;

export const judgmentResultSchema = z.object({
  judgments: z.array(judgmentSchema),
  clues: z.array(z.object({ id: z.number(), status: clueStatusSchema, version: z.number() })),
});
export type JudgmentResult = z.infer<typeof judgmentResultSchema>;

export const judgmentListSchema = z.object({ items: z.array(judgmentSchema) });
