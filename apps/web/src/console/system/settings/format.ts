import type { SettingFieldView } from './api.ts';

/** How a stored property reads on screen: units, option labels, 是/否, and an explicit 未设置 for null. */
export function formatFieldValue(field: SettingFieldView, value: unknown): string {
  if (value === null || value === undefined || value === '') return '未设置';
  switch (field.type) {
    case 'boolean':
      return value ? '是' : '否';
    case 'enum':
      return field.options?.find((o) => o.value === value)?.label ?? String(value);
    case 'string[]':
      return Array.isArray(value) && value.length > 0
        ? value.map((v) => field.options?.find((o) => o.value === v)?.label ?? String(v)).join('、')
        : '（空）';
    case 'number':
      return field.unit ? `${value} ${field.unit}` : String(value);
    default:
      return String(value);
  }
}

/** One line per version in the history: every property that differs from the version before it. */
export function describeChange(
  fields: SettingFieldView[],
  value: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
): string {
  const changed = fields.filter(
    (f) => !previous || JSON.stringify(previous[f.name]) !== JSON.stringify(value[f.name]),
  );
  if (changed.length === 0) return '与上一版本相同';
  return changed.map((f) => `${f.label}：${formatFieldValue(f, value[f.name])}`).join('；');
}
