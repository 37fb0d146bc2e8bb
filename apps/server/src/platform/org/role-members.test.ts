import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/fixtures.ts';
import {
  caller,
  insertRole,
  type RolesTestBed,
  roleBody as body,
  startRolesTestBed,
} from '../../../test/roles-support.ts';

let bed: RolesTestBed;
const sys = (...args: Parameters<RolesTestBed['sys']>) => bed.sys(...args);

beforeAll(async () => {
  bed = await startRolesTestBed();
});

afterAll(async () => {
  await bed?.close();
});

describe('roles: members and data scope', () => {
  it('lists and changes members only within the acting user’s data scope', async () => {
    const officer = await insertRole(bed.t.ctx.db, 'scoped_team', ['clue:clue:read']);
    await bed.t.ctx.db
      .insertInto('user_role')
      .values([
        { user_id: bed.ids.officerA, role_id: officer },
        { user_id: bed.ids.officerB, role_id: officer },
      ])
      .execute();
    const scoped = caller(bed.t.app, await login(bed.t.app, 'roleadmin_a'));
    const list = await scoped('GET', `/api/system/roles/${officer}/members`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((m: { username: string }) => m.username)).toEqual(['officer_a']);
    const roles = (await scoped('GET', '/api/system/roles')).json().items as {
      code: string;
      memberCount: number;
    }[];
    expect(roles.find((r) => r.code === 'scoped_team')!.memberCount).toBe(1);

    // Station B's user cannot be added or removed, and the answer does not reveal that the user exists.
    const add = await scoped('POST', `/api/system/roles/${officer}/members`, { userIds: [bed.ids.officerB] });
    expect(add.statusCode).toBe(404);
    const remove = await scoped('DELETE', `/api/system/roles/${officer}/members/${bed.ids.officerB}`);
    expect(remove.statusCode).toBe(404);
    const count = await bed.t.ctx.db
      .selectFrom('user_role')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('role_id', '=', officer)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);

    const candidates = await scoped('GET', `/api/system/roles/${officer}/candidates`);
    expect(
      candidates.json().items.every((u: { departmentId: number }) => u.departmentId === bed.org.stations[0]),
    ).toBe(true);
    // A scoped administrator cannot hand out 全部 data scope.
    const escalate = await scoped('POST', '/api/system/roles', body({ code: 'wide', dataScope: 'all' }));
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json().code).toBe('SCOPE_ESCALATION');
  });

  it('refuses self-assignment and removing the last active system administrator', async () => {
    const roles = (await sys('GET', '/api/system/roles')).json().items as { id: number; code: string }[];
    const sysadminId = roles.find((r) => r.code === 'sysadmin')!.id;
    const self = await sys('DELETE', `/api/system/roles/${sysadminId}/members/${bed.ids.sys}`);
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('ROLE_SELF_ASSIGNMENT');

    expect((await sys('DELETE', `/api/system/roles/${sysadminId}/members/${bed.ids.sys2}`)).statusCode).toBe(
      204,
    );
    const admin = caller(bed.t.app, await login(bed.t.app, 'roleadmin_all'));
    const last = await admin('DELETE', `/api/system/roles/${sysadminId}/members/${bed.ids.sys}`);
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('LAST_SYSADMIN');
    const members = await admin('GET', `/api/system/roles/${sysadminId}/members`);
    expect(members.json().items.map((m: { username: string }) => m.username)).toEqual(['sys']);
  });
});

describe('GET /api/system/permissions', () => {
  it('returns the catalogue tree with the roles holding each entry', async () => {
    const res = await sys('GET', '/api/system/permissions');
    expect(res.statusCode).toBe(200);
    const nodes = res.json().nodes as {
      key: string;
      parentKey: string | null;
      type: string;
      permission: string | null;
      roles: { code: string }[];
    }[];
    const grids = nodes.find((n) => n.key === '/system/grids')!;
    expect(grids).toMatchObject({ type: 'menu', parentKey: 'dir:system', permission: 'system:grid:read' });
    expect(grids.roles.map((r) => r.code)).toEqual(['sysadmin']);
    const logs = nodes.find((n) => n.key === '/audit/logs')!;
    expect(logs.roles.map((r) => r.code)).toEqual(['auditor']);
    const create = nodes.find((n) => n.key === 'system:grid:create')!;
    expect(create).toMatchObject({ type: 'button', parentKey: '/system/grids' });
  });

  it('is refused to roles without system:role:read', async () => {
    const res = await bed.t.app.inject({
      method: 'GET',
      url: '/api/system/permissions',
      headers: (await login(bed.t.app, 'auditor1')).headers,
    });
    expect(res.statusCode).toBe(403);
  });
});
