import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, expand, flattenCatalog, isKnownPermission } from './permissions.catalog.ts';
import { dutyOf, separationViolation } from './roles.rules.ts';
import { BUILTIN_ROLES } from './roles.ts';

const nodes = flattenCatalog();

describe('permission catalogue', () => {
  it('is a well-formed tree: unique keys, menus with paths, buttons with permissions', () => {
    const keys = nodes.map((n) => n.node.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const { node, parentKey } of nodes) {
      expect(node.permission === null || /^[a-z]+(:[a-z0-9-]+){2}$/.test(node.permission), node.key).toBe(
        true,
      );
      if (node.type === 'directory') {
        expect(parentKey, node.key).toBeNull();
        expect(node.children.length, node.key).toBeGreaterThan(0);
      }
      if (node.type === 'menu') expect(node.path && node.permission, node.key).toBeTruthy();
      if (node.type === 'button') {
        expect(node.permission, node.key).toBeTruthy();
        expect(node.children).toEqual([]);
      }
      // A child never serves another duty than its parent.
      const parent = nodes.find((p) => p.node.key === parentKey)?.node;
      if (parent) expect(node.duty, node.key).toBe(parent.duty);
    }
  });

  it('expands wildcards to the concrete entries they cover', () => {
    expect(expand(['system:grid:*'])).toEqual([
      'system:grid:read',
      'system:grid:create',
      'system:grid:update',
      'system:grid:delete',
    ]);
    expect(expand(['audit:*:*'])).toEqual(['audit:log:read']);
    expect(expand(['nothing:here:*'])).toEqual([]);
    expect(isKnownPermission('system:role:update')).toBe(true);
    expect(isKnownPermission('system:role:fly')).toBe(false);
    expect(isKnownPermission('ghost:*:*')).toBe(false);
  });

  it('covers every permission of every built-in role, and the built-in roles keep the separation', () => {
    for (const role of BUILTIN_ROLES) {
      for (const p of role.permissions) expect(isKnownPermission(p), `${role.code}: ${p}`).toBe(true);
      expect(separationViolation(role.permissions), role.code).toBeNull();
    }
    const duty = (code: string) => dutyOf(BUILTIN_ROLES.find((r) => r.code === code)!.permissions);
    expect([duty('sysadmin'), duty('secadmin'), duty('auditor')]).toEqual(['system', 'security', 'audit']);
    for (const code of ['director', 'station_head', 'officer', 'analyst', 'dispatcher', 'clerk']) {
      expect(duty(code), code).toBe('business');
    }
    // The audit administrator can read audit logs and nothing else.
    expect(expand(BUILTIN_ROLES.find((r) => r.code === 'auditor')!.permissions)).toEqual(['audit:log:read']);
    // The system administrator holds no audit permission at all.
    expect(
      expand(BUILTIN_ROLES.find((r) => r.code === 'sysadmin')!.permissions).some((p) =>
        p.startsWith('audit:'),
      ),
    ).toBe(false);
  });

  it('lists every menu entry of the web console with the same path and permission', () => {
    const menuFile = fileURLToPath(new URL('../../../../web/src/console/layout/menu.tsx', import.meta.url));
    const source = fs.readFileSync(menuFile, 'utf8');
    const entries = [...source.matchAll(/path: '([^']+)',\s*permission: '([^']+)'/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(entries.length).toBeGreaterThan(10);
    for (const [path, permission] of entries) {
      const menu = nodes.find((n) => n.node.type === 'menu' && n.node.path === path)?.node;
      expect(menu?.permission, path).toBe(permission);
    }
  });
});

describe('separation of duties', () => {
  it('allows one administrator duty, or business work with the shared calendar reading', () => {
    expect(separationViolation(['system:user:*', 'system:grid:*'])).toBeNull();
    expect(separationViolation(['security:policy:*'])).toBeNull();
    expect(separationViolation(['clue:*:*', 'system:calendar:read'])).toBeNull();
    expect(separationViolation(['system:calendar:*', 'system:user:read'])).toBeNull();
    expect(separationViolation([])).toBeNull();
  });

  it('refuses mixed administrator duties and administration with business, explaining in Chinese', () => {
    expect(separationViolation(['system:user:read', 'security:session:read'])).toMatch(
      /三员分立.*「系统管理」（如 用户管理（system:user:read））与「安全管理」/,
    );
    expect(separationViolation(['*:*:*'])).toContain('三员分立');
    expect(separationViolation(['audit:log:read', 'system:calendar:read'])).toContain('「安全审计」');
    expect(separationViolation(['system:calendar:update', 'clue:clue:read'])).toContain('业务权限');
    expect(separationViolation(['security:key:rotate', 'pii:value:reveal'])).toContain('业务权限');
  });

  it('knows every catalogue permission', () => {
    expect(ALL_PERMISSIONS.length).toBeGreaterThan(50);
    for (const p of ALL_PERMISSIONS) expect(isKnownPermission(p)).toBe(true);
  });
});
