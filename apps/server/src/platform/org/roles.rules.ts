import { AppError } from '../errors.ts';
import { catalogEntry, type Duty, expand } from './permissions.catalog.ts';

/**
 * Separation of duties (GB/T 22239-2019 三级: 系统管理员、安全管理员、审计管理员 分立).
 *   1. A set of permissions may come from at most one of the administrative duties system / security / audit.
 *   2. A set holding administrative permissions may not hold business permissions as well — except the few
 *      catalogue entries marked `shared` (reading the working-day calendar), which business roles need to see
 *      legal deadlines. A shared permission still counts as `system` for rule 1, so an auditor cannot hold it.
 * The rules apply to a role's own permissions and to the union of every role one user holds: otherwise two
 * harmless roles given to one person would rebuild the administrator the rules forbid.
 */
export const DUTY_LABELS: Record<Duty, string> = {
  system: '系统管理',
  security: '安全管理',
  audit: '安全审计',
  business: '业务',
};

const ADMIN_DUTIES: readonly Duty[] = ['system', 'security', 'audit'];

function dutyOfUnknown(permission: string): Duty {
  const module = permission.split(':')[0] ?? '';
  return (ADMIN_DUTIES as readonly string[]).includes(module) ? (module as Duty) : 'business';
}

interface DutyProfile {
  /** Administrative duties reached by permissions that are not shared. */
  strictAdmin: Map<Duty, string>;
  /** Administrative duties reached by any permission, shared ones included. */
  anyAdmin: Map<Duty, string>;
  /** A business permission (by label), if any. */
  business: string | null;
}

function profile(permissions: readonly string[]): DutyProfile {
  const p: DutyProfile = { strictAdmin: new Map(), anyAdmin: new Map(), business: null };
  const concrete = [...new Set([...expand(permissions), ...permissions.filter((g) => !g.includes('*'))])];
  for (const perm of concrete) {
    const node = catalogEntry(perm);
    const duty = node?.duty ?? dutyOfUnknown(perm);
    const label = node ? `${node.label}（${perm}）` : perm;
    if (duty === 'business') {
      p.business ??= label;
      continue;
    }
    if (!p.anyAdmin.has(duty)) p.anyAdmin.set(duty, label);
    if (!node?.shared && !p.strictAdmin.has(duty)) p.strictAdmin.set(duty, label);
  }
  return p;
}

/** The duty a permission set serves, or null for an empty set. Assumes the set passes `separationViolation`. */
export function dutyOf(permissions: readonly string[]): Duty | null {
  const p = profile(permissions);
  const [strict] = p.strictAdmin.keys();
  if (strict) return strict;
  if (p.business) return 'business';
  const [any] = p.anyAdmin.keys();
  return any ?? null;
}

/** A Chinese explanation of why the set breaks the separation of duties, or null when it does not. */
export function separationViolation(permissions: readonly string[]): string | null {
  const p = profile(permissions);
  const lead = '等保三级要求系统管理员、安全管理员、审计管理员三员分立，且管理员不得兼任业务工作：';
  if (p.anyAdmin.size > 1) {
    const parts = [...p.anyAdmin].map(([d, label]) => `「${DUTY_LABELS[d]}」（如 ${label}）`);
    return `${lead}同一角色（或同一用户）不能同时拥有${parts.join('与')}的权限。`;
  }
  const [admin] = p.strictAdmin;
  if (admin && p.business) {
    return `${lead}拥有「${DUTY_LABELS[admin[0]]}」权限（如 ${admin[1]}）的角色（或用户）不能同时拥有业务权限（如 ${p.business}）。`;
  }
  return null;
}

export function assertSeparated(permissions: readonly string[], context = ''): void {
  const violation = separationViolation(permissions);
  if (violation) throw new AppError('ROLE_SEPARATION_VIOLATION', `${context}${violation}`, { status: 400 });
}

/**
 * One user's roles together must keep the separation. Call this whenever a user's set of roles changes
 * (role membership here, role assignment in the users administration).
 */
export function assertUserRolesSeparated(
  user: { displayName: string },
  roles: readonly { name: string; permissions: readonly string[] }[],
): void {
  if (roles.length < 2) return;
  assertSeparated(
    roles.flatMap((r) => r.permissions),
    `用户「${user.displayName}」将同时持有角色「${roles.map((r) => r.name).join('」「')}」。`,
  );
}
