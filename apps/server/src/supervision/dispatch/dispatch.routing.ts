import type { DispatchModule, DispatchOfficer } from '@rongjian/shared/api';
import type { Kysely, Transaction } from 'kysely';
import { hasPermission } from '../../platform/auth/permissions.ts';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Inspection and enforcement are both on-site work: never fewer than two officers (DOMAIN.md §2, §3). */
export const MIN_ON_SITE_OFFICERS = 2;
/** Who can be given an order: the permission to handle one. */
export const HANDLER_PERMISSION = 'dispatch:order:handle';

export interface RoutingFacts {
  businessLine: string | null;
  gridId: number | null;
  /** The clue's 所 (its grid's station). */
  stationId: number | null;
  /** The clue's own department, the fallback without a matching rule. */
  departmentId: number | null;
}

export interface RouteResult {
  rule: { id: number; name: string } | null;
  departmentId: number | null;
  why: string[];
}

interface RuleRow {
  id: number;
  name: string;
  business_line: string | null;
  grid_id: number | null;
  station_id: number | null;
  department_id: number;
  priority: number;
}

/**
 * Specificity of a rule: how many of its dimensions are fixed (line; place = grid or 所), a grid above a 所 at the
 * same count. The most specific enabled match wins; then the higher priority; then the older rule.
 */
export function specificity(r: Pick<RuleRow, 'business_line' | 'grid_id' | 'station_id'>): number {
  const line = r.business_line !== null ? 1 : 0;
  const place = r.grid_id !== null ? 1 : r.station_id !== null ? 1 : 0;
  return (line + place) * 10 + (r.grid_id !== null ? 1 : 0);
}

export function pickRule<T extends RuleRow>(rules: readonly T[]): T | undefined {
  return [...rules].sort(
    (a, b) => specificity(b) - specificity(a) || b.priority - a.priority || Number(a.id) - Number(b.id),
  )[0];
}

/** The receiving department for a clue and a module, by the routing rules (data), with the reasons in Chinese. */
export async function routeClue(
  db: Executor,
  facts: RoutingFacts,
  module: DispatchModule,
): Promise<RouteResult> {
  const rules = await db
    .selectFrom('dispatch_rule')
    .select(['id', 'name', 'business_line', 'grid_id', 'station_id', 'department_id', 'priority'])
    .where('module', '=', module)
    .where('enabled', '=', true)
    .where((eb) =>
      eb.or([eb('business_line', 'is', null), eb('business_line', '=', facts.businessLine ?? '\u0000')]),
    )
    .where((eb) => eb.or([eb('grid_id', 'is', null), eb('grid_id', '=', facts.gridId ?? -1)]))
    .where((eb) => eb.or([eb('station_id', 'is', null), eb('station_id', '=', facts.stationId ?? -1)]))
    .execute();
  const hit = pickRule(rules);
  if (hit) {
    const parts = [
      hit.business_line ? `条线“${hit.business_line}”` : '任意条线',
      hit.grid_id !== null ? '线索所在网格' : hit.station_id !== null ? '线索所在的所' : '任意地点',
    ];
    return {
      rule: { id: Number(hit.id), name: hit.name },
      departmentId: Number(hit.department_id),
      why: [
        `路由规则“${hit.name}”：${parts.join('、')}${rules.length > 1 ? `（${rules.length} 条规则匹配，取最具体的一条）` : ''}`,
      ],
    };
  }
  return {
    rule: null,
    departmentId: facts.departmentId,
    why: ['没有匹配的路由规则，按线索的承办部门派单'],
  };
}

/**
 * The department's officers who may take the order: active users holding `dispatch:order:handle`, each with why
 * they are unavailable (无执法证, 执法证已过期 or expiring before `dueOn`, 请假 today, 回避 with a respondent) and
 * their workload (open orders).
 */
export async function departmentOfficers(
  db: Executor,
  departmentId: number,
  opts: { day: string; entityIds: number[] },
): Promise<DispatchOfficer[]> {
  const rows = await db
    .selectFrom('app_user as u')
    .leftJoin('user_role as ur', 'ur.user_id', 'u.id')
    .leftJoin('role as r', 'r.id', 'ur.role_id')
    .select(['u.id', 'u.display_name', 'u.department_id', 'u.cert_no', 'u.cert_valid_until', 'r.permissions'])
    .where('u.department_id', '=', departmentId)
    .where('u.status', '=', 'active')
    .orderBy('u.id')
    .execute();
  const users = new Map<number, (typeof rows)[number] & { grants: string[] }>();
  for (const r of rows) {
    const id = Number(r.id);
    const u = users.get(id) ?? { ...r, grants: [] };
    u.grants.push(...(r.permissions ?? []));
    users.set(id, u);
  }
  const handlers = [...users.values()].filter((u) => hasPermission(u.grants, HANDLER_PERMISSION));
  const ids = handlers.map((u) => Number(u.id));
  if (ids.length === 0) return [];
  const [loads, leaves, conflicts] = await Promise.all([
    db
      .selectFrom('dispatch_order_officer as oo')
      .innerJoin('dispatch_order as o', 'o.id', 'oo.order_id')
      .select(['oo.user_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('oo.user_id', 'in', ids)
      .where('o.status', 'in', ['pending', 'signed', 'handling'])
      .groupBy('oo.user_id')
      .execute(),
    db
      .selectFrom('officer_leave')
      .select(['user_id', 'from_on', 'to_on', 'reason'])
      .where('user_id', 'in', ids)
      .where('from_on', '<=', opts.day)
      .where('to_on', '>=', opts.day)
      .execute(),
    opts.entityIds.length > 0
      ? db
          .selectFrom('officer_conflict as oc')
          .innerJoin('entity as e', 'e.id', 'oc.entity_id')
          .select(['oc.user_id', 'oc.reason', 'e.name'])
          .where('oc.user_id', 'in', ids)
          .where('oc.entity_id', 'in', opts.entityIds)
          .execute()
      : Promise.resolve([] as { user_id: number; reason: string; name: string }[]),
  ]);
  const load = new Map(loads.map((l) => [Number(l.user_id), Number(l.n)]));
  return handlers.map((u) => {
    const id = Number(u.id);
    const unavailable: string[] = [];
    if (!u.cert_no) unavailable.push('无执法证');
    else if (!u.cert_valid_until || u.cert_valid_until < opts.day) {
      unavailable.push(`执法证已过期${u.cert_valid_until ? `（${u.cert_valid_until}）` : ''}`);
    }
    for (const l of leaves.filter((x) => Number(x.user_id) === id)) {
      unavailable.push(`请假 ${l.from_on} 至 ${l.to_on}`);
    }
    for (const c of conflicts.filter((x) => Number(x.user_id) === id)) {
      unavailable.push(`回避：${c.name}（${c.reason}）`);
    }
    return {
      id,
      name: u.display_name,
      departmentId: Number(u.department_id),
      certNo: u.cert_no,
      certValidUntil: u.cert_valid_until,
      openOrders: load.get(id) ?? 0,
      unavailable,
    };
  });
}

/** Available officers, least loaded first (then by id, so the suggestion is stable). */
export function rankOfficers(officers: DispatchOfficer[]): DispatchOfficer[] {
  return officers
    .filter((o) => o.unavailable.length === 0)
    .sort((a, b) => a.openOrders - b.openOrders || a.id - b.id);
}
