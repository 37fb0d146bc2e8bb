import {
  ALLOWED_PARENT_KINDS,
  DEPARTMENT_KIND_LABELS,
  type Department,
  type DepartmentNode,
} from '@rongjian/shared/api';
import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import type { DB, DepartmentKind } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import {
  childKinds,
  type DepartmentRow,
  deleteDepartment,
  departmentDependents,
  findDepartmentByCode,
  findVisibleDepartment,
  insertDepartment,
  listVisibleDepartments,
  moveSubtree,
  updateDepartmentFields,
} from './departments.repo.ts';
import { conflictOnDuplicate } from './org.errors.ts';

type Viewer = Pick<SessionUser, 'id' | 'scope'>;

export interface DepartmentInput {
  parentId: number | null;
  name: string;
  kind: DepartmentKind;
  code: string;
  sort: number;
  regionCode: string | null;
}

export function toDepartment(r: DepartmentRow): Department {
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    kind: r.kind,
    code: r.code,
    sort: r.sort,
    regionCode: r.region_code,
    userCount: r.user_count,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Nest the visible departments; one whose parent is not visible becomes a root of the viewer's forest. */
export function buildTree(rows: DepartmentRow[]): DepartmentNode[] {
  const nodes = new Map<number, DepartmentNode>();
  for (const r of rows) nodes.set(r.id, { ...toDepartment(r), subtreeUserCount: r.user_count, children: [] });
  const roots: DepartmentNode[] = [];
  for (const r of rows) {
    const node = nodes.get(r.id)!;
    const parent = r.parent_id === null ? undefined : nodes.get(r.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  const total = (n: DepartmentNode): number => {
    n.subtreeUserCount = n.userCount + n.children.reduce((s, c) => s + total(c), 0);
    return n.subtreeUserCount;
  };
  for (const r of roots) total(r);
  return roots;
}

function assertParentKind(kind: DepartmentKind, parentKind: DepartmentKind | null): void {
  if (ALLOWED_PARENT_KINDS[kind].includes(parentKind)) return;
  const label = DEPARTMENT_KIND_LABELS[kind];
  const allowed = ALLOWED_PARENT_KINDS[kind]
    .map((k) => (k === null ? '顶级' : DEPARTMENT_KIND_LABELS[k]))
    .join('或');
  const where = parentKind === null ? '顶级' : `${DEPARTMENT_KIND_LABELS[parentKind]}下`;
  throw new AppError('DEPARTMENT_PARENT_INVALID', `${label}不能设在${where}，只能设在${allowed}下`);
}

export function createDepartmentService(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  async function visibleOr404(viewer: Viewer, id: number): Promise<DepartmentRow> {
    const d = await findVisibleDepartment(db, viewer, id);
    if (!d) throw notFound('部门');
    return d;
  }

  /** The parent a department may be attached to: null (a top-level 局) needs the 全部 scope. */
  async function parentFor(viewer: Viewer, parentId: number | null) {
    if (parentId === null) {
      if (!viewer.scope.all) throw new AppError('FORBIDDEN', '只有数据范围为“全部”的用户可以创建顶级部门');
      return { kind: null, path: '/' };
    }
    const p = await visibleOr404(viewer, parentId);
    return { kind: p.kind, path: p.path };
  }

  async function assertCodeFree(code: string, exceptId?: number) {
    const other = await findDepartmentByCode(db, code);
    if (other && other.id !== exceptId) throw new AppError('CONFLICT', `部门编码“${code}”已被使用`);
  }

  return {
    async tree(viewer: Viewer): Promise<DepartmentNode[]> {
      return buildTree(await listVisibleDepartments(db, viewer));
    },

    async get(viewer: Viewer, id: number): Promise<Department> {
      return toDepartment(await visibleOr404(viewer, id));
    },

    async create(viewer: Viewer, input: DepartmentInput): Promise<Department> {
      const parent = await parentFor(viewer, input.parentId);
      assertParentKind(input.kind, parent.kind);
      await assertCodeFree(input.code);
      const id = await conflictOnDuplicate(
        () => db.transaction().execute((tx) => insertDepartment(tx, { ...input, parentPath: parent.path })),
        `部门编码“${input.code}”已被使用`,
      );
      // Unscoped: a department created just now is not yet in the session's resolved department list.
      return toDepartment((await findVisibleDepartment(db, null, id))!);
    },

    /** Rename, re-code, change kind or move (with its whole subtree) under another parent. */
    async update(viewer: Viewer, id: number, input: DepartmentInput) {
      const current = await visibleOr404(viewer, id);
      const moving = input.parentId !== current.parent_id;
      let newPath = current.path;
      let parentKind: DepartmentKind | null;
      if (moving) {
        const parent = await parentFor(viewer, input.parentId);
        if (parent.path.startsWith(current.path)) {
          throw new AppError('DEPARTMENT_MOVE_INVALID', '不能把部门移动到它自己或它的下级部门之下');
        }
        parentKind = parent.kind;
        newPath = `${parent.path}${id}/`;
      } else {
        parentKind =
          current.parent_id === null
            ? null
            : ((await findVisibleDepartment(db, null, current.parent_id))?.kind ?? null);
      }
      assertParentKind(input.kind, parentKind);
      for (const child of await childKinds(db, id)) {
        if (!ALLOWED_PARENT_KINDS[child].includes(input.kind)) {
          throw new AppError(
            'DEPARTMENT_PARENT_INVALID',
            `该部门下有${DEPARTMENT_KIND_LABELS[child]}，不能改为${DEPARTMENT_KIND_LABELS[input.kind]}`,
          );
        }
      }
      await assertCodeFree(input.code, id);
      await conflictOnDuplicate(
        () =>
          db.transaction().execute(async (tx) => {
            await updateDepartmentFields(tx, id, input);
            if (moving) await moveSubtree(tx, id, current.path, input.parentId, newPath);
          }),
        `部门编码“${input.code}”已被使用`,
      );
      const after = (await findVisibleDepartment(db, null, id))!;
      return { before: toDepartment(current), after: toDepartment(after) };
    },

    async remove(viewer: Viewer, id: number): Promise<Department> {
      const current = await visibleOr404(viewer, id);
      const dep = await departmentDependents(db, id);
      const reasons = [
        dep.children && `${dep.children} 个下级部门`,
        dep.users && `${dep.users} 名用户`,
        dep.grids && `${dep.grids} 个网格`,
        dep.entities && `${dep.entities} 户经营主体`,
      ].filter(Boolean);
      if (reasons.length > 0) {
        throw new AppError(
          'DEPARTMENT_IN_USE',
          `“${current.name}”下还有${reasons.join('、')}，请先移走或删除后再删除该部门`,
          { status: 409 },
        );
      }
      await db.transaction().execute((tx) => deleteDepartment(tx, id));
      return toDepartment(current);
    },
  };
}

export type DepartmentService = ReturnType<typeof createDepartmentService>;
