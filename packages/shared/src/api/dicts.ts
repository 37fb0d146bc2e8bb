import { z } from 'zod';

/** Code-table (码表) contracts: `/api/system/dicts*` for administrators, `/api/dicts/:type` for every page. */
export const dictTypeSchema = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  /** Seeded with the platform: cannot be deleted, and its built-in items keep their values. */
  builtin: z.boolean(),
  itemCount: z.number(),
});
export type DictType = z.infer<typeof dictTypeSchema>;

export const dictItemSchema = z.object({
  id: z.number(),
  typeCode: z.string(),
  value: z.string(),
  label: z.string(),
  parentValue: z.string().nullable(),
  sort: z.number(),
  enabled: z.boolean(),
  color: z.string().nullable(),
  builtin: z.boolean(),
  updatedAt: z.string(),
});
export type DictItem = z.infer<typeof dictItemSchema>;

/** What any signed-in page gets for a code table (disabled items included: old records still show labels). */
export const dictOptionSchema = z.object({
  value: z.string(),
  label: z.string(),
  parentValue: z.string().nullable(),
  enabled: z.boolean(),
  color: z.string().nullable(),
});
export type DictOption = z.infer<typeof dictOptionSchema>;

/** Codes of custom types: lower-case letters, digits and `_`, starting with a letter. */
export const DICT_CODE_PATTERN = /^[a-z][a-z0-9_]{1,49}$/;
