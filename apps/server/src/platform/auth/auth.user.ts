import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../db/schema.ts';
import type { SessionRestriction } from './auth.tables.ts';
import type { MfaPolicy, PasswordPolicy } from './auth.settings.ts';

export interface DataScopeView {
  /** True when any role grants 全部. */
  all: boolean;
  /** Departments whose records the user may see (empty with `all`). */
  departmentIds: number[];
  /** True when some role grants only 仅本人; records the user created stay visible. */
  self: boolean;
}

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  departmentId: number;
  departmentName: string;
  isDemo: boolean;
  roles: { code: string; name: string }[];
  permissions: string[];
  scope: DataScopeView;
  sessionId: string;
  csrfToken: string;
  /** Null for a normal session; otherwise only the account routes answer (auth.restriction.ts). */
  restriction: SessionRestriction | null;
  mfaEnabled: boolean;
  mfaRequired: boolean;
  /** ISO time; null when the password does not expire (policy 0 days, or a demo account). */
  passwordExpiresAt: string | null;
}

type Executor = Kysely<DB> | Transaction<DB>;

export const sm3 = (s: string) => createHash('sm3').update(s).digest('hex');

/** Whether the security policy demands a second factor of an account with these roles. */
export function mfaRequiredFor(policy: MfaPolicy, roleCodes: readonly string[]): boolean {
  return policy.requireForAll || roleCodes.some((c) => policy.requiredRoles.includes(c));
}

/** When a password set at `changedAt` expires; null when it never does. Demo accounts are exempt (security.md). */
export function passwordExpiry(policy: PasswordPolicy, changedAt: Date, isDemo: boolean): Date | null {
  if (isDemo || policy.expiryDays <= 0) return null;
  return new Date(new Date(changedAt).getTime() + policy.expiryDays * 86_400_000);
}

/**
 * What a new session of this account must do first. An explicit must-change flag (initial or reset password)
 * applies to everyone; expiry and forced TOTP enrollment do not apply to demo accounts, so a demo works at once.
 */
export function restrictionFor(account: {
  mustChangePassword: boolean;
  passwordExpiresAt: Date | null;
  isDemo: boolean;
  mfaRequired: boolean;
  mfaEnabled: boolean;
}): SessionRestriction | null {
  if (account.mustChangePassword) return 'password_change';
  if (account.passwordExpiresAt && account.passwordExpiresAt.getTime() <= Date.now())
    return 'password_change';
  if (!account.isDemo && account.mfaRequired && !account.mfaEnabled) return 'mfa_enroll';
  return null;
}

export interface UserPolicies {
  password: () => PasswordPolicy;
  mfa: () => MfaPolicy;
}

/** The account columns a session user is built from, with its roles as JSON (one statement). */
export function selectAccount(db: Executor) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('department as d', 'd.id', 'u.department_id')
    .leftJoin('user_totp as t', 't.user_id', 'u.id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.department_id',
      'u.status',
      'u.is_demo',
      'u.password_changed_at',
      'd.name as dept_name',
      'd.path as dept_path',
      't.enabled_at as totp_enabled_at',
      // The roles in the same round trip: this runs for every request that carries a session.
      (eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('user_role as ur')
            .innerJoin('role as r', 'r.id', 'ur.role_id')
            .select(['r.code', 'r.name', 'r.data_scope', 'r.scope_department_ids', 'r.permissions'])
            .whereRef('ur.user_id', '=', 'u.id')
            .orderBy('r.id'),
        ).as('roles'),
    ]);
}

export type AccountRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectAccount>['executeTakeFirst']>>
>;

/** The account behind a session, with roles, permissions, data scope and the state of its credentials. */
export async function loadSessionUser(
  db: Executor,
  policies: UserPolicies,
  userId: number,
  session: { id: string; restriction: SessionRestriction | null },
): Promise<SessionUser | null> {
  const user = await selectAccount(db).where('u.id', '=', userId).executeTakeFirst();
  return user ? toSessionUser(db, policies, user, session) : null;
}

/** A session user from its account row (null for an account that is not active). */
export async function toSessionUser(
  db: Executor,
  policies: UserPolicies,
  user: AccountRow,
  session: { id: string; restriction: SessionRestriction | null },
): Promise<SessionUser | null> {
  if (user.status !== 'active') return null;
  const { roles } = user;
  const permissions = [...new Set(roles.flatMap((r) => r.permissions))].sort();
  const scope: DataScopeView = { all: false, departmentIds: [], self: false };
  const ids = new Set<number>();
  for (const r of roles) {
    switch (r.data_scope) {
      case 'all':
        scope.all = true;
        break;
      case 'custom':
        for (const id of r.scope_department_ids) ids.add(id);
        break;
      case 'department':
        ids.add(user.department_id);
        break;
      case 'department_tree': {
        const subtree = await db
          .selectFrom('department')
          .select('id')
          .where('path', 'like', `${user.dept_path}%`)
          .execute();
        for (const d of subtree) ids.add(d.id);
        break;
      }
      case 'self':
        scope.self = true;
        break;
      default: {
        const never: never = r.data_scope;
        throw new Error(`unknown data scope ${String(never)}`);
      }
    }
  }
  scope.departmentIds = scope.all ? [] : [...ids].sort((a, b) => a - b);
  const expires = passwordExpiry(policies.password(), user.password_changed_at, user.is_demo);
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    departmentId: user.department_id,
    departmentName: user.dept_name,
    isDemo: user.is_demo,
    roles: roles.map((r) => ({ code: r.code, name: r.name })),
    permissions,
    scope,
    sessionId: session.id,
    csrfToken: sm3(`csrf:${session.id}`),
    restriction: session.restriction,
    mfaEnabled: user.totp_enabled_at !== null,
    mfaRequired: mfaRequiredFor(
      policies.mfa(),
      roles.map((r) => r.code),
    ),
    passwordExpiresAt: expires ? expires.toISOString() : null,
  };
}
