import type { z } from 'zod';

/** How the web renders one property of a setting's value (the form is generated from these). */
export interface SettingField {
  label: string;
  type: 'number' | 'boolean' | 'string' | 'enum' | 'string[]';
  unit?: string;
  min?: number;
  max?: number;
  options?: { value: string; label: string }[];
  help?: string;
}

export type SettingGroup = 'system' | 'security';

/** A setting's value is always a JSON object, so that new properties can be added later without a migration. */
export type SettingValue = Record<string, unknown>;

export interface SettingDefinition<T extends SettingValue = SettingValue> {
  key: string;
  group: SettingGroup;
  label: string;
  description: string;
  schema: z.ZodType<T>;
  default: T;
  /** One entry per property of the value, in display order. */
  fields: { [K in keyof T & string]?: SettingField };
  /**
   * A versioned rule (legal deadlines…) is edited with an explicit 生效日期 and keeps every version, because later
   * computations use the rule in force on the day of the fact (DOMAIN.md: every number is configuration).
   */
  versioned?: boolean;
}

/** Declare a setting in the owning module's `<module>.settings.ts`; list it in `settings.catalog.ts`. */
export function defineSetting<T extends SettingValue>(def: SettingDefinition<T>): SettingDefinition<T> {
  return def;
}

/** Any definition, whatever its value type (the catalog lists them side by side). */
export type AnySettingDefinition = SettingDefinition<SettingValue>;
