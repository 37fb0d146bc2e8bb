import type { SessionUser } from './types.ts';

/**
 * Permission strings are `module:object:action`; a `*` segment in a granted permission matches anything.
 * The same rule as the server's platform/auth/permissions.ts — the server decides, this only hides what would fail.
 */
export function permissionMatches(granted: string, wanted: string): boolean {
  const g = granted.split(':');
  const w = wanted.split(':');
  if (g.length !== 3 || w.length !== 3) return false;
  return g.every((seg, i) => seg === '*' || seg === w[i]);
}

export function can(user: Pick<SessionUser, 'permissions'> | null | undefined, wanted: string): boolean {
  return !!user && user.permissions.some((g) => permissionMatches(g, wanted));
}
