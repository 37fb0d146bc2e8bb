import { z } from 'zod';

/** 数据交换 (`/api/exchange/*`): sources with their field mapping, import runs, row errors and quality figures. */
export const exchangeTargetFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  required: z.boolean(),
});
export type ExchangeTargetField = z.infer<typeof exchangeTargetFieldSchema>;

/** How an `http` source is pulled; the bearer token itself never leaves the server (`hasToken` only). */
export const exchangeHttpConfigSchema = z.object({
  baseUrl: z.string(),
  pageSize: z.number(),
  timeoutSeconds: z.number(),
  retries: z.number(),
  /** Cron pattern (Asia/Shanghai) of the scheduled sync; '' = manual only. */
  cron: z.string(),
  hasToken: z.boolean(),
});
export type ExchangeHttpConfig = z.infer<typeof exchangeHttpConfigSchema>;

export const exchangeSourceSchema = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(['file', 'http']),
  dataset: z.enum(['registration', 'licence', 'credit', 'person']),
  datasetLabel: z.string(),
  /** {targetField: column}; `a|b` reads the first of several column names present in the file. */
  mapping: z.record(z.string(), z.string()),
  fields: z.array(exchangeTargetFieldSchema),
  trustedRank: z.number(),
  enabled: z.boolean(),
  http: exchangeHttpConfigSchema.nullable(),
  updatedAt: z.string(),
});
export type ExchangeSource = z.infer<typeof exchangeSourceSchema>;

/** PUT /api/exchange/sources/:name/http — the web form validates with the same schema. */
export const exchangeHttpConfigInputSchema = z.strictObject({
  baseUrl: z
    .string()
    .trim()
    .max(500, '地址最多 500 个字符')
    .pipe(z.url({ protocol: /^https?$/, error: '应为 http:// 或 https:// 开头的接口地址' })),
  pageSize: z.number().int('应为整数').min(1, '至少 1 条').max(5000, '每页最多 5000 条'),
  timeoutSeconds: z.number().int('应为整数').min(1, '至少 1 秒').max(300, '最多 300 秒'),
  retries: z.number().int('应为整数').min(0, '不能为负数').max(10, '最多重试 10 次'),
  cron: z.string().trim().max(100, '定时规则最多 100 个字符'),
  enabled: z.boolean(),
  /** Absent: keep the stored token; null: remove it; a string: replace it. */
  token: z.string().trim().min(1, '访问令牌不能为空').max(4000, '访问令牌过长').nullable().optional(),
});
export type ExchangeHttpConfigInput = z.infer<typeof exchangeHttpConfigInputSchema>;

export const exchangeSyncResultSchema = z.object({
  /** False when a sync of this source was already queued or running. */
  queued: z.boolean(),
  message: z.string(),
});
export type ExchangeSyncResult = z.infer<typeof exchangeSyncResultSchema>;

export const exchangeRunStatusSchema = z.enum(['running', 'succeeded', 'failed']);
export const EXCHANGE_RUN_STATUS: Record<z.infer<typeof exchangeRunStatusSchema>, string> = {
  running: '进行中',
  succeeded: '成功',
  failed: '失败',
};

export const exchangeRunSchema = z.object({
  id: z.number(),
  source: z.string(),
  /** File name, or `接口同步：<地址>` for an http run. */
  fileName: z.string(),
  /** Of the file; null for an http run. */
  sha256: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  rowsIn: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  inserted: z.number(),
  updated: z.number(),
  status: exchangeRunStatusSchema,
  error: z.string().nullable(),
  actorName: z.string(),
  /** Rows rejected as repeats of an earlier row of the same run. */
  duplicates: z.number(),
  /** Accepted rows that made no new entity: their record or their entity was already there. */
  known: z.number(),
  /** Records left in the merge queue (主体合并) for a person to confirm. */
  queued: z.number(),
  /** Newest 更新时间 among the run's accepted rows. */
  newestRecordAt: z.string().nullable(),
});
export type ExchangeRun = z.infer<typeof exchangeRunSchema>;

export const exchangeRunPageSchema = z.object({
  items: z.array(exchangeRunSchema),
  nextAfter: z.number().nullable(),
});
export type ExchangeRunPage = z.infer<typeof exchangeRunPageSchema>;

export const exchangeFieldQualitySchema = z.object({
  field: z.string(),
  label: z.string(),
  column: z.string(),
  present: z.number(),
  valid: z.number(),
  /** Share of rows with a value (0–1). */
  completeness: z.number(),
  /** Share of present values that passed validation (0–1). */
  validity: z.number(),
});
export type ExchangeFieldQuality = z.infer<typeof exchangeFieldQualitySchema>;

export const exchangeRunErrorSchema = z.object({
  rowNo: z.number(),
  field: z.string().nullable(),
  fieldLabel: z.string().nullable(),
  reason: z.string(),
  raw: z.record(z.string(), z.unknown()).nullable(),
});
export type ExchangeRunError = z.infer<typeof exchangeRunErrorSchema>;

export const exchangeRunDetailSchema = exchangeRunSchema.extend({
  quality: z.array(exchangeFieldQualitySchema),
  /** The first row errors (the full list is in the xlsx report). */
  errors: z.array(exchangeRunErrorSchema),
  errorTotal: z.number(),
});
export type ExchangeRunDetail = z.infer<typeof exchangeRunDetailSchema>;

export const exchangeImportResultSchema = z.object({
  runId: z.number(),
  status: z.enum(['succeeded', 'failed']),
  rowsIn: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  inserted: z.number(),
  updated: z.number(),
  /** Records left in the merge queue (主体合并) for a person to confirm. */
  queued: z.number(),
  error: z.string().nullable(),
  previousRunId: z.number().nullable(),
});
export type ExchangeImportResult = z.infer<typeof exchangeImportResultSchema>;

export const exchangeFreshnessLevelSchema = z.enum(['fresh', 'aging', 'stale', 'unknown']);
export const EXCHANGE_FRESHNESS_LABEL: Record<z.infer<typeof exchangeFreshnessLevelSchema>, string> = {
  fresh: '及时',
  aging: '偏旧',
  stale: '陈旧',
  unknown: '无数据',
};

/** GET /api/exchange/sources/:name/quality — the 数据质量 view of one source. */
export const exchangeQualitySchema = z.object({
  source: z.string(),
  label: z.string(),
  datasetLabel: z.string(),
  /** The latest finished or running run, or null before the first run. */
  latestRun: exchangeRunSchema.nullable(),
  /** Per mapped field of the latest run. */
  fields: z.array(exchangeFieldQualitySchema),
  duplicates: z.object({
    /** Rows of the latest run repeating an earlier row of the same file or sync. */
    inFile: z.number(),
    /** Accepted rows of the latest run that matched a record already known. */
    known: z.number(),
  }),
  /** Recent runs, oldest first: rows in / accepted / rejected. */
  trend: z.array(
    z.object({
      runId: z.number(),
      startedAt: z.string(),
      status: exchangeRunStatusSchema,
      rowsIn: z.number(),
      accepted: z.number(),
      rejected: z.number(),
    }),
  ),
  freshness: z.object({
    /** Newest 更新时间 received; else the newest run's time (`basis`). */
    at: z.string().nullable(),
    basis: z.enum(['record', 'run', 'none']),
    ageHours: z.number().nullable(),
    level: exchangeFreshnessLevelSchema,
    /** The thresholds in force (setting 数据交换时效). */
    agingAfterHours: z.number(),
    staleAfterHours: z.number(),
  }),
});
export type ExchangeQuality = z.infer<typeof exchangeQualitySchema>;
