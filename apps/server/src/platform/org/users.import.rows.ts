import { type ImportError, USER_IMPORT_HEADERS } from '@rongjian/shared/api';
import { isValidDay } from '../calendar/calendar.rules.ts';
import type { SheetRow } from './users.excel.ts';
import {
  assertRolesAllowed,
  MOBILE_RE,
  normalizePhone,
  type ResolvedRole,
  USERNAME_HINT,
  USERNAME_RE,
} from './users.rules.ts';

/** Validation of uploaded user rows, free of I/O: every lookup is passed in. Reasons are Chinese, per field. */

export interface ImportLookups {
  /** Departments the importer may put users in, by code. */
  departments: Map<string, number>;
  roles: Map<string, ResolvedRole>;
  posts: Map<string, number>;
  /** Existing accounts named in the file, by username; `inScope` false = another department's account. */
  existing: Map<string, { id: number; inScope: boolean; roleCodes: string[] }>;
  importerId: number;
}

/** A valid row. On update, `null` means "leave as it is" (the cell was blank). */
export interface ImportRow {
  row: number;
  username: string;
  displayName: string;
  departmentId: number;
  roleIds: number[] | null;
  postIds: number[] | null;
  phone: string | null;
  certNo: string | null;
  certValidUntil: string | null;
  existingId: number | null;
}

const LIST_SPLIT = /[,，、;；\s]+/;
const splitList = (v: string) => [...new Set(v.split(LIST_SPLIT).filter(Boolean))];

/** `2027-12-31`, `2027/12/31`, `2027.12.31`, `2027年12月31日`, or an Excel day number → ISO date, else null. */
export function parseDay(v: string): string | null {
  if (/^\d{5}$/.test(v)) {
    const d = new Date(Date.UTC(1899, 11, 30) + Number(v) * 86_400_000);
    return d.toISOString().slice(0, 10);
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v);
  if (!m) return null;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isValidDay(day) ? day : null;
}

const F = USER_IMPORT_HEADERS;

export function validateRows(
  rows: SheetRow[],
  lk: ImportLookups,
): { valid: ImportRow[]; errors: ImportError[] } {
  const valid: ImportRow[] = [];
  const errors: ImportError[] = [];
  const seen = new Map<string, number>();
  for (const { row, values } of rows) {
    const [username = '', displayName = '', deptCode = '', roleCell = '', postCell = '', phoneCell = ''] =
      values;
    const [certNoCell = '', certDayCell = ''] = values.slice(6);
    const errs: ImportError[] = [];
    const fail = (field: string, reason: string) => errs.push({ row, field, reason });

    if (!username) fail(F[0], '用户名不能为空');
    else if (!USERNAME_RE.test(username)) fail(F[0], USERNAME_HINT);
    else if (seen.has(username)) fail(F[0], `用户名与第 ${seen.get(username)} 行重复`);
    else seen.set(username, row);
    const existing = lk.existing.get(username);
    if (existing && !existing.inScope) fail(F[0], '该用户名已被您管理范围以外的账号使用');

    if (!displayName) fail(F[1], '姓名不能为空');
    else if (displayName.length > 40) fail(F[1], '姓名最多 40 个字');

    const departmentId = lk.departments.get(deptCode);
    if (!deptCode) fail(F[2], '部门编码不能为空');
    else if (departmentId === undefined) fail(F[2], `部门编码“${deptCode}”不存在或不在您的管理范围内`);

    let roles: ResolvedRole[] | null = null;
    if (roleCell) {
      const codes = splitList(roleCell);
      const unknown = codes.filter((c) => !lk.roles.has(c));
      if (unknown.length > 0) fail(F[3], `角色编码不存在：${unknown.join('、')}`);
      else {
        roles = codes.map((c) => lk.roles.get(c)!);
        try {
          assertRolesAllowed(displayName || username, roles);
        } catch (e) {
          fail(F[3], (e as Error).message);
        }
        const sameRoles = existing && [...existing.roleCodes].sort().join() === [...codes].sort().join();
        if (existing?.id === lk.importerId && !sameRoles) fail(F[3], '不能通过导入修改自己的角色');
      }
    }

    let postIds: number[] | null = null;
    if (postCell) {
      const codes = splitList(postCell);
      const unknown = codes.filter((c) => !lk.posts.has(c));
      if (unknown.length > 0) fail(F[4], `岗位编码不存在：${unknown.join('、')}`);
      else postIds = codes.map((c) => lk.posts.get(c)!);
    }

    const phone = phoneCell ? normalizePhone(phoneCell) : null;
    if (phone !== null && !MOBILE_RE.test(phone))
      fail(F[5], `手机号“${phoneCell}”格式不正确，应为 11 位手机号码`);

    if (certNoCell.length > 40) fail(F[6], '执法证号最多 40 个字符');
    const certValidUntil = certDayCell ? parseDay(certDayCell) : null;
    if (certDayCell && !certValidUntil) fail(F[7], `日期“${certDayCell}”无效，应为 YYYY-MM-DD 格式`);

    if (errs.length > 0) {
      errors.push(...errs);
      continue;
    }
    valid.push({
      row,
      username,
      displayName,
      departmentId: departmentId!,
      roleIds: roles ? roles.map((r) => r.id) : existing ? null : [],
      postIds: postIds ?? (existing ? null : []),
      phone,
      certNo: certNoCell || null,
      certValidUntil,
      existingId: existing?.id ?? null,
    });
  }
  return { valid, errors };
}
