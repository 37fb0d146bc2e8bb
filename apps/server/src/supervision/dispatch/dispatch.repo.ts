import type { DispatchBoardQuery, DispatchOrderSummary } from '@rongjian/shared/api';
import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { DB } from '../../platform/db/schema.ts';
import { likeContains } from '../../platform/db/like.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

/**
 * Orders the viewer may see: the receiving department within the data scope (dispatchers: all), the dispatcher who
 * created it, or an officer named on it. Anything else is simply not found (404).
 */
export function visibleOrders(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('dispatch_order as o')
    .innerJoin('department as d', 'd.id', 'o.department_id')
    .leftJoin('grid as g', 'g.id', 'o.grid_id')
    .where((eb) =>
      eb.or([
        inDataScope(eb, viewer, { department: 'o.department_id', owner: 'o.created_by' }),
        eb.exists(
          eb
            .selectFrom('dispatch_order_officer as vo')
            .select('vo.order_id')
            .whereRef('vo.order_id', '=', 'o.id')
            .where('vo.user_id', '=', viewer.id),
        ),
      ]),
    );
}

/** The display state of the order's open deadline today (正常/预警/逾期), in SQL for filters and counts. */
export const deadlineState = (today: string) =>
  sql<'normal' | 'warning' | 'overdue' | null>`(
    select case when dl.status <> 'running' then null
                when dl.due_on < ${today} then 'overdue'
                when dl.warn_on <= ${today} then 'warning'
                else 'normal' end
      from deadline dl
     where dl.subject_type = 'dispatch_order' and dl.subject_id = cast(o.id as text)
       and dl.status in ('running', 'paused')
     order by dl.id desc limit 1)`;

const OPEN = ['pending', 'signed', 'handling'] as const;

export function boardQuery(db: Executor, viewer: Viewer, f: DispatchBoardQuery) {
  let q = visibleOrders(db, viewer);
  const status = f.status ?? 'open';
  if (status === 'open') q = q.where('o.status', 'in', [...OPEN]);
  else if (status !== 'all') q = q.where('o.status', '=', status);
  if (f.module) q = q.where('o.module', '=', f.module);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) =>
      eb.or([
        eb('o.number', '=', text.toUpperCase()),
        eb('o.title', 'like', likeContains(text)),
        eb.exists(
          eb
            .selectFrom('dispatch_order_clue as qc')
            .innerJoin('clue as qcl', 'qcl.id', 'qc.clue_id')
            .select('qc.order_id')
            .whereRef('qc.order_id', '=', 'o.id')
            .where('qcl.number', '=', text.toUpperCase()),
        ),
      ]),
    );
  }
  return q;
}

export async function boardPage(
  db: Executor,
  viewer: Viewer,
  f: DispatchBoardQuery & { id?: number },
  today: string,
): Promise<DispatchOrderSummary[]> {
  let q = boardQuery(db, viewer, f);
  if (f.id) q = q.where('o.id', '=', f.id);
  if (f.departmentId) q = q.where('o.department_id', '=', f.departmentId);
  if (f.deadlineState) q = q.where(sql<SqlBool>`${deadlineState(today)} = ${f.deadlineState}`);
  if (f.after) q = q.where('o.id', '<', f.after);
  const rows = await q
    .select([
      'o.id',
      'o.number',
      'o.module',
      'o.status',
      'o.title',
      'o.department_id',
      'd.name as department_name',
      'o.business_line',
      'o.grid_id',
      'g.name as grid_name',
      'o.lng',
      'o.lat',
      'o.due_on',
      'o.urged_at',
      'o.escalated_at',
      'o.pending_transfer',
      'o.created_at',
      deadlineState(today).as('deadline_state'),
      sql<string[]>`coalesce((select array_agg(u.display_name order by oo.lead desc, u.id)
        from dispatch_order_officer oo join app_user u on u.id = oo.user_id where oo.order_id = o.id), '{}')`.as(
        'officer_names',
      ),
      sql<number>`(select count(*) from dispatch_order_clue oc where oc.order_id = o.id)`.as('clue_count'),
    ])
    .orderBy('o.id', 'desc')
    .limit((f.limit ?? 50) + 1)
    .execute();
  return rows.map(toSummary);
}

export function toSummary(r: {
  id: number;
  number: string;
  module: string;
  status: string;
  title: string;
  department_id: number;
  department_name: string;
  business_line: string | null;
  grid_id: number | null;
  grid_name: string | null;
  lng: number | null;
  lat: number | null;
  due_on: string | null;
  urged_at: Date | null;
  escalated_at: Date | null;
  pending_transfer: unknown;
  created_at: Date;
  deadline_state: 'normal' | 'warning' | 'overdue' | null;
  officer_names: string[];
  clue_count: number;
}): DispatchOrderSummary {
  return {
    id: Number(r.id),
    number: r.number,
    module: r.module as DispatchOrderSummary['module'],
    status: r.status as DispatchOrderSummary['status'],
    title: r.title,
    departmentId: Number(r.department_id),
    departmentName: r.department_name,
    businessLine: r.business_line,
    gridId: r.grid_id === null ? null : Number(r.grid_id),
    gridName: r.grid_name,
    location: r.lng !== null && r.lat !== null ? { lng: Number(r.lng), lat: Number(r.lat) } : null,
    officerNames: r.officer_names ?? [],
    clueCount: Number(r.clue_count),
    dueOn: r.due_on,
    deadlineState: r.deadline_state,
    urged: r.urged_at !== null,
    escalated: r.escalated_at !== null,
    transferPending: r.pending_transfer !== null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Open orders per department and deadline state, for the board's counts. */
export async function boardCounts(db: Executor, viewer: Viewer, f: DispatchBoardQuery, today: string) {
  const rows = await boardQuery(db, viewer, { ...f, status: 'open' })
    .select(['o.department_id', 'd.name as department_name', deadlineState(today).as('state')])
    .execute();
  const by = new Map<
    number,
    { departmentId: number; departmentName: string; open: number; warning: number; overdue: number }
  >();
  for (const r of rows) {
    const id = Number(r.department_id);
    const c = by.get(id) ?? {
      departmentId: id,
      departmentName: r.department_name,
      open: 0,
      warning: 0,
      overdue: 0,
    };
    c.open++;
    if (r.state === 'warning') c.warning++;
    if (r.state === 'overdue') c.overdue++;
    by.set(id, c);
  }
  return [...by.values()].sort(
    (a, b) => b.overdue - a.overdue || b.open - a.open || a.departmentId - b.departmentId,
  );
}

/** Users of a department whose roles grant `permission` (active accounts), or who are its 所长. */
export async function departmentUsersWith(
  db: Executor,
  departmentId: number,
  test: (permissions: string[], roleCodes: string[]) => boolean,
): Promise<number[]> {
  const rows = await db
    .selectFrom('app_user as u')
    .leftJoin('user_role as ur', 'ur.user_id', 'u.id')
    .leftJoin('role as r', 'r.id', 'ur.role_id')
    .select(['u.id', 'r.permissions', 'r.code'])
    .where('u.department_id', '=', departmentId)
    .where('u.status', '=', 'active')
    .execute();
  const grants = new Map<number, { p: string[]; c: string[] }>();
  for (const r of rows) {
    const g = grants.get(Number(r.id)) ?? { p: [], c: [] };
    g.p.push(...(r.permissions ?? []));
    if (r.code) g.c.push(r.code);
    grants.set(Number(r.id), g);
  }
  return [...grants].filter(([, g]) => test(g.p, g.c)).map(([id]) => id);
}
