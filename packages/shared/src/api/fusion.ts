import { z } from 'zod';
import { entityTypeSchema } from './entities.ts';

/** 数据融合: entity resolution queue, merges and per-field provenance (`/api/fusion/*`). */

export const fieldRuleSchema = z.enum(['newest', 'trusted', 'manual']);
export type FieldRule = z.infer<typeof fieldRuleSchema>;
export const FIELD_RULE_LABELS: Record<FieldRule, string> = {
  newest: '最新',
  trusted: '最可信来源',
  manual: '人工优先',
};

/** The registration fields fusion maintains, in display order. */
export const fusedFieldSchema = z.enum([
  'uscc',
  'name',
  'type',
  'address',
  'regionCode',
  'establishedOn',
  'status',
  'businessScope',
  'lon',
  'lat',
]);
export type FusedField = z.infer<typeof fusedFieldSchema>;
export const FUSED_FIELD_LABELS: Record<FusedField, string> = {
  uscc: '统一社会信用代码',
  name: '名称',
  type: '主体类型',
  address: '住所（经营场所）',
  regionCode: '行政区划',
  establishedOn: '成立日期',
  status: '登记状态',
  businessScope: '经营范围',
  lon: '经度',
  lat: '纬度',
};
/** Fields a person may set on the profile; coordinates are moved on the map (GIS). */
export const editableFieldSchema = fusedFieldSchema.exclude(['lon', 'lat']);
export type EditableField = z.infer<typeof editableFieldSchema>;

const fieldValue = z.union([z.string(), z.number(), z.null()]);

/** One source value of a field other than the one in use. */
export const fieldAlternativeSchema = z.object({
  recordId: z.number(),
  source: z.string(),
  sourceLabel: z.string(),
  runId: z.number().nullable(),
  at: z.string(),
  value: fieldValue,
  /** Under 人工优先: a source value that arrived after the person's value and differs from it. */
  conflict: z.boolean(),
});
export type FieldAlternative = z.infer<typeof fieldAlternativeSchema>;

export const fieldProvenanceSchema = z.object({
  field: fusedFieldSchema,
  label: z.string(),
  value: fieldValue,
  rule: fieldRuleSchema,
  /** Null when the value was not set by fusion (older data, or a point placed by GIS). */
  source: z.string().nullable(),
  sourceLabel: z.string().nullable(),
  runId: z.number().nullable(),
  /** The exchange run still exists (its page can be opened). */
  runExists: z.boolean(),
  at: z.string().nullable(),
  recordId: z.number().nullable(),
  /** Who set a manual value, and why. */
  actorName: z.string().nullable(),
  note: z.string().nullable(),
  alternatives: z.array(fieldAlternativeSchema),
});
export type FieldProvenanceView = z.infer<typeof fieldProvenanceSchema>;

export const entityRefSchema = z.object({ id: z.number(), name: z.string() });
export type EntityRef = z.infer<typeof entityRefSchema>;

export const mergeMovedCountsSchema = z.object({
  sourceRecords: z.number(),
  licences: z.number(),
  creditRecords: z.number(),
  persons: z.number(),
  /** Rows that stayed with the absorbed entity because the survivor already holds the same fact. */
  kept: z.number(),
});

export const mergeSchema = z.object({
  id: z.number(),
  survivor: entityRefSchema,
  absorbed: entityRefSchema,
  matchId: z.number().nullable(),
  reason: z.string(),
  actorName: z.string(),
  createdAt: z.string(),
  moved: mergeMovedCountsSchema,
  revertedAt: z.string().nullable(),
  revertedByName: z.string().nullable(),
  revertReason: z.string().nullable(),
  /** Why it cannot be undone now (a later merge absorbed the survivor), or null. */
  revertBlockedBy: z.string().nullable(),
});
export type EntityMerge = z.infer<typeof mergeSchema>;

export const mergePageSchema = z.object({ items: z.array(mergeSchema), nextAfter: z.number().nullable() });
export type EntityMergePage = z.infer<typeof mergePageSchema>;

export const sourceRecordSummarySchema = z.object({
  id: z.number(),
  source: z.string(),
  sourceLabel: z.string(),
  sourceKey: z.string(),
  runId: z.number().nullable(),
  receivedAt: z.string(),
  matchMethod: z.enum(['uscc', 'similarity', 'manual', 'new']),
  matchScore: z.number().nullable(),
});
export type SourceRecordSummary = z.infer<typeof sourceRecordSummarySchema>;

export const entityProvenanceSchema = z.object({
  entityId: z.number(),
  name: z.string(),
  /** Set when a merge absorbed this entity: its facts live on the survivor. */
  mergedInto: entityRefSchema.nullable(),
  fields: z.array(fieldProvenanceSchema),
  records: z.array(sourceRecordSummarySchema),
  merges: z.array(mergeSchema),
});
export type EntityProvenance = z.infer<typeof entityProvenanceSchema>;

/** One side of a queued pair, as the reviewer compares them. */
export const matchSideSchema = z.object({
  id: z.number(),
  uscc: z.string().nullable(),
  name: z.string(),
  type: entityTypeSchema,
  address: z.string(),
  regionCode: z.string(),
  establishedOn: z.string().nullable(),
  status: z.string(),
  businessScope: z.string().nullable(),
  stationName: z.string().nullable(),
  gridName: z.string().nullable(),
  sources: z.array(z.string()),
  mergedInto: z.number().nullable(),
});
export type MatchSide = z.infer<typeof matchSideSchema>;

export const matchStatusSchema = z.enum(['pending', 'confirmed', 'rejected']);
export type MatchStatus = z.infer<typeof matchStatusSchema>;

export const matchSchema = z.object({
  id: z.number(),
  status: matchStatusSchema,
  score: z.number(),
  nameScore: z.number(),
  addressScore: z.number(),
  numberMismatch: z.boolean(),
  nameWeight: z.number(),
  /** The normal forms compared: [new record's entity, candidate]. */
  names: z.tuple([z.string(), z.string()]),
  addresses: z.tuple([z.string(), z.string()]),
  runId: z.number().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedByName: z.string().nullable(),
  note: z.string().nullable(),
  mergeId: z.number().nullable(),
  /** The entity made for the uncertain record. */
  entity: matchSideSchema,
  /** The existing entity it may be. */
  candidate: matchSideSchema,
  /** Fields whose values differ between the two sides. */
  differences: z.array(fusedFieldSchema),
});
export type EntityMatch = z.infer<typeof matchSchema>;

export const matchPageSchema = z.object({
  items: z.array(matchSchema),
  /** Pending pairs in the caller's data scope. */
  pending: z.number(),
  nextAfter: z.number().nullable(),
});
export type EntityMatchPage = z.infer<typeof matchPageSchema>;
