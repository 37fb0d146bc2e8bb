import type { User, UserOptions, UserStatus } from '@rongjian/shared/api';
import type { Kysely, Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { PiiVault } from '../pii/pii.vault.ts';
import { findVisibleDepartment, listVisibleDepartments } from './departments.repo.ts';
import { conflictOnDuplicate } from './org.errors.ts';
import {
  activeSysadminsAfterChange,
  endSessions,
  findUser,
  findUserIdByUsername,
  listUsers,
  replacePosts,
  replaceRoles,
} from './users.repo.ts';
import {
  assertRolesAllowed,
  generatePassword,
  normalizePhone,
  resolvePosts,
  resolveRoles,
  type SetPassword,
} from './users.rules.ts';
import { resolveUserFilter, type UserQuery } from './users.query.ts';
import { toUsers } from './users.view.ts';

type Viewer = Pick<SessionUser, 'id' | 'scope'>;

export interface UserInput {
  displayName: string;
  departmentId: number;
  roleCodes: string[];
  postIds: number[];
  /** Omitted on update: left as it is. */
  phone?: string | null | undefined;
  certNo: string | null;
  certValidUntil: string | null;
}

export interface UserServiceDeps {
  db: Kysely<DB>;
  pii: PiiVault;
  setPassword: SetPassword;
  /** The password policy's minimum length: generated passwords are never shorter (nor shorter than 14). */
  passwordLength: () => number;
  /** Today in the bureau's time zone, `YYYY-MM-DD`. */
  today: () => string;
}

export function createUserService(deps: UserServiceDeps) {
  const { db, pii } = deps;
  const newPassword = () => generatePassword(Math.max(14, deps.passwordLength()));

  async function getOr404(viewer: Viewer | null, id: number, executor: Kysely<DB> | Transaction<DB> = db) {
    const row = await findUser(executor, viewer, id);
    if (!row) throw notFound('用户');
    const [user] = await toUsers(executor, pii, [row]);
    return user!;
  }

  /** A department the viewer may put users in; outside the scope it does not exist for them. */
  async function assertDepartmentVisible(viewer: Viewer, id: number) {
    if (!(await findVisibleDepartment(db, viewer, id))) throw notFound('部门');
  }

  function phoneColumns(phone: string | null | undefined) {
    if (phone === undefined) return {};
    if (!phone) return { phone_enc: null, phone_bidx: null };
    const p = normalizePhone(phone);
    return { phone_enc: pii.encrypt('phone', p), phone_bidx: pii.blindIndex('phone', p) };
  }

  /** Refuse a change that would leave nobody able to administer the system. */
  async function assertSysadminRemains(tx: Transaction<DB>) {
    if ((await activeSysadminsAfterChange(tx)) === 0) {
      throw new AppError('LAST_SYSADMIN', '不能移除或停用最后一名在用的系统管理员', { status: 409 });
    }
  }

  return {
    async list(viewer: Viewer, q: UserQuery) {
      const filter = await resolveUserFilter({ db, pii, today: deps.today }, q);
      const r = await listUsers(db, viewer, { ...filter, after: q.after, limit: q.limit });
      return { items: await toUsers(db, pii, r.rows), total: r.total, nextAfter: r.nextAfter };
    },

    get: (viewer: Viewer, id: number): Promise<User> => getOr404(viewer, id),

    async options(viewer: Viewer): Promise<UserOptions> {
      const departments = await listVisibleDepartments(db, viewer);
      const roles = await db.selectFrom('role').select(['code', 'name']).orderBy('id').execute();
      const posts = await db.selectFrom('post').select(['id', 'code', 'name']).orderBy('id').execute();
      return {
        departments: departments.map((d) => ({
          id: d.id,
          parentId: d.parent_id,
          name: d.name,
          kind: d.kind,
          code: d.code,
        })),
        roles,
        posts,
      };
    },

    async create(viewer: Viewer, input: UserInput & { username: string; password?: string | undefined }) {
      await assertDepartmentVisible(viewer, input.departmentId);
      const roles = await resolveRoles(db, input.roleCodes);
      assertRolesAllowed(input.displayName, roles);
      const postIds = await resolvePosts(db, input.postIds);
      if (await findUserIdByUsername(db, input.username)) {
        throw new AppError('CONFLICT', `用户名“${input.username}”已存在`);
      }
      const password = input.password ?? newPassword();
      const id = await conflictOnDuplicate(
        () =>
          db.transaction().execute(async (tx) => {
            const row = await tx
              .insertInto('app_user')
              .values({
                username: input.username,
                display_name: input.displayName,
                department_id: input.departmentId,
                // Unusable until setPassword below stores the real hash in the same transaction.
                password_hash: '!',
                must_change_password: true,
                cert_no: input.certNo,
                cert_valid_until: input.certValidUntil,
                ...phoneColumns(input.phone),
              })
              .returning('id')
              .executeTakeFirstOrThrow();
            await replaceRoles(
              tx,
              row.id,
              roles.map((r) => r.id),
            );
            await replacePosts(tx, row.id, postIds);
            await deps.setPassword(tx, row.id, password, { mustChange: true });
            return row.id;
          }),
        `用户名“${input.username}”已存在`,
      );
      return { user: await getOr404(null, id), initialPassword: input.password ? null : password };
    },

    async update(viewer: SessionUser, id: number, input: UserInput) {
      const before = await getOr404(viewer, id);
      await assertDepartmentVisible(viewer, input.departmentId);
      const roles = await resolveRoles(db, input.roleCodes);
      const rolesChanged =
        [...new Set(input.roleCodes)].sort().join() !==
        before.roles
          .map((r) => r.code)
          .sort()
          .join();
      if (rolesChanged && id === viewer.id) {
        throw new AppError('FORBIDDEN', '不能修改自己的角色，请由其他系统管理员操作');
      }
      assertRolesAllowed(input.displayName, roles);
      const postIds = await resolvePosts(db, input.postIds);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('app_user')
          .set({
            display_name: input.displayName,
            department_id: input.departmentId,
            cert_no: input.certNo,
            cert_valid_until: input.certValidUntil,
            ...phoneColumns(input.phone),
            updated_at: new Date(),
          })
          .where('id', '=', id)
          .execute();
        await replacePosts(tx, id, postIds);
        if (rolesChanged) {
          await replaceRoles(
            tx,
            id,
            roles.map((r) => r.id),
          );
          await assertSysadminRemains(tx);
        }
      });
      return { before, after: await getOr404(null, id), rolesChanged };
    },

    /** Enable or disable an account; disabling ends every session of it at once. */
    async setStatus(viewer: SessionUser, id: number, status: UserStatus) {
      const before = await getOr404(viewer, id);
      if (status === 'disabled' && id === viewer.id) {
        throw new AppError('FORBIDDEN', '不能停用自己的账号');
      }
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('app_user')
          .set({ status, updated_at: new Date() })
          .where('id', '=', id)
          .execute();
        if (status === 'disabled') {
          await endSessions(tx, id);
          await assertSysadminRemains(tx);
        }
      });
      return { before, after: await getOr404(null, id) };
    },

    /** A new one-time password, to be changed at the next sign-in; existing sessions of the account end. */
    async resetPassword(viewer: Viewer, id: number): Promise<{ user: User; password: string }> {
      const user = await getOr404(viewer, id);
      const password = newPassword();
      await db.transaction().execute(async (tx) => {
        await deps.setPassword(tx, id, password, { mustChange: true });
        await endSessions(tx, id);
      });
      return { user, password };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
