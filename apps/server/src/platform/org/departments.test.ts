import type { DepartmentNode } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { insertRole, insertUser } from '../../../test/roles-support.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  await org.user('sysadm', 'sysadmin');
  admin = await login(t.app, 'sysadm');
});
afterAll(() => t.close());

const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, s = admin) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });

async function create(body: Record<string, unknown>) {
  const res = await api('POST', '/api/system/departments', { sort: 0, regionCode: null, ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: number; parentId: number | null; name: string };
}

async function pathOf(id: number) {
  const r = await t.ctx.db
    .selectFrom('department')
    .select('path')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return r.path;
}

function find(nodes: DepartmentNode[], id: number): DepartmentNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = find(n.children, id);
    if (hit) return hit;
  }
  return undefined;
}

describe('department tree', () => {
  it('creates a 分局 with a 所 below it and shows both in the tree with user counts', async () => {
    const branch = await create({
      parentId: org.bureauId,
      name: '开发区分局',
      kind: 'branch',
      code: 'D-BR1',
    });
    const station = await create({
      parentId: branch.id,
      name: '开发区市场监管所',
      kind: 'station',
      code: 'D-BR1-S1',
    });
    expect(await pathOf(station.id)).toBe(`/${org.bureauId}/${branch.id}/${station.id}/`);
    await org.user('dev_officer', 'officer', station.id);

    const tree = (await api('GET', '/api/system/departments/tree')).json().items as DepartmentNode[];
    const b = find(tree, branch.id)!;
    expect(b.children.map((c) => c.name)).toEqual(['开发区市场监管所']);
    expect(b.children[0]!.userCount).toBe(1);
    expect(b.subtreeUserCount).toBe(1);
    expect(find(tree, org.bureauId)!.subtreeUserCount).toBeGreaterThanOrEqual(2);
  });

  it('refuses a parent that does not fit the kind, and a duplicate code', async () => {
    const stationUnderStation = await api('POST', '/api/system/departments', {
      parentId: org.stations[0],
      name: '错误的所',
      kind: 'station',
      code: 'D-BAD',
    });
    expect(stationUnderStation.statusCode).toBe(400);
    expect(stationUnderStation.json().message).toContain('不能设在市场监管所下');

    const topLevelOffice = await api('POST', '/api/system/departments', {
      parentId: null,
      name: '无上级科室',
      kind: 'office',
      code: 'D-BAD2',
    });
    expect(topLevelOffice.statusCode).toBe(400);

    const dup = await api('POST', '/api/system/departments', {
      parentId: org.bureauId,
      name: '重复编码',
      kind: 'office',
      code: 'T-ST1',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toContain('T-ST1');
  });

  it('moves a department with its whole subtree and rewrites every descendant path', async () => {
    const a = await create({ parentId: org.bureauId, name: '甲分局', kind: 'branch', code: 'MV-A' });
    const b = await create({ parentId: org.bureauId, name: '乙分局', kind: 'branch', code: 'MV-B' });
    const s1 = await create({ parentId: a.id, name: '甲一所', kind: 'station', code: 'MV-A1' });
    const s2 = await create({ parentId: a.id, name: '甲二所', kind: 'station', code: 'MV-A2' });

    // 甲分局 becomes a 科室? Not while 所 hang below it.
    const badKind = await api('PUT', `/api/system/departments/${a.id}`, {
      parentId: org.bureauId,
      name: '甲分局',
      kind: 'office',
      code: 'MV-A',
    });
    expect(badKind.statusCode).toBe(400);

    // Move 甲一所 under 乙分局 and rename it.
    const moved = await api('PUT', `/api/system/departments/${s1.id}`, {
      parentId: b.id,
      name: '乙一所',
      kind: 'station',
      code: 'MV-B1',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ parentId: b.id, name: '乙一所', code: 'MV-B1' });
    expect(await pathOf(s1.id)).toBe(`/${org.bureauId}/${b.id}/${s1.id}/`);
    expect(await pathOf(s2.id)).toBe(`/${org.bureauId}/${a.id}/${s2.id}/`);

    // A whole 分局 under the top bureau's other 分局 is refused by kind; under a new 局 it is fine.
    const city = await create({ parentId: null, name: '上级局', kind: 'bureau', code: 'MV-CITY' });
    const movedA = await api('PUT', `/api/system/departments/${a.id}`, {
      parentId: city.id,
      name: '甲分局',
      kind: 'branch',
      code: 'MV-A',
    });
    expect(movedA.statusCode, movedA.body).toBe(200);
    expect(await pathOf(a.id)).toBe(`/${city.id}/${a.id}/`);
    expect(await pathOf(s2.id)).toBe(`/${city.id}/${a.id}/${s2.id}/`);

    // Subtree user query follows the move.
    await org.user('moved_officer', 'officer', s2.id);
    const list = await api('GET', `/api/system/users?departmentId=${city.id}`);
    expect(list.json().items.map((u: { username: string }) => u.username)).toEqual(['moved_officer']);
  });

  it('refuses moving a department under itself or its own descendant', async () => {
    const top = await create({ parentId: null, name: '循环局', kind: 'bureau', code: 'CY-TOP' });
    const sub = await create({ parentId: top.id, name: '循环下级局', kind: 'bureau', code: 'CY-SUB' });
    for (const parentId of [top.id, sub.id]) {
      const res = await api('PUT', `/api/system/departments/${top.id}`, {
        parentId,
        name: '循环局',
        kind: 'bureau',
        code: 'CY-TOP',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('DEPARTMENT_MOVE_INVALID');
    }
    expect(await pathOf(top.id)).toBe(`/${top.id}/`);
  });

  it('refuses deleting a department that still has children or users, with the reason', async () => {
    const withChild = await api('DELETE', `/api/system/departments/${org.bureauId}`);
    expect(withChild.statusCode).toBe(409);
    expect(withChild.json().message).toMatch(/下级部门.*用户/);

    const empty = await create({ parentId: org.bureauId, name: '待撤销科', kind: 'office', code: 'DEL-1' });
    const ok = await api('DELETE', `/api/system/departments/${empty.id}`);
    expect(ok.statusCode).toBe(204);
    expect((await api('GET', `/api/system/departments/${empty.id}`)).statusCode).toBe(404);
  });

  it('shows a 本部门 reader only their department, and hides others by id', async () => {
    const role = await insertRole(
      t.ctx.db,
      'dept_reader',
      ['system:department:read', 'system:department:update'],
      'department',
    );
    await insertUser(t.ctx.db, 'east_reader', org.stations[0]!, [role]);
    const s = await login(t.app, 'east_reader');
    const tree = (await api('GET', '/api/system/departments/tree', undefined, s)).json().items;
    expect(tree.map((n: DepartmentNode) => n.id)).toEqual([org.stations[0]]);
    expect((await api('GET', `/api/system/departments/${org.stations[1]}`, undefined, s)).statusCode).toBe(
      404,
    );
    const rename = await api(
      'PUT',
      `/api/system/departments/${org.stations[1]}`,
      { parentId: org.bureauId, name: '被改名', kind: 'station', code: 'T-ST2', sort: 0, regionCode: null },
      s,
    );
    expect(rename.statusCode).toBe(404);
    const west = await t.ctx.db
      .selectFrom('department')
      .select('name')
      .where('id', '=', org.stations[1]!)
      .executeTakeFirstOrThrow();
    expect(west.name).toBe('城西市场监管所');
  });
});
