import { chinaDayOf } from '../calendar/calendar.rules.ts';
import type { SettingDefinition, SettingValue } from './settings.define.ts';

/** Pure helpers of the settings cache: versions by effective date, and reading stored values safely. */

export interface SettingVersion {
  effectiveFrom: string;
  value: SettingValue;
  createdBy: string;
  createdAt: string;
}

/** A day `YYYY-MM-DD` as given, or the day a Date falls on in China. */
export function toDay(date: string | Date): string {
  if (typeof date === 'string') return date.slice(0, 10);
  return chinaDayOf(date);
}

/** Keep only the properties the definition knows, over its defaults; a stored value that no longer fits gives way. */
export function coerce<T extends SettingValue>(def: SettingDefinition<T>, stored: unknown): T {
  if (!stored || typeof stored !== 'object') return def.default;
  const known: Record<string, unknown> = { ...def.default };
  for (const k of Object.keys(def.default)) {
    if (k in (stored as SettingValue)) known[k] = (stored as SettingValue)[k];
  }
  const parsed = def.schema.safeParse(known);
  return parsed.success ? parsed.data : def.default;
}

/** The value of the newest version in force on `day` (versions sorted oldest first). */
export function valueOn(list: SettingVersion[] | undefined, day: string): SettingValue | undefined {
  let found: SettingValue | undefined;
  for (const v of list ?? []) {
    if (v.effectiveFrom <= day) found = v.value;
    else break;
  }
  return found;
}

/** `list` with `version` replacing the one of the same date, still sorted. */
export function withVersion(list: SettingVersion[] | undefined, version: SettingVersion): SettingVersion[] {
  const rest = (list ?? []).filter((v) => v.effectiveFrom !== version.effectiveFrom);
  return [...rest, version].sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0,
  );
}

/** A timestamp column as ISO text (drivers hand back Date objects). */
export function iso(d: Date | string): string {
  return d instanceof Date ? d.toISOString() : new Date(d).toISOString();
}

/** `<field label>：` to prefix a validation message, when the property has a field. */
export function fieldLabel(def: SettingDefinition<SettingValue>, prop: PropertyKey | undefined): string {
  const f = typeof prop === 'string' ? def.fields[prop] : undefined;
  return f ? `${f.label}：` : '';
}
