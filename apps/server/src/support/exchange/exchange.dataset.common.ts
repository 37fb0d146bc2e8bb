import { checkUscc } from '@rongjian/shared';
import { isRegionCode, parseDate, parseDateTime } from './exchange.checks.ts';
import type { Fail, TargetField } from './exchange.datasets.ts';

/** Checks shared by the dataset handlers. */

/** Why a USCC is not acceptable (GB 32100-2015 plus a GB/T 2260 province in the region part), or null. */
export function usccProblem(uscc: string): string | null {
  const reason = usccReason(uscc);
  return reason === null ? null : `统一社会信用代码无效：${reason}`;
}

/** Why a code is not one the register accepts (structure, check character, GB/T 2260 region), or null. */
export function usccReason(uscc: string): string | null {
  const r = checkUscc(uscc);
  if (!r.valid) return r.reason;
  if (!isRegionCode(uscc.slice(2, 8)))
    return `第 3–8 位行政区划码“${uscc.slice(2, 8)}”不是有效的 GB/T 2260 代码`;
  return null;
}

/** The "which entity" fields of the datasets that hang off an entity (许可, 信用, 人员). */
export const ENTITY_REF_FIELDS: readonly TargetField[] = [
  { key: 'uscc', label: '统一社会信用代码', required: false },
  { key: 'entityName', label: '主体名称', required: false, max: 200 },
];

export const UPDATED_AT_FIELD: TargetField = { key: 'updatedAt', label: '更新时间', required: false };

/** USCC and/or exact name of the entity a row belongs to; at least one is needed. */
export function entityRef(
  v: Readonly<Record<string, string>>,
  fail: Fail,
): { uscc: string | null; entityName: string | null } {
  const uscc = v.uscc!;
  const entityName = v.entityName!;
  if (uscc !== '') {
    const problem = usccProblem(uscc);
    if (problem) fail('uscc', problem);
  } else if (entityName === '') fail('uscc', '统一社会信用代码和主体名称至少应填写一项');
  return { uscc: uscc || null, entityName: entityName || null };
}

/** An optional date field; `notAfterToday` for facts that cannot lie in the future. */
export function optionalDate(
  v: Readonly<Record<string, string>>,
  key: string,
  label: string,
  fail: Fail,
  today: string | null,
): string | null {
  const text = v[key]!;
  if (text === '') return null;
  const day = parseDate(text);
  if (!day) {
    fail(key, `${label}“${text}”不是有效日期（应为 YYYY-MM-DD）`);
    return null;
  }
  if (today !== null && day > today) fail(key, `${label} ${day} 晚于今天`);
  return day;
}

/** Clock skew tolerated between the exchange and this server. */
const FUTURE_SLACK_MS = 86_400_000;

/** 更新时间: a date or date-time (China time unless a zone is given), not in the future. */
export function updatedAt(v: Readonly<Record<string, string>>, fail: Fail): string | null {
  const text = v.updatedAt!;
  if (text === '') return null;
  const at = parseDateTime(text);
  if (!at) {
    fail('updatedAt', `更新时间“${text}”不是有效的日期或时间`);
    return null;
  }
  if (Date.parse(at) > Date.now() + FUTURE_SLACK_MS) fail('updatedAt', `更新时间“${text}”晚于当前时间`);
  return at;
}

/** A text value from a fixed list of Chinese labels → its code, or a row problem naming the accepted labels. */
export function fromLabels<T extends string>(
  value: string,
  labels: Readonly<Record<string, T>>,
  field: string,
  fieldLabel: string,
  fail: Fail,
): T | null {
  const code = labels[value];
  if (code !== undefined) return code;
  fail(field, `${fieldLabel}“${value}”无法识别（应为 ${Object.keys(labels).join('、')}）`);
  return null;
}
