import { z } from 'zod';

/**
 * 信用风险分类 (`/api/entities/:id/risk`, `/api/risk/*`): A/B/C/D from weighted indicators, each class with its
 * explanation. Kept free of imports from entities.ts, which embeds the explanation in the profile.
 */
const riskClass = z.enum(['A', 'B', 'C', 'D']);

/** One indicator's share of an entity's score: what was found, how it counts, and why, in Chinese. */
export const riskContributionSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** Occurrences (records, licences) or tier level the indicator found. */
  value: z.number(),
  /** Points per occurrence in the model that produced the score. */
  weight: z.number(),
  /** value × weight, capped by the indicator's cap. */
  points: z.number(),
  /** 例如“列入经营异常名录（2026-03-02，未移出）”. */
  detail: z.string(),
});
export type RiskContribution = z.infer<typeof riskContributionSchema>;

export const entityRiskSchema = z.object({
  riskClass,
  /** 低风险 / 一般风险 / 较高风险 / 高风险. */
  label: z.string(),
  score: z.number(),
  /** Indicators that scored, most points first. */
  contributions: z.array(riskContributionSchema),
  /** Lower bounds of B, C and D in the model used (A is below the first). */
  thresholds: z.array(z.number()),
  /** Effective date of the 风险分类模型 version used; `default` = the built-in model. */
  modelVersion: z.string(),
  /** The day the indicators were evaluated for (China time). */
  asOf: z.string(),
  /** When this result was established; a later run with the same outcome does not move it. */
  computedAt: z.string(),
});
export type EntityRisk = z.infer<typeof entityRiskSchema>;

export const entityRiskViewSchema = z.object({
  entityId: z.number(),
  /** Null until the model has run for this entity. */
  risk: entityRiskSchema.nullable(),
});
export type EntityRiskView = z.infer<typeof entityRiskViewSchema>;

const classCounts = z.object({
  A: z.number(),
  B: z.number(),
  C: z.number(),
  D: z.number(),
  none: z.number(),
});
export type RiskClassCounts = z.infer<typeof classCounts>;

export const riskIndicatorViewSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** What counts, in Chinese. */
  description: z.string(),
  enabled: z.boolean(),
  weight: z.number(),
  /** What a counting indicator counts (次, 张); null for a flag. */
  unit: z.string().nullable(),
  cap: z.number().nullable(),
  /** Entities in scope for which the indicator currently scores. */
  entities: z.number(),
});
export type RiskIndicatorView = z.infer<typeof riskIndicatorViewSchema>;

/** `GET /api/risk/overview`: the distribution in the caller's data scope, and the model in force today. */
export const riskOverviewSchema = z.object({
  total: classCounts,
  byStation: z.array(z.object({ stationId: z.number(), stationName: z.string(), counts: classCounts })),
  indicators: z.array(riskIndicatorViewSchema),
  model: z.object({ version: z.string(), thresholds: z.array(z.number()) }),
  /** The latest full recomputation (nightly or on demand), if any is still on record. */
  lastRun: z
    .object({
      jobId: z.number(),
      status: z.enum(['pending', 'running', 'succeeded', 'dead']),
      createdAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
});
export type RiskOverview = z.infer<typeof riskOverviewSchema>;

export const riskRecomputeQueuedSchema = z.object({
  jobId: z.number(),
  /** False when a full recomputation was already waiting or running: that one is returned. */
  queued: z.boolean(),
});
export type RiskRecomputeQueued = z.infer<typeof riskRecomputeQueuedSchema>;
