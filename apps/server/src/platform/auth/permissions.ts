import type { DataScope } from '../db/schema.ts';

/** Permission strings are `module:object:action`; a `*` segment in a granted permission matches anything. */
export function permissionMatches(granted: string, wanted: string): boolean {
  const g = granted.split(':');
  const w = wanted.split(':');
  if (g.length !== 3 || w.length !== 3) return false;
  return g.every((seg, i) => seg === '*' || seg === w[i]);
}

export function hasPermission(granted: readonly string[], wanted: string): boolean {
  return granted.some((g) => permissionMatches(g, wanted));
}

export interface ScopeGrant {
  scope: DataScope;
  departmentIds: number[];
}
