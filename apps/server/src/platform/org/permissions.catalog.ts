import { permissionMatches } from '../auth/permissions.ts';

/**
 * The permission catalogue: every menu and button of the console as data, so that roles are edited as a tree
 * (目录 → 菜单 → 按钮), a role can only hold permissions that exist, and a test can prove that every route's
 * permission is listed here. Permission strings are `module:object:action`.
 *
 * `duty` drives the separation of duties (等保三级): `system` (系统管理员), `security` (安全管理员), `audit`
 * (审计管理员) or `business` (regulatory work). A button marked `shared` is system reference data that business
 * roles may also read (see roles.rules.ts).
 */
export type PermissionNodeType = 'directory' | 'menu' | 'button';
export type Duty = 'system' | 'security' | 'audit' | 'business';

export interface PermissionNode {
  /** Stable key: `dir:<name>`, the menu's web path, or the button's permission (unique in the tree). */
  key: string;
  type: PermissionNodeType;
  label: string;
  permission: string | null;
  /** Web route of a menu. */
  path: string | null;
  duty: Duty;
  /** A system permission that business roles may hold too (reading shared reference data). */
  shared?: boolean;
  children: PermissionNode[];
}

type ButtonSpec = [action: string, label: string];

function dir(name: string, label: string, duty: Duty, children: PermissionNode[]): PermissionNode {
  return { key: `dir:${name}`, type: 'directory', label, permission: null, path: null, duty, children };
}

/** A menu whose page needs `<prefix>:read`, with one button per further action on the same object. */
function menu(
  label: string,
  path: string,
  prefix: string,
  duty: Duty,
  buttons: ButtonSpec[] = [],
  opts: { read?: string; shared?: boolean } = {},
): PermissionNode {
  return {
    key: path,
    type: 'menu',
    label,
    permission: opts.read ?? `${prefix}:read`,
    path,
    duty,
    ...(opts.shared ? { shared: true } : {}),
    children: buttons.map(([action, l]) => button(`${prefix}:${action}`, l, duty)),
  };
}

function button(permission: string, label: string, duty: Duty, shared = false): PermissionNode {
  return {
    key: permission,
    type: 'button',
    label,
    permission,
    path: null,
    duty,
    ...(shared ? { shared: true } : {}),
    children: [],
  };
}

const CRUD: ButtonSpec[] = [
  ['create', '新增'],
  ['update', '修改'],
  ['delete', '删除'],
];

export const PERMISSION_CATALOG: readonly PermissionNode[] = [
  dir('workbench', '工作台', 'business', [
    menu('县域概览', '/', 'overview:county', 'business'),
    menu('我的待办', '/inbox', 'inbox:item', 'business'),
    button('ledger:event:read', '查看流转台账', 'business'),
    button('pii:value:reveal', '查看完整个人信息', 'business'),
  ]),
  dir('entity', '经营主体', 'business', [
    menu('一户一档', '/entities', 'entity:profile', 'business', [
      ['create', '新增'],
      ['update', '修改'],
      ['export', '导出'],
    ]),
    menu('风险分类', '/risk', 'entity:risk', 'business', [['recompute', '重新计算']], {
      read: 'entity:profile:read',
    }),
    menu('一张图', '/map', 'entity:map', 'business', [['locate', '校正位置']]),
    menu('主体合并', '/entities/merges', 'entity:match', 'business', [['review', '确认/驳回']]),
    button('entity:merge:execute', '合并主体', 'business'),
    button('entity:merge:revert', '撤销合并', 'business'),
  ]),
  dir('clue', '线索归集', 'business', [
    menu('线索管理', '/clues', 'clue:clue', 'business', [
      ['create', '登记'],
      ['update', '修改'],
      ['handle', '处理'],
      ['merge', '并案'],
      ['export', '导出'],
    ]),
    menu('登记线索', '/clues/new', 'clue:clue', 'business', [], { read: 'clue:clue:create' }),
    menu('线索并案', '/clues/merges', 'clue:clue', 'business', [], { read: 'clue:clue:merge' }),
    menu('分拣规则', '/clues/sort-rules', 'clue:sort-rule', 'business', CRUD),
    menu('不予受理理由', '/clues/refusal-grounds', 'clue:refusal-ground', 'business', CRUD),
    menu('工单对接', '/clues/workorders', 'clue:workorder', 'business', [
      ['import', '导入工单'],
      ['configure', '配置对接'],
    ]),
    menu('时限看板', '/clues/deadlines', 'clue:deadline', 'business', [
      ['pause', '中止/恢复'],
      ['extend', '申请延期'],
      ['approve', '审批延期'],
    ]),
  ]),
  dir('analysis', '综合研判', 'business', [
    menu('研判工作台', '/analysis', 'analysis:judgment', 'business', [['create', '研判']]),
    menu('模式发现', '/analysis/findings', 'analysis:finding', 'business', [
      ['run', '立即检测'],
      ['update', '处理发现'],
    ]),
    menu('模型评估', '/analysis/models', 'analysis:model', 'business', [
      ['train', '训练新版本'],
      ['activate', '启用版本'],
    ]),
    menu('研判复盘', '/analysis/review', 'analysis:review', 'business', [['create', '生成报告']]),
  ]),
  dir('dispatch', '指挥调度', 'business', [
    menu('调度台', '/dispatch', 'dispatch:order', 'business', [
      ['create', '派单'],
      ['sign', '签收'],
      ['handle', '办理/办结'],
      ['return', '退回'],
      ['transfer', '转办'],
      ['extend', '申请延期'],
      ['approve', '审批转办/延期'],
      ['urge', '督办'],
    ]),
    menu('路由规则', '/dispatch/rules', 'dispatch:rule', 'business', CRUD),
    menu('人员可用性', '/dispatch/availability', 'dispatch:availability', 'business', CRUD),
  ]),
  dir('inspection', '执行处置·监管', 'business', [
    menu('检查事项清单', '/inspection/items', 'inspection:item', 'business', CRUD),
    menu('双随机抽查', '/inspection/draws', 'inspection:draw', 'business', [['create', '发起抽取']]),
    menu('检查任务', '/inspection/tasks', 'inspection:task', 'business', [
      ['create', '新增'],
      ['update', '录入结果'],
    ]),
  ]),
  dir('enforcement', '执行处置·执法', 'business', [
    menu('案件办理', '/enforcement/cases', 'enforcement:case', 'business', [
      ['create', '案源登记'],
      ['update', '办理'],
      ['approve', '审批'],
    ]),
  ]),
  dir('oversight', '监督考核', 'business', [
    menu('监督检查', '/oversight/findings', 'oversight:finding', 'business', [['create', '新增']]),
    menu('绩效考核', '/oversight/assessments', 'oversight:assessment', 'business', [['update', '评分']]),
  ]),
  dir('system', '系统管理', 'system', [
    menu('用户管理', '/system/users', 'system:user', 'system', [
      ['create', '新增'],
      ['update', '修改'],
      ['reset', '重置密码'],
      ['import', '导入'],
      ['export', '导出'],
    ]),
    menu('角色管理', '/system/roles', 'system:role', 'system', CRUD),
    menu('菜单权限', '/system/permissions', 'system:role', 'system'),
    menu('部门管理', '/system/departments', 'system:department', 'system', CRUD),
    menu('网格管理', '/system/grids', 'system:grid', 'system', CRUD),
    menu('岗位管理', '/system/posts', 'system:post', 'system', CRUD),
    menu('字典管理', '/system/dicts', 'system:dict', 'system', CRUD),
    menu('参数设置', '/system/settings', 'system:setting', 'system', [['update', '修改']]),
    menu('通知公告', '/system/notices', 'system:notice', 'system', [...CRUD, ['publish', '发布/撤回']]),
    menu('工作日历', '/system/calendar', 'system:calendar', 'system', [['update', '调整']], { shared: true }),
    menu('数据交换', '/system/exchange', 'system:exchange', 'system', [
      ['update', '修改映射'],
      ['import', '导入'],
      ['sync', '立即同步'],
    ]),
    menu('Open311 接入', '/system/open311', 'system:open311', 'system', [
      ['create', '新增'],
      ['update', '启用/停用'],
    ]),
    button('system:job:read', '查看后台任务', 'system'),
    button('system:job:update', '重试后台任务', 'system'),
  ]),
  dir('security', '安全管理', 'security', [
    menu('在线用户', '/security/sessions', 'security:session', 'security', [['delete', '强制下线']]),
    menu('安全策略', '/security/policy', 'security:policy', 'security', [['update', '修改']]),
    button('security:key:read', '查看密钥状态', 'security'),
    button('security:key:rotate', '轮换数据密钥', 'security'),
  ]),
  dir('audit', '安全审计', 'audit', [
    menu('登录日志', '/audit/logins', 'audit:log', 'audit'),
    menu('操作日志', '/audit/logs', 'audit:log', 'audit'),
  ]),
];

/** Every node, depth first, with its parent's key. */
export function flattenCatalog(
  nodes: readonly PermissionNode[] = PERMISSION_CATALOG,
  parentKey: string | null = null,
): { node: PermissionNode; parentKey: string | null }[] {
  return nodes.flatMap((node) => [{ node, parentKey }, ...flattenCatalog(node.children, node.key)]);
}

const NODES = flattenCatalog().map((e) => e.node);

/** Every permission string in the catalogue, once each, in tree order. */
export const ALL_PERMISSIONS: readonly string[] = [
  ...new Set(NODES.flatMap((n) => (n.permission ? [n.permission] : []))),
];

const BY_PERMISSION = new Map<string, PermissionNode>();
for (const n of NODES)
  if (n.permission && !BY_PERMISSION.has(n.permission)) BY_PERMISSION.set(n.permission, n);

/** The node that declares a concrete permission, if any. */
export function catalogEntry(permission: string): PermissionNode | undefined {
  return BY_PERMISSION.get(permission);
}

/** The concrete catalogue permissions that granted (possibly wildcard) permissions cover, in catalogue order. */
export function expand(granted: readonly string[]): string[] {
  return ALL_PERMISSIONS.filter((p) => granted.some((g) => permissionMatches(g, p)));
}

/** True when a granted permission names something in the catalogue (a wildcard must cover at least one entry). */
export function isKnownPermission(granted: string): boolean {
  return granted.includes('*') ? expand([granted]).length > 0 : BY_PERMISSION.has(granted);
}
