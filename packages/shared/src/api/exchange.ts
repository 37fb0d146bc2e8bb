import { z } from 'zod';

/** 数据交换 (`/api/exchange/*`): sources with their field mapping, import runs, row errors and quality figures. */
export const exchangeTargetFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  required: z.boolean(),
});
export type ExchangeTargetField = z.infer<typeof exchangeTargetFieldSchema>;

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
  updatedAt: z.string(),
});
export type ExchangeSource = z.infer<typeof exchangeSourceSchema>;

export const exchangeRunStatusSchema = z.enum(['running', 'succeeded', 'failed']);
export const EXCHANGE_RUN_STATUS: Record<z.infer<typeof exchangeRunStatusSchema>, string> = {
  running: '进行中',
  succeeded: '成功',
  failed: '失败',
};

export const exchangeRunSchema = z.object({
  id: z.number(),
  source: z.string(),
  fileName: z.string(),
  sha256: z.string(),
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
  error: z.string().nullable(),
  previousRunId: z.number().nullable(),
});
export type ExchangeImportResult = z.infer<typeof exchangeImportResultSchema>;
