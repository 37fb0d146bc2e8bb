import { checkUscc } from '@rongjian/shared';
import type { EntityType } from '../../platform/db/schema.ts';
import type { RegistrationRecord } from '../../fusion/resolution/resolution.apply.ts';
import type { TargetField } from './exchange.connector.ts';
import { ExchangeFileError, type ParsedFile } from './exchange.files.ts';
import type { QualityFigure } from './exchange.tables.ts';

export interface RowError {
  rowNo: number;
  field: string | null;
  reason: string;
  raw: Record<string, string>;
}

export interface ValidationResult {
  records: RegistrationRecord[];
  errors: RowError[];
  rejected: number;
  quality: QualityFigure[];
}

/** GB/T 2260 province-level codes: the first two digits of every valid 行政区划码. */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);
const MAX_LENGTH: Record<string, number> = {
  name: 200,
  address: 500,
  status: 40,
  type: 40,
  businessScope: 4000,
};

/** YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or YYYYMMDD → ISO date, or null when it is not a real date. */
export function parseDate(value: string): string | null {
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function entityType(text: string, uscc: string): EntityType {
  if (text.includes('个体')) return 'individual';
  if (text.includes('合作社')) return 'cooperative';
  if (text !== '') return 'enterprise';
  // 机构类别 under 登记管理部门 9: 2 = 个体工商户, 3 = 农民专业合作社 (GB 32100-2015).
  if (uscc[0] === '9' && uscc[1] === '2') return 'individual';
  if (uscc[0] === '9' && uscc[1] === '3') return 'cooperative';
  return 'enterprise';
}

/** For each target field, the file column it is read from (`a|b`: the first present), or null. */
export function resolveColumns(
  fields: readonly TargetField[],
  mapping: Record<string, string>,
  columns: string[],
): Record<string, string | null> {
  const present = new Set(columns);
  const out: Record<string, string | null> = {};
  const missing: string[] = [];
  for (const f of fields) {
    const candidates = (mapping[f.key] ?? '')
      .split('|')
      .map((c) => c.trim())
      .filter(Boolean);
    out[f.key] = candidates.find((c) => present.has(c)) ?? null;
    if (f.required && out[f.key] === null)
      missing.push(`${f.label}（${candidates.join(' 或 ') || '未配置映射'}）`);
  }
  if (missing.length > 0) throw new ExchangeFileError(`文件缺少必需的列：${missing.join('、')}`);
  return out;
}

/** Check every row of a 登记注册 export; rejected rows carry their Chinese reasons, field by field. */
export function validateRegistration(
  file: ParsedFile,
  fields: readonly TargetField[],
  mapping: Record<string, string>,
  today = new Date().toISOString().slice(0, 10),
): ValidationResult {
  const columns = resolveColumns(fields, mapping, file.columns);
  const mapped = fields.filter((f) => columns[f.key]);
  const figures = new Map(
    mapped.map((f) => [f.key, { field: f.key, column: columns[f.key]!, present: 0, valid: 0 }]),
  );
  const records: RegistrationRecord[] = [];
  const errors: RowError[] = [];
  const firstRowOf = new Map<string, number>();
  let rejected = 0;

  for (const row of file.rows) {
    const raw = row.values;
    if (row.problem) {
      errors.push({ rowNo: row.rowNo, field: null, reason: row.problem, raw });
      rejected++;
      continue;
    }
    const v = Object.fromEntries(mapped.map((f) => [f.key, (raw[columns[f.key]!] ?? '').trim()]));
    const rowErrors: RowError[] = [];
    const fail = (field: string, reason: string) => rowErrors.push({ rowNo: row.rowNo, field, reason, raw });
    for (const f of fields) {
      const value = v[f.key] ?? '';
      if (value === '') {
        if (f.required) fail(f.key, `${f.label}不能为空`);
        continue;
      }
      figures.get(f.key)!.present++;
      const max = MAX_LENGTH[f.key];
      if (max && value.length > max)
        fail(f.key, `${f.label}过长：最多 ${max} 个字，实际 ${value.length} 个字`);
    }
    const uscc = v.uscc ?? '';
    if (uscc !== '') {
      const r = checkUscc(uscc);
      if (!r.valid) fail('uscc', `统一社会信用代码无效：${r.reason}`);
      else if (!PROVINCES.has(uscc.slice(2, 4))) {
        fail('uscc', `统一社会信用代码中的行政区划码“${uscc.slice(2, 8)}”不是有效的 GB/T 2260 代码`);
      }
    }
    let establishedOn: string | null = null;
    if (v.establishedOn) {
      establishedOn = parseDate(v.establishedOn);
      if (!establishedOn)
        fail('establishedOn', `成立日期“${v.establishedOn}”不是有效日期（应为 YYYY-MM-DD）`);
      else if (establishedOn > today) fail('establishedOn', `成立日期 ${establishedOn} 晚于今天`);
    }
    if (rowErrors.length === 0) {
      const first = firstRowOf.get(uscc);
      if (first !== undefined) fail('uscc', `文件内统一社会信用代码重复：与第 ${first} 行相同`);
      else firstRowOf.set(uscc, row.rowNo);
    }
    const badFields = new Set(rowErrors.map((e) => e.field));
    for (const f of mapped) if (v[f.key] && !badFields.has(f.key)) figures.get(f.key)!.valid++;
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      rejected++;
      continue;
    }
    records.push({
      rowNo: row.rowNo,
      uscc,
      sourceKey: null,
      name: v.name!,
      type: entityType(v.type ?? '', uscc),
      address: v.address!,
      regionCode: uscc.slice(2, 8),
      establishedOn,
      status: v.status || '存续',
      businessScope: v.businessScope || null,
      lon: null,
      lat: null,
    });
  }
  return { records, errors, rejected, quality: [...figures.values()] };
}
