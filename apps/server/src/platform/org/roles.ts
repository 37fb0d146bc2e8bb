import type { DataScope } from '../db/schema.ts';

/**
 * Built-in roles. The three administrators are separated as 等保三级 requires: none of them can do another's work,
 * and none of them handles regulatory business (not even the county overview). Business roles never get
 * `system:`, `security:` or `audit:` permissions except the shared `system:calendar:read` (roles.rules.ts).
 * Every permission here must exist in permissions.catalog.ts (a test checks it).
 */
export interface RoleDefinition {
  code: string;
  name: string;
  dataScope: DataScope;
  permissions: string[];
}

const BUSINESS_READ = [
  'overview:county:read',
  'entity:profile:read',
  'entity:map:read',
  'ledger:event:read',
  'inbox:item:read',
];

export const BUILTIN_ROLES: readonly RoleDefinition[] = [
  {
    code: 'sysadmin',
    name: '系统管理员',
    dataScope: 'all',
    permissions: [
      'system:user:*',
      'system:role:*',
      'system:department:*',
      'system:grid:*',
      'system:post:*',
      'system:dict:*',
      'system:setting:*',
      'system:calendar:*',
      'system:notice:*',
      'system:job:*',
      'system:exchange:*',
      'system:open311:*',
    ],
  },
  {
    code: 'secadmin',
    name: '安全管理员',
    dataScope: 'all',
    permissions: ['security:policy:*', 'security:session:*', 'security:key:*'],
  },
  { code: 'auditor', name: '审计管理员', dataScope: 'all', permissions: ['audit:log:*'] },
  {
    code: 'director',
    name: '局长',
    dataScope: 'all',
    permissions: [
      ...BUSINESS_READ,
      'entity:*:*',
      'clue:*:*',
      'analysis:*:*',
      'dispatch:*:*',
      'inspection:*:*',
      'enforcement:*:*',
      'oversight:*:*',
      'system:calendar:read',
      'pii:value:reveal',
    ],
  },
  {
    code: 'station_head',
    name: '所长',
    dataScope: 'department_tree',
    permissions: [
      ...BUSINESS_READ,
      'clue:*:*',
      'dispatch:order:read',
      'dispatch:order:sign',
      'dispatch:order:handle',
      'dispatch:order:return',
      'dispatch:order:transfer',
      'dispatch:order:extend',
      'dispatch:order:approve',
      'dispatch:availability:*',
      'inspection:*:*',
      'enforcement:*:*',
      'system:calendar:read',
      'pii:value:reveal',
    ],
  },
  {
    code: 'officer',
    name: '执法人员',
    dataScope: 'department',
    permissions: [
      ...BUSINESS_READ,
      'clue:*:*',
      'dispatch:order:read',
      'dispatch:order:sign',
      'dispatch:order:handle',
      'dispatch:order:extend',
      'inspection:*:*',
      'enforcement:case:*',
      'system:calendar:read',
    ],
  },
  {
    code: 'analyst',
    name: '研判员',
    dataScope: 'all',
    permissions: [
      ...BUSINESS_READ,
      'clue:*:read',
      'analysis:*:*',
      'dispatch:order:read',
      'system:calendar:read',
    ],
  },
  {
    code: 'dispatcher',
    name: '调度员',
    dataScope: 'all',
    permissions: [
      ...BUSINESS_READ,
      'clue:*:*',
      'analysis:judgment:read',
      'dispatch:*:*',
      'system:calendar:read',
    ],
  },
  {
    code: 'clerk',
    name: '科室工作人员',
    dataScope: 'department_tree',
    // Office staff take calls, visits and letters: they register clues; handling stays with officers.
    permissions: [
      ...BUSINESS_READ,
      'clue:*:read',
      'clue:clue:create',
      'clue:clue:update',
      'system:calendar:read',
    ],
  },
];
