import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { decoyHash, verifyPassword } from './password.ts';

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
}

export interface AuthOptions {
  idleMinutes: number;
  maxHours: number;
}

const sm3 = (s: string) => createHash('sm3').update(s).digest('hex');

export function createAuthService(db: Kysely<DB>, opts: AuthOptions) {
  async function loadUser(userId: number, sessionId: string): Promise<SessionUser | null> {
    const user = await db
      .selectFrom('app_user as u')
      .innerJoin('department as d', 'd.id', 'u.department_id')
      .select([
        'u.id',
        'u.username',
        'u.display_name',
        'u.department_id',
        'u.status',
        'u.is_demo',
        'd.name as dept_name',
        'd.path as dept_path',
      ])
      .where('u.id', '=', userId)
      .executeTakeFirst();
    if (user?.status !== 'active') return null;
    const roles = await db
      .selectFrom('user_role as ur')
      .innerJoin('role as r', 'r.id', 'ur.role_id')
      .select(['r.code', 'r.name', 'r.data_scope', 'r.scope_department_ids', 'r.permissions'])
      .where('ur.user_id', '=', userId)
      .execute();
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
      sessionId: sessionId,
      csrfToken: sm3(`csrf:${sessionId}`),
    };
  }

  return {
    /** Check credentials and open a session. The error never reveals whether the username exists. */
    async login(input: { username: string; password: string; ip: string | null; userAgent: string | null }) {
      const user = await db
        .selectFrom('app_user')
        .select(['id', 'password_hash', 'status'])
        .where('username', '=', input.username)
        .executeTakeFirst();
      const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash()));
      if (!user || !ok || user.status !== 'active') {
        throw new AppError('AUTH_FAILED', '用户名或密码错误');
      }
      const token = randomBytes(32).toString('base64url');
      const sessionId = sm3(token);
      const now = Date.now();
      await db
        .insertInto('session')
        .values({
          id: sessionId,
          user_id: user.id,
          expires_at: new Date(now + opts.maxHours * 3600_000),
          ip: input.ip,
          user_agent: input.userAgent?.slice(0, 500) ?? null,
        })
        .execute();
      const sessionUser = await loadUser(user.id, sessionId);
      if (!sessionUser) throw new AppError('AUTH_FAILED', '用户名或密码错误');
      return { token, user: sessionUser };
    },

    /** Resolve a cookie token to its user, sliding the idle timeout; null when absent, idle or expired. */
    async resolve(token: string): Promise<SessionUser | null> {
      const sessionId = sm3(token);
      const row = await db
        .selectFrom('session')
        .select(['user_id', 'last_seen_at', 'expires_at'])
        .where('id', '=', sessionId)
        .executeTakeFirst();
      if (!row) return null;
      const now = Date.now();
      const idleMs = opts.idleMinutes * 60_000;
      if (new Date(row.expires_at).getTime() <= now || new Date(row.last_seen_at).getTime() + idleMs <= now) {
        await db.deleteFrom('session').where('id', '=', sessionId).execute();
        return null;
      }
      // Touch at most once a minute: a busy page should not turn every read into a write.
      if (now - new Date(row.last_seen_at).getTime() > 60_000) {
        await db
          .updateTable('session')
          .set({ last_seen_at: new Date(now) })
          .where('id', '=', sessionId)
          .execute();
      }
      return loadUser(row.user_id, sessionId);
    },

    async logout(token: string): Promise<void> {
      await db.deleteFrom('session').where('id', '=', sm3(token)).execute();
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
