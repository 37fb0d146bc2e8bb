import { z } from 'zod';

/**
 * 综合研判 — entity linking (`POST /api/analysis/link`) and pattern findings (`/api/analysis/findings*`): the
 * detectors that raise clues of channel 研判分析 with their evidence (docs/analysis-patterns.md).
 */

// ——— entity linking ———

export const LINK_TEXT_MAX_CHARS = 20_000;

export const linkRequestSchema = z.strictObject({
  text: z
    .string({ message: '请填写文本' })
    .trim()
    .min(1, '请填写文本')
    .max(LINK_TEXT_MAX_CHARS, `文本不能超过 ${LINK_TEXT_MAX_CHARS} 字`),
  limit: z.number().int().min(1, '至少 1 个').max(50, '最多 50 个').optional(),
});
export type LinkRequest = z.infer<typeof linkRequestSchema>;

export const entityCandidateSchema = z.object({
  entityId: z.number(),
  name: z.string(),
  uscc: z.string().nullable(),
  address: z.string().nullable(),
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type EntityCandidateView = z.infer<typeof entityCandidateSchema>;

export const linkResponseSchema = z.object({ candidates: z.array(entityCandidateSchema) });
export type LinkResponse = z.infer<typeof linkResponseSchema>;

// ——— pattern findings ———

export const findingDetectorSchema = z.enum(
  ['repeat_complaints', 'line_spike', 'licence_expiry', 'credit_event'],
  {
    message: '检测规则应为重复投诉举报、条线异常增长、许可证到期或信用事件',
  },
);
export type FindingDetector = z.infer<typeof findingDetectorSchema>;
export const FINDING_DETECTOR_LABELS: Record<FindingDetector, string> = {
  repeat_complaints: '重复投诉举报',
  line_spike: '条线异常增长',
  licence_expiry: '许可证到期',
  credit_event: '信用事件',
};

export const findingStatusSchema = z.enum(['open', 'confirmed', 'dismissed'], {
  message: '状态应为待处理、已确认或已忽略',
});
export type FindingStatus = z.infer<typeof findingStatusSchema>;
export const FINDING_STATUS_LABELS: Record<FindingStatus, string> = {
  open: '待处理',
  confirmed: '已确认',
  dismissed: '已忽略',
};

/** A clue cited as evidence. */
export const findingClueRefSchema = z.object({
  id: z.number(),
  number: z.string(),
  receivedAt: z.string(),
  kind: z.string(),
  businessLine: z.string().nullable(),
});
export type FindingClueRef = z.infer<typeof findingClueRefSchema>;

/** Evidence per detector (stored as jsonb; the page renders each shape). */
export const repeatComplaintsEvidenceSchema = z.object({
  detector: z.literal('repeat_complaints'),
  entityName: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  days: z.number(),
  threshold: z.number(),
  count: z.number(),
  clues: z.array(findingClueRefSchema),
});
export const lineSpikeEvidenceSchema = z.object({
  detector: z.literal('line_spike'),
  level: z.enum(['grid', 'station']),
  areaName: z.string(),
  line: z.string(),
  week: z.string(),
  weekStart: z.string(),
  count: z.number(),
  /** Counts of the baseline weeks, oldest first. */
  baseline: z.array(z.number()),
  baselineMean: z.number(),
  lambda: z.number(),
  p: z.number(),
  alpha: z.number(),
  minCount: z.number(),
  clues: z.array(findingClueRefSchema),
});
export const licenceExpiryEvidenceSchema = z.object({
  detector: z.literal('licence_expiry'),
  entityName: z.string(),
  entityStatus: z.string(),
  licenceId: z.number(),
  licenceNo: z.string(),
  licenceKind: z.string(),
  licenceStatus: z.string(),
  validUntil: z.string(),
  /** Negative: expired this many days ago. */
  daysLeft: z.number(),
  withinDays: z.number(),
});
export const creditEventEvidenceSchema = z.object({
  detector: z.literal('credit_event'),
  entityName: z.string(),
  creditRecordId: z.number(),
  creditKind: z.string(),
  decidedOn: z.string(),
  authority: z.string(),
  reason: z.string(),
  documentNo: z.string(),
  openClues: z.array(findingClueRefSchema),
  liveLicences: z.number(),
});
export const findingEvidenceSchema = z.discriminatedUnion('detector', [
  repeatComplaintsEvidenceSchema,
  lineSpikeEvidenceSchema,
  licenceExpiryEvidenceSchema,
  creditEventEvidenceSchema,
]);
export type FindingEvidence = z.infer<typeof findingEvidenceSchema>;

export const findingSchema = z.object({
  id: z.number(),
  detector: findingDetectorSchema,
  findingKey: z.string(),
  title: z.string(),
  evidence: findingEvidenceSchema,
  entityId: z.number().nullable(),
  gridId: z.number().nullable(),
  gridName: z.string().nullable(),
  businessLine: z.string().nullable(),
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  clueId: z.number().nullable(),
  clueNumber: z.string().nullable(),
  clueStatus: z.string().nullable(),
  status: findingStatusSchema,
  createdAt: z.string(),
  handledBy: z.number().nullable(),
  handledByName: z.string().nullable(),
  handledAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type Finding = z.infer<typeof findingSchema>;

export const findingPageSchema = z.object({
  items: z.array(findingSchema),
  nextAfter: z.string().nullable(),
});
export type FindingPage = z.infer<typeof findingPageSchema>;

export const findingHandleSchema = z.strictObject({
  note: z.string({ message: '请填写说明' }).trim().min(1, '请填写说明').max(500, '说明不能超过 500 字'),
});
export type FindingHandle = z.infer<typeof findingHandleSchema>;

export const findingRunRequestSchema = z.strictObject({
  detectors: z.array(findingDetectorSchema).min(1, '至少选择一个检测规则').max(4).optional(),
});
export type FindingRunRequest = z.infer<typeof findingRunRequestSchema>;

export const detectorRunSchema = z.object({
  detector: findingDetectorSchema,
  /** Findings new in this run (each raised one clue). */
  raised: z.number(),
  /** Patterns seen that had been raised before (never raised twice). */
  known: z.number(),
  /** Left for the next run by the per-run cap. */
  deferred: z.number(),
  /** Time to find the patterns (reading clues, licences, credit records), ms. */
  detectMs: z.number(),
  /** The whole run of this detector, raising included, ms. */
  ms: z.number(),
});
export const findingRunResultSchema = z.object({ runs: z.array(detectorRunSchema) });
export type FindingRunResult = z.infer<typeof findingRunResultSchema>;
