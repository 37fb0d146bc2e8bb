import type { RoleMember, RoleMemberPage } from '@rongjian/shared/api';
import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import * as repo from './role-members.repo.ts';
import { findRole, lockRole } from './roles.repo.ts';
import { assertUserRolesSeparated } from './roles.rules.ts';
import { snapshot } from './roles.service.ts';

/**
 * Who holds a role. Members are listed, added and removed only within the acting user's data scope (others are
 * 404, as if they did not exist); one user's roles together must keep the separation of duties; nobody changes
 * their own roles; the last active 系统管理员 stays.
 */
function toMember(r: repo.MemberRow): RoleMember {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    departmentId: r.department_id,
    departmentName: r.department_name,
    status: r.status,
  };
}

function refuseSelf(actor: SessionUser, userIds: readonly number[]) {
  if (userIds.includes(actor.id)) {
    throw new AppError('ROLE_SELF_ASSIGNMENT', '不能为自己分配或移除角色，请由其他管理员操作', {
      status: 403,
    });
  }
}

export function createRoleMemberService({ db }: { db: Kysely<DB> }) {
  async function mustFind(id: number) {
    const role = await findRole(db, id);
    if (!role) throw notFound('角色');
    return role;
  }

  return {
    async members(
      viewer: SessionUser,
      roleId: number,
      q: { keyword?: string; after?: number; limit: number },
    ): Promise<RoleMemberPage> {
      await mustFind(roleId);
      const rows = await repo.listUsers(db, viewer, { roleId, member: true, ...q, limit: q.limit + 1 });
      const items = rows.slice(0, q.limit).map(toMember);
      return { items, nextAfter: rows.length > q.limit ? items[items.length - 1]!.id : null };
    },

    /** Users in scope who do not hold the role yet (for the 添加成员 picker). */
    async candidates(viewer: SessionUser, roleId: number, q: { keyword?: string; limit: number }) {
      await mustFind(roleId);
      return (await repo.listUsers(db, viewer, { roleId, member: false, ...q })).map(toMember);
    },

    async addMembers(actor: SessionUser, roleId: number, userIds: number[]) {
      const ids = [...new Set(userIds)];
      refuseSelf(actor, ids);
      return db.transaction().execute(async (tx) => {
        const role = await lockRole(tx, roleId);
        if (!role) throw notFound('角色');
        const visible = await repo.usersInScope(tx, actor, ids);
        if (visible.length !== ids.length) throw notFound('用户');
        const roles = await repo.rolesOfUsers(tx, ids);
        for (const u of visible) {
          const set = (roles.get(u.id) ?? []).filter((r) => r.id !== roleId);
          assertUserRolesSeparated({ displayName: u.display_name }, [...set, role]);
        }
        const added = await repo.addMembers(tx, roleId, ids);
        return { role: snapshot(role), added };
      });
    },

    async removeMember(actor: SessionUser, roleId: number, userId: number) {
      refuseSelf(actor, [userId]);
      return db.transaction().execute(async (tx) => {
        const role = await lockRole(tx, roleId);
        if (!role) throw notFound('角色');
        const [user] = await repo.usersInScope(tx, actor, [userId]);
        if (!user || !(await repo.removeMember(tx, roleId, userId))) throw notFound('成员');
        // Checked after the delete (same transaction, rolled back on refusal) so that only a real member counts.
        if (
          role.code === 'sysadmin' &&
          user.status === 'active' &&
          (await repo.countMembers(tx, roleId, true)) === 0
        ) {
          throw new AppError('LAST_SYSADMIN', '不能移除最后一名在用的系统管理员', { status: 409 });
        }
        return { role: snapshot(role) };
      });
    },
  };
}

export type RoleMemberService = ReturnType<typeof createRoleMemberService>;
