import { z } from 'zod';
import { polygonSchema } from './grids.ts';

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
  /** Entities matching the filters within the caller's data scope. */
  total: z.number(),
  nextAfter: z.number().nullable(),
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

export const entityProfileSchema = entitySummarySchema.extend({
  regionCode: z.string(),
  establishedOn: z.string().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  /** The entity's grid boundary, so the profile map needs no grid-administration permission. */
  gridGeometry: polygonSchema.nullable(),
  updatedAt: z.string(),
  /** Ledger events about this entity that the caller may see, oldest first. */
  timeline: z.array(entityTimelineEventSchema),
});
export type EntityProfile = z.infer<typeof entityProfileSchema>;
