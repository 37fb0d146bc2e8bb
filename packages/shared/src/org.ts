/** Organisation rules shared by server and web, free of zod so the web can import them at run time. */

export type DepartmentKind = 'bureau' | 'office' | 'branch' | 'station';

export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, string> = {
  bureau: '局',
  office: '科室',
  branch: '分局',
  station: '市场监管所',
};

/**
 * Which kind of department may sit under which: a 局 heads the tree (or sits under a higher 局), 分局 belong to a
 * 局, 科室 and 所 belong to a 局 or a 分局, and nothing sits under a 科室 or a 所.
 */
export const ALLOWED_PARENT_KINDS: Record<DepartmentKind, readonly (DepartmentKind | null)[]> = {
  bureau: [null, 'bureau'],
  branch: ['bureau'],
  office: ['bureau', 'branch'],
  station: ['bureau', 'branch'],
};
