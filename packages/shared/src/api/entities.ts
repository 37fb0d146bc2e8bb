import { z } from 'zod';
import { polygonSchema } from './grids.ts';
import { entityRiskSchema } from './risk.ts';

/** 经营主体 search and 一户一档 profile (`/api/entities*`). Coordinates are WGS-84. */
export const entityTypeSchema = z.enum(['enterprise', 'individual', 'cooperative']);
export const riskClassSchema = z.enum(['A', 'B', 'C', 'D']);

export const entitySummarySchema = z.object({
  id: z.number(),
  uscc: z.string().nullable(),
  name: z.string(),
  type: entityTypeSchema,
  address: z.string(),
  gridId: z.number().nullable(),
  gridName: z.string().nullable(),
  stationId: z.number().nullable(),
  stationName: z.string().nullable(),
  businessLines: z.array(z.string()),
  status: z.string(),
  riskClass: riskClassSchema.nullable(),
});
export type EntitySummary = z.infer<typeof entitySummarySchema>;

export const entityPageSchema = z.object({
  items: z.array(entitySummarySchema),
  /**
   * Entities matching the filters within the caller's data scope, counted up to 1,000: with `totalCapped` true
   * there are more than `total` (show `1000+`).
   */
  total: z.number(),
  totalCapped: z.boolean(),
  nextAfter: z.number().nullable(),
  /**
   * No name contains the fragment `q` as typed; `items` are instead the entities whose names are most like it
   * (trigram similarity of the normal names, one page, most similar first).
   */
  similar: z.boolean(),
  /**
   * The day counts of the three 许可证到期预警 tiers the `licenceStatus` filter applies (within30/60/90 are the
   * first/second/third tier), so that filter choices name the configured days.
   */
  licenceExpiryDays: z.array(z.number()),
});
export type EntityPage = z.infer<typeof entityPageSchema>;

export const entityTimelineEventSchema = z.object({
  id: z.number(),
  occurredAt: z.string(),
  actorName: z.string(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type EntityTimelineEvent = z.infer<typeof entityTimelineEventSchema>;

export const licenceKindSchema = z.enum([
  'food_business',
  'drug_business',
  'special_equipment_use',
  'medical_device',
  'other',
]);
export type LicenceKind = z.infer<typeof licenceKindSchema>;
export const LICENCE_KIND_LABELS: Record<LicenceKind, string> = {
  food_business: '食品经营许可证',
  drug_business: '药品经营许可证',
  special_equipment_use: '特种设备使用登记证',
  medical_device: '医疗器械经营许可证',
  other: '其他许可',
};
export const licenceStatusSchema = z.enum(['有效', '注销', '吊销', '过期']);
/** Expiry tier by the 许可证到期预警 setting (three tiers, 30/60/90 days by default) and today in China time. */
export const licenceExpirySchema = z.enum(['expired', 'within30', 'within60', 'within90', 'ok']);
export type LicenceExpiry = z.infer<typeof licenceExpirySchema>;
/** Search filter: has a licence already expired, or expiring within the first/second/third warning tier. */
export const licenceStatusFilterSchema = z.enum(['expired', 'within30', 'within60', 'within90']);
export type LicenceStatusFilter = z.infer<typeof licenceStatusFilterSchema>;

export const entityLicenceSchema = z.object({
  id: z.number(),
  kind: licenceKindSchema,
  kindLabel: z.string(),
  licenceNo: z.string(),
  issuedOn: z.string().nullable(),
  validUntil: z.string().nullable(),
  status: licenceStatusSchema,
  issuer: z.string(),
  source: z.string(),
  expiry: licenceExpirySchema,
  /** The day count of the tier `expiry` names (within30 → the first configured tier, e.g. 14); null otherwise. */
  expiryDays: z.number().nullable(),
  /** Days until `validUntil` (negative once expired), null without an end date. */
  daysLeft: z.number().nullable(),
});
export type EntityLicence = z.infer<typeof entityLicenceSchema>;

export const creditKindSchema = z.enum(['abnormal_operation', 'serious_violation', 'administrative_penalty']);
export type CreditKind = z.infer<typeof creditKindSchema>;
export const CREDIT_KIND_LABELS: Record<CreditKind, string> = {
  abnormal_operation: '经营异常名录',
  serious_violation: '严重违法失信名单',
  administrative_penalty: '行政处罚信息',
};
export const entityCreditRecordSchema = z.object({
  id: z.number(),
  kind: creditKindSchema,
  kindLabel: z.string(),
  decidedOn: z.string(),
  removedOn: z.string().nullable(),
  authority: z.string(),
  reason: z.string(),
  documentNo: z.string(),
  amount: z.number().nullable(),
  source: z.string(),
});
export type EntityCreditRecord = z.infer<typeof entityCreditRecordSchema>;

export const personRoleSchema = z.enum(['legal_rep', 'principal', 'employee']);
export type PersonRole = z.infer<typeof personRoleSchema>;
export const PERSON_ROLE_LABELS: Record<PersonRole, string> = {
  legal_rep: '法定代表人',
  principal: '负责人',
  employee: '从业人员',
};
/** Masked values only; the web reveals one with objectType `entity_person` and field name / idCard / phone. */
export const entityPersonSchema = z.object({
  id: z.number(),
  role: personRoleSchema,
  roleLabel: z.string(),
  nameMasked: z.string(),
  idCardMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
});
export type EntityPerson = z.infer<typeof entityPersonSchema>;

export const entityProfileSchema = entitySummarySchema.extend({
  regionCode: z.string(),
  establishedOn: z.string().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  /** The entity's grid boundary, so the profile map needs no grid-administration permission. */
  gridGeometry: polygonSchema.nullable(),
  updatedAt: z.string(),
  licences: z.array(entityLicenceSchema),
  creditRecords: z.array(entityCreditRecordSchema),
  personnel: z.array(entityPersonSchema),
  /** 信用风险分类 with its explanation (fusion/risk); null until the model has run for this entity. */
  risk: entityRiskSchema.nullable(),
  /** Ledger events about this entity that the caller may see, oldest first. */
  timeline: z.array(entityTimelineEventSchema),
});
export type EntityProfile = z.infer<typeof entityProfileSchema>;
