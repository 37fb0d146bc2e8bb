import { z } from 'zod';

/**
 * Settings contracts (`/api/system/settings`, `/api/system/security-settings`). The web renders each setting
 * generically from its `fields`; values are JSON objects whose properties the fields describe.
 */
export const settingFieldTypeSchema = z.enum(['number', 'boolean', 'string', 'enum', 'string[]']);
export type SettingFieldType = z.infer<typeof settingFieldTypeSchema>;

export const settingFieldSchema = z.object({
  /** Property of the value this field edits. */
  name: z.string(),
  label: z.string(),
  type: settingFieldTypeSchema,
  unit: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  help: z.string().optional(),
});
export type SettingFieldView = z.infer<typeof settingFieldSchema>;

export const settingVersionSchema = z.object({
  effectiveFrom: z.string(),
  value: z.record(z.string(), z.unknown()),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type SettingVersionView = z.infer<typeof settingVersionSchema>;

export const settingViewSchema = z.object({
  key: z.string(),
  group: z.enum(['system', 'security']),
  label: z.string(),
  description: z.string(),
  /** Versioned rules are edited with a 生效日期 and keep their history; others apply at once. */
  versioned: z.boolean(),
  fields: z.array(settingFieldSchema),
  /** The value in force today. */
  value: z.record(z.string(), z.unknown()),
  default: z.record(z.string(), z.unknown()),
  /** Versions stored so far, oldest first; empty when the default has always applied. */
  versions: z.array(settingVersionSchema),
  /** A version that takes effect after today, if any (the nearest). */
  upcoming: settingVersionSchema.nullable(),
});
export type SettingView = z.infer<typeof settingViewSchema>;

export const settingListSchema = z.object({ items: z.array(settingViewSchema), today: z.string() });
export type SettingList = z.infer<typeof settingListSchema>;
