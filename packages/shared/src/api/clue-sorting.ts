import { z } from 'zod';
import { clueChannelSchema, clueKindSchema, clueStatusSchema } from './clues.ts';

/**
 * 分拣与并案 (`/api/clues/sort-rules`, `/api/clues/:id/sorting|split|duplicates`, `/api/clues/merge-queue`,
 * `/api/clues/refusal-grounds`, `/api/clues/:id/transfer-letter`): shared by the server's routes and the web app.
 */

/** Where a sorted clue goes next. `reject` and `transfer` are only suggested; staff use the transitions for them. */
export const sortRouteSchema = z.enum(['direct', 'analysis', 'dispatch', 'reject', 'transfer'], {
  message: '去向应为直接办结、转研判、转调度、不予受理或转办',
});
export type SortRoute = z.infer<typeof sortRouteSchema>;
export const SORT_ROUTE_LABELS: Record<SortRoute, string> = {
  direct: '直接办结',
  analysis: '转研判',
  dispatch: '转调度',
  reject: '不予受理',
  transfer: '转办',
};

const keyword = z.string().trim().min(1, '关键词不能为空').max(30, '关键词最多 30 个字');

/** When a rule applies: keywords (any / all) in the title and/or content, optionally only for some channels/kinds. */
export const sortRuleMatchSchema = z.strictObject({
  keywordsAny: z.array(keyword).max(50, '关键词最多 50 个').default([]),
  keywordsAll: z.array(keyword).max(10, '“全部包含”关键词最多 10 个').default([]),
  fields: z
    .array(z.enum(['title', 'content']))
    .min(1, '至少选择一个匹配范围')
    .default(['title', 'content']),
  channels: z.array(clueChannelSchema).default([]),
  kinds: z.array(clueKindSchema).default([]),
});
export type SortRuleMatch = z.infer<typeof sortRuleMatchSchema>;

/** What a rule suggests; every field optional (a rule may only set the line, another only the kind). */
export const sortRuleSuggestSchema = z.strictObject({
  kind: clueKindSchema.optional(),
  businessLine: z.string().trim().min(1).max(40).optional(),
  category12315: z.string().trim().min(1).max(60).optional(),
  route: sortRouteSchema.optional(),
  departmentId: z.number().int().positive().optional(),
});
export type SortRuleSuggest = z.infer<typeof sortRuleSuggestSchema>;

export const sortRuleSchema = z.object({
  id: z.number(),
  name: z.string(),
  /** Higher first; the first rule that sets a field wins that field. */
  priority: z.number(),
  enabled: z.boolean(),
  match: sortRuleMatchSchema,
  suggest: sortRuleSuggestSchema,
  updatedAt: z.string(),
  updatedByName: z.string(),
  version: z.number(),
});
export type SortRule = z.infer<typeof sortRuleSchema>;
export const sortRuleListSchema = z.object({ items: z.array(sortRuleSchema) });

export const sortRuleInputSchema = z.strictObject({
  name: z.string().trim().min(1, '规则名称不能为空').max(60, '规则名称最多 60 个字'),
  priority: z.number().int().min(0).max(10_000).default(100),
  enabled: z.boolean().default(true),
  match: sortRuleMatchSchema,
  suggest: sortRuleSuggestSchema,
});
export type SortRuleInput = z.input<typeof sortRuleInputSchema>;
export const sortRulePatchSchema = sortRuleInputSchema
  .partial()
  .extend({ version: z.number().int().positive() });
export type SortRulePatch = z.input<typeof sortRulePatchSchema>;

/** Body of `POST /api/clues/sort-rules/test`: what the classifiers would suggest for a text. */
export const sortPreviewSchema = z.strictObject({
  title: z.string().trim().max(100).default(''),
  content: z.string().trim().min(1, '内容不能为空').max(20_000),
  channel: clueChannelSchema.optional(),
  kind: clueKindSchema.optional(),
});

export const respondentCandidateSchema = z.object({
  entityId: z.number(),
  name: z.string(),
  uscc: z.string().nullable(),
});

/** `clue.sort_suggestion`: what the classifiers proposed at intake, and who proposed each field. */
export const sortSuggestionSchema = z.object({
  kind: clueKindSchema.optional(),
  businessLine: z.string().optional(),
  category12315: z.string().optional(),
  route: sortRouteSchema.optional(),
  departmentId: z.number().optional(),
  respondents: z.array(respondentCandidateSchema).default([]),
  /** Classifier name (`rules`, later a learned model). */
  classifier: z.string(),
  ruleIds: z.array(z.number()).default([]),
  ruleNames: z.array(z.string()).default([]),
  /** Keywords that fired. */
  matched: z.array(z.string()).default([]),
  /** 0..1. */
  confidence: z.number(),
  at: z.string(),
});
export type SortSuggestion = z.infer<typeof sortSuggestionSchema>;

/** Body of `POST /api/clues/:id/sorting` (分拣确认): staff confirm or correct and send the clue on. */
export const clueSortingSchema = z.strictObject({
  version: z.number().int().positive(),
  kind: clueKindSchema,
  businessLine: z.string().trim().min(1, '请选择业务条线').max(40),
  category12315: z.string().trim().max(60).optional(),
  entityId: z.number().int().positive().nullable().optional(),
  respondentName: z.string().trim().max(100, '被投诉（举报）对象名称最多 100 个字').optional(),
  route: z.enum(['direct', 'analysis', 'dispatch'], { message: '去向应为直接办结、转研判或转调度' }),
  /** Required when `route` is `direct` (咨询答复). */
  answer: z.string().trim().min(2, '答复内容至少 2 个字').max(5000, '答复内容最多 5000 个字').optional(),
  note: z.string().trim().max(2000, '说明最多 2000 个字').optional(),
});
export type ClueSortingInput = z.input<typeof clueSortingSchema>;

/** Body of `POST /api/clues/:id/split` (Order 20 Art.7): the first part stays on the clue, the others become new clues. */
export const clueSplitPartSchema = z.strictObject({
  kind: clueKindSchema,
  content: z.string().trim().min(5, '内容至少 5 个字').max(20_000, '内容最多 20000 个字'),
  request: z.string().trim().max(2000, '诉求最多 2000 个字').optional(),
  title: z.string().trim().max(100, '标题最多 100 个字').optional(),
});
export const clueSplitSchema = z.strictObject({
  version: z.number().int().positive(),
  parts: z.array(clueSplitPartSchema).min(2, '至少拆分为两条').max(5, '最多拆分为五条'),
});
export type ClueSplitInput = z.input<typeof clueSplitSchema>;
export const clueSplitResultSchema = z.object({
  /** The original first, then the new clues in the order of `parts`. */
  clues: z.array(z.object({ id: z.number(), number: z.string(), kind: clueKindSchema })),
});
export type ClueSplitResult = z.infer<typeof clueSplitResultSchema>;

/** `GET /api/clues/duplicates` (before saving): the respondent and the text being typed. */
export const clueDuplicateQuerySchema = z.strictObject({
  entityId: z.coerce.number().int().positive().optional(),
  respondentName: z.string().trim().max(100).optional(),
  content: z.string().trim().min(5, '内容至少 5 个字').max(4000, '查重内容最多 4000 个字'),
  receivedAt: z.iso.datetime({ offset: true, message: '收到时间格式无效' }).optional(),
});
export type ClueDuplicateQuery = z.input<typeof clueDuplicateQuerySchema>;

export const duplicateCandidateSchema = z.object({
  id: z.number(),
  number: z.string(),
  title: z.string(),
  kind: clueKindSchema,
  channel: z.string(),
  status: clueStatusSchema,
  receivedAt: z.string(),
  respondentName: z.string(),
  /** 0..1 text similarity (character bigrams). */
  score: z.number(),
  /** Chinese sentences: 同一被投诉主体, 内容相似度 72%, 收到时间相隔 3 天… */
  reasons: z.array(z.string()),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidateSchema>;
export const duplicateListSchema = z.object({ items: z.array(duplicateCandidateSchema) });

export const mergeQueueStatusSchema = z.enum(['open', 'merged', 'dismissed']);
const queueClueSchema = z.object({
  id: z.number(),
  number: z.string(),
  title: z.string(),
  kind: clueKindSchema,
  channel: z.string(),
  status: clueStatusSchema,
  receivedAt: z.string(),
  respondentName: z.string(),
  version: z.number(),
});
/** One pair of the 并案 queue: `clue` (the newer) probably repeats `candidate` (the older). */
export const mergeQueueItemSchema = z.object({
  id: z.number(),
  score: z.number(),
  reasons: z.array(z.string()),
  status: mergeQueueStatusSchema,
  createdAt: z.string(),
  clue: queueClueSchema,
  candidate: queueClueSchema,
});
export type MergeQueueItem = z.infer<typeof mergeQueueItemSchema>;
export const mergeQueuePageSchema = z.object({
  items: z.array(mergeQueueItemSchema),
  nextAfter: z.number().nullable(),
});
export const mergeQueueQuerySchema = z.strictObject({
  after: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const mergeQueueDismissSchema = z.strictObject({
  reason: z.string().trim().max(500, '原因最多 500 个字').optional(),
});

/** 不予受理 grounds as data: regulation + article, in force from `effectiveFrom` to `effectiveTo` (inclusive). */
export const refusalGroundSchema = z.object({
  id: z.number(),
  code: z.string(),
  regulation: z.string(),
  article: z.string(),
  label: z.string(),
  /** Caveats ([P] paraphrased / [U] unverified wording) shown on the page. */
  note: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  sort: z.number(),
  enabled: z.boolean(),
});
export type RefusalGround = z.infer<typeof refusalGroundSchema>;
export const refusalGroundListSchema = z.object({ items: z.array(refusalGroundSchema) });
const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const refusalGroundQuerySchema = z.strictObject({
  /** Grounds in force on this day (a clue's receipt day); omitted = all, including expired ones. */
  day: DAY.optional(),
  includeDisabled: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export const refusalGroundInputSchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9_.-]{2,60}$/, '编码应为 2-60 位小写字母、数字、下划线、点或连字符'),
  regulation: z.string().trim().min(2, '请填写依据规章').max(100),
  article: z.string().trim().min(1, '请填写条款').max(40),
  label: z.string().trim().min(2, '请填写理由').max(300),
  note: z.string().trim().max(500).default(''),
  effectiveFrom: DAY,
  effectiveTo: DAY.nullable().default(null),
  sort: z.number().int().min(0).max(10_000).default(100),
  enabled: z.boolean().default(true),
});
export type RefusalGroundInput = z.input<typeof refusalGroundInputSchema>;
export const refusalGroundPatchSchema = refusalGroundInputSchema.omit({ code: true }).partial();

/** `resolution.transferLetter` of a 已转办 clue (the print view is `GET /api/clues/:id/transfer-letter`). */
export const transferLetterSchema = z.object({
  number: z.string(),
  agency: z.string(),
  reason: z.string(),
  date: z.string(),
  clueNumber: z.string(),
  summary: z.string(),
  issuer: z.string(),
});
export type TransferLetter = z.infer<typeof transferLetterSchema>;
