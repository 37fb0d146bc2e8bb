import type { RoleDetail, RoleSummary } from '@rongjian/shared/api';
import type { Kysely, Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { hasPermission } from '../auth/permissions.ts';
import type { DataScope, DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { conflictOnDuplicate } from './org.errors.ts';
import { expand, isKnownPermission } from './permissions.catalog.ts';
import * as members from './role-members.repo.ts';
import * as repo from './roles.repo.ts';
import { assertSeparated, assertUserRolesSeparated, DUTY_LABELS, dutyOf } from './roles.rules.ts';
import { BUILTIN_ROLES } from './roles.ts';

/**
 * Roles: permissions from the catalogue plus a data scope. Every change keeps the separation of duties, for the
 * role itself and for each member's whole set of roles; built-in roles keep their code, name and duty.
 * Changes return a before/after snapshot for the audit record (role changes are security events).
 */
export interface RoleInput {
  code: string;
  name: string;
  dataScope: DataScope;
  scopeDepartmentIds: number[];
  permissions: string[];
}

export type RoleSnapshot = RoleInput;

export const snapshot = (r: repo.RoleRow): RoleSnapshot => ({
  code: r.code,
  name: r.name,
  dataScope: r.data_scope,
  scopeDepartmentIds: r.scope_department_ids,
  permissions: r.permissions,
});

function toSummary(r: repo.RoleRow, memberCount: number): RoleSummary {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    dataScope: r.data_scope,
    scopeDepartmentIds: r.scope_department_ids,
    permissions: r.permissions,
    builtin: r.builtin,
    duty: dutyOf(r.permissions),
    memberCount,
  };
}

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { details: [{ path, message }] });

export function createRoleService({ db }: { db: Kysely<DB> }) {
  /** Checks and normalises what a role may be set to by this actor. */
  async function checkInput(tx: Transaction<DB>, actor: SessionUser, input: RoleInput): Promise<RoleInput> {
    const permissions = [...new Set(input.permissions)];
    const unknown = permissions.filter((p) => !isKnownPermission(p));
    if (unknown.length > 0) throw invalid('permissions', `权限不存在于权限目录中：${unknown.join('、')}`);
    assertSeparated(permissions);
    if (input.dataScope === 'all' && !actor.scope.all) {
      throw new AppError('SCOPE_ESCALATION', '您的数据权限不是“全部数据”，不能设置“全部数据”权限的角色', {
        status: 403,
      });
    }
    let scopeDepartmentIds: number[] = [];
    if (input.dataScope === 'custom') {
      scopeDepartmentIds = [...new Set(input.scopeDepartmentIds)].sort((a, b) => a - b);
      if (scopeDepartmentIds.length === 0) {
        throw invalid('scopeDepartmentIds', '数据权限为“指定部门”时，请至少选择一个部门');
      }
      const visible = new Set((await repo.departmentsInScope(tx, actor)).map((d) => d.id));
      if (scopeDepartmentIds.some((id) => !visible.has(id))) {
        throw invalid('scopeDepartmentIds', '所选部门不存在或不在您的数据权限范围内');
      }
    }
    return { ...input, permissions, scopeDepartmentIds };
  }

  /** Built-in roles keep their code, name and duty; 系统管理员 keeps role administration (or nobody could). */
  function checkBuiltin(role: repo.RoleRow, next: RoleInput): void {
    if (!role.builtin) return;
    if (next.code !== role.code || next.name !== role.name) {
      throw new AppError('ROLE_BUILTIN_PROTECTED', '内置角色的编码和名称不能修改', { status: 409 });
    }
    const def = BUILTIN_ROLES.find((b) => b.code === role.code);
    const duty = def ? dutyOf(def.permissions) : null;
    if (duty && dutyOf(next.permissions) !== duty) {
      throw new AppError(
        'ROLE_BUILTIN_PROTECTED',
        `内置角色「${role.name}」只能拥有「${DUTY_LABELS[duty]}」类权限`,
        {
          status: 409,
        },
      );
    }
    const keeps = ['system:role:read', 'system:role:update'].every((p) => hasPermission(next.permissions, p));
    if (role.code === 'sysadmin' && !keeps) {
      throw new AppError(
        'ROLE_BUILTIN_PROTECTED',
        '系统管理员角色必须保留角色管理的查看与修改权限，否则将无人能够再分配权限',
        {
          status: 409,
        },
      );
    }
  }

  /** Every member of `roleId` must still keep the separation with the role's new permissions. */
  async function checkMembers(tx: Transaction<DB>, roleId: number, name: string, permissions: string[]) {
    const holders = await members.allMembers(tx, roleId);
    const roles = await members.rolesOfUsers(
      tx,
      holders.map((m) => m.id),
    );
    for (const m of holders) {
      const set = (roles.get(m.id) ?? []).map((r) => (r.id === roleId ? { ...r, name, permissions } : r));
      assertUserRolesSeparated({ displayName: m.display_name }, set);
    }
  }

  async function detail(ex: repo.Executor, viewer: SessionUser, id: number): Promise<RoleDetail> {
    const [row] = await repo.listRoles(ex, viewer, { id });
    if (!row) throw notFound('角色');
    return {
      ...toSummary(row, row.member_count),
      effectivePermissions: expand(row.permissions),
      scopeDepartments: await repo.departmentNames(ex, row.scope_department_ids),
    };
  }

  return {
    async list(viewer: SessionUser, keyword?: string): Promise<RoleSummary[]> {
      return (await repo.listRoles(db, viewer, { keyword })).map((r) => toSummary(r, r.member_count));
    },

    get: (viewer: SessionUser, id: number) => detail(db, viewer, id),

    async create(actor: SessionUser, input: RoleInput) {
      return db.transaction().execute(async (tx) => {
        const next = await checkInput(tx, actor, input);
        if (await repo.roleCodeTaken(tx, next.code)) throw invalid('code', `角色编码 ${next.code} 已存在`);
        const id = await conflictOnDuplicate(
          () =>
            repo.insertRole(tx, {
              code: next.code,
              name: next.name,
              data_scope: next.dataScope,
              scope_department_ids: next.scopeDepartmentIds,
              permissions: next.permissions,
            }),
          `角色编码 ${next.code} 已存在`,
        );
        return { role: await detail(tx, actor, id), after: next };
      });
    },

    async update(actor: SessionUser, id: number, input: RoleInput) {
      return db.transaction().execute(async (tx) => {
        const role = await repo.lockRole(tx, id);
        if (!role) throw notFound('角色');
        const next = await checkInput(tx, actor, input);
        checkBuiltin(role, next);
        if (await repo.roleCodeTaken(tx, next.code, id))
          throw invalid('code', `角色编码 ${next.code} 已存在`);
        await checkMembers(tx, id, next.name, next.permissions);
        await conflictOnDuplicate(
          () =>
            repo.updateRole(tx, id, {
              code: next.code,
              name: next.name,
              data_scope: next.dataScope,
              scope_department_ids: next.scopeDepartmentIds,
              permissions: next.permissions,
            }),
          `角色编码 ${next.code} 已存在`,
        );
        return { role: await detail(tx, actor, id), before: snapshot(role), after: next };
      });
    },

    async remove(_actor: SessionUser, id: number) {
      return db.transaction().execute(async (tx) => {
        const role = await repo.lockRole(tx, id);
        if (!role) throw notFound('角色');
        if (role.builtin) throw new AppError('ROLE_BUILTIN_PROTECTED', '内置角色不能删除', { status: 409 });
        const count = await members.countMembers(tx, id);
        if (count > 0) {
          throw new AppError('ROLE_IN_USE', `该角色仍有 ${count} 名用户，请先移除全部成员后再删除`, {
            status: 409,
          });
        }
        await repo.deleteRole(tx, id);
        return { before: snapshot(role) };
      });
    },

    departmentOptions: (viewer: SessionUser) => repo.departmentsInScope(db, viewer),

    /** The catalogue with the roles that hold each entry. */
    async catalogHolders() {
      const roles = await repo.allRolePermissions(db);
      return roles.map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        covers: new Set(expand(r.permissions)),
      }));
    },
  };
}

export type RoleService = ReturnType<typeof createRoleService>;
