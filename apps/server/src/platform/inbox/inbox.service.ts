import type { InboxCounts, InboxDueState, InboxItem, InboxQuery } from '@rongjian/shared/api';
import { inboxSourceLabel } from '@rongjian/shared/api';
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import type { SessionUser } from '../auth/auth.user.ts';
import { inDataScope } from '../auth/data-scope.ts';
import { hasPermission } from '../auth/permissions.ts';
import type { Database } from '../db/database.ts';
import { notify } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { catalogEntry, expand } from '../org/permissions.catalog.ts';

/**
 * 我的待办: one list of the work every module hands to people. Modules write items inside their own transaction
 * (`putInboxItem` / `completeInboxItem`), so an item exists exactly when the work does; a NOTIFY on
 * `rongjian_inbox` (delivered at commit) tells every node's SSE streams whose counts may have changed.
 *
 * An item is in user U's 待办 when it is open, U holds its permission, its department is within U's data scope
 * (or it has none) and either U is one of its named users, or it names nobody and is addressed to U's department
 * or to every department. 已办 = the items U completed.
 */
export const INBOX_CHANNEL = 'rongjian_inbox';

export type InboxPriority = 'normal' | 'high' | 'urged';
export interface InboxItemInput {
  /** e.g. 'dispatch.order', 'clue.analysis', 'clue.dispatch', 'deadline.extension' */
  source: string;
  /** unique together with source */
  sourceId: string | number;
  /** shown in the list; never personal data */
  title: string;
  /** web route, e.g. '/dispatch/orders/12' */
  href: string;
  /** whose work it is (data scope) */
  departmentId: number | null;
  /** named assignees; empty/absent → everyone in departmentId holding `permission` */
  userIds?: number[];
  /** needed to see and act on it */
  permission: string;
  /** absent keeps the due time of an existing item; null clears it */
  dueAt?: Date | null;
  /** absent keeps the priority of an existing item (new items: normal) */
  priority?: InboxPriority;
  clueId?: number | null;
}

type Executor = Kysely<DB> | Transaction<DB>;
export type InboxViewer = Pick<SessionUser, 'id' | 'departmentId' | 'permissions' | 'scope'>;

/** Who may be affected by a change: named users, departments of unnamed items (null = every department), permissions. */
export interface InboxChange {
  u: number[];
  d: (number | null)[];
  p: string[];
}

async function announce(tx: Executor, change: InboxChange): Promise<void> {
  await notify(tx as Kysely<DB>, INBOX_CHANNEL, JSON.stringify(change));
}

function affected(
  rows: { department_id: number | null; user_ids: number[]; permission: string }[],
): InboxChange {
  const u = new Set<number>();
  const d = new Set<number | null>();
  const p = new Set<string>();
  for (const r of rows) {
    p.add(r.permission);
    if (r.user_ids.length > 0) for (const id of r.user_ids) u.add(Number(id));
    else d.add(r.department_id === null ? null : Number(r.department_id));
  }
  return { u: [...u], d: [...d], p: [...p] };
}

/** Whether a change may touch `viewer`'s 待办 (the SSE stream then recomputes the counts). */
export function concerns(viewer: InboxViewer, change: InboxChange): boolean {
  if (!change.p.some((p) => hasPermission(viewer.permissions, p))) return false;
  return change.u.includes(viewer.id) || change.d.includes(null) || change.d.includes(viewer.departmentId);
}

/** Upsert by (source, sourceId); re-opens a done item. Call inside the caller's transaction. */
export async function putInboxItem(tx: Kysely<DB> | Transaction<DB>, item: InboxItemInput): Promise<void> {
  if (!catalogEntry(item.permission))
    throw new Error(`inbox item permission ${item.permission} is not in the catalogue`);
  const sourceId = String(item.sourceId);
  const userIds = [...new Set(item.userIds ?? [])].sort((a, b) => a - b);
  const before = await tx
    .selectFrom('inbox_item')
    .select(['department_id', 'user_ids', 'permission'])
    .where('source', '=', item.source)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  const row = await tx
    .insertInto('inbox_item')
    .values({
      source: item.source,
      source_id: sourceId,
      title: item.title.slice(0, 200),
      href: item.href,
      department_id: item.departmentId,
      user_ids: userIds,
      permission: item.permission,
      due_at: item.dueAt ?? null,
      priority: item.priority ?? 'normal',
      clue_id: item.clueId ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['source', 'source_id']).doUpdateSet((eb) => ({
        title: eb.ref('excluded.title'),
        href: eb.ref('excluded.href'),
        department_id: eb.ref('excluded.department_id'),
        user_ids: eb.ref('excluded.user_ids'),
        permission: eb.ref('excluded.permission'),
        due_at: item.dueAt === undefined ? eb.ref('inbox_item.due_at') : eb.ref('excluded.due_at'),
        priority: item.priority === undefined ? eb.ref('inbox_item.priority') : eb.ref('excluded.priority'),
        clue_id: item.clueId === undefined ? eb.ref('inbox_item.clue_id') : eb.ref('excluded.clue_id'),
        state: 'open',
        done_by: null,
        done_at: null,
        updated_at: new Date(),
      })),
    )
    .returning(['department_id', 'user_ids', 'permission'])
    .executeTakeFirstOrThrow();
  await announce(tx, affected(before ? [before, row] : [row]));
}

/** Mark done (it moves to 已办 of `doneBy`); no-op when absent. */
export async function completeInboxItem(
  tx: Kysely<DB> | Transaction<DB>,
  source: string,
  sourceId: string | number,
  doneBy: number | null,
): Promise<void> {
  const row = await tx
    .updateTable('inbox_item')
    .set({ state: 'done', done_by: doneBy, done_at: new Date(), updated_at: new Date() })
    .where('source', '=', source)
    .where('source_id', '=', String(sourceId))
    .where('state', '=', 'open')
    .returning(['department_id', 'user_ids', 'permission'])
    .executeTakeFirst();
  if (row) await announce(tx, affected([row]));
}

/** Raise (or lower) the priority of an open item, e.g. 督办; no-op when absent or done. */
export async function setInboxPriority(
  tx: Kysely<DB> | Transaction<DB>,
  source: string,
  sourceId: string | number,
  priority: InboxPriority,
): Promise<void> {
  const row = await tx
    .updateTable('inbox_item')
    .set({ priority, updated_at: new Date() })
    .where('source', '=', source)
    .where('source_id', '=', String(sourceId))
    .where('state', '=', 'open')
    .returning(['department_id', 'user_ids', 'permission'])
    .executeTakeFirst();
  if (row) await announce(tx, affected([row]));
}

// ── reading ──────────────────────────────────────────────────────────────────────────────────────────────────

/** The 待办 condition for `viewer` on `inbox_item as i` (see the module comment). */
function inTodo<D, T extends keyof D>(eb: ExpressionBuilder<D, T>, viewer: InboxViewer): Expression<SqlBool> {
  const permissions = expand(viewer.permissions);
  if (permissions.length === 0) return sql<SqlBool>`false`;
  return eb.and([
    sql<SqlBool>`i.state = 'open'`,
    sql<SqlBool>`i.permission in (${sql.join(permissions)})`,
    eb.or([
      sql<SqlBool>`i.user_ids @> array[${viewer.id}]::bigint[]`,
      sql<SqlBool>`(cardinality(i.user_ids) = 0 and i.audience in (${viewer.departmentId}, 0))`,
    ]),
    eb.or([
      sql<SqlBool>`i.department_id is null`,
      inDataScope(eb, viewer, { department: 'i.department_id' }),
    ]),
  ]);
}

const RANK = sql<number>`(case when i.priority = 'urged' then 0 else 1 end)`;
const DUE_KEY = sql<string>`coalesce(i.due_at, 'infinity'::timestamptz)`;

/**
 * A timestamptz as PostgreSQL prints it (`2026-11-29 08:15:00.123456+08`), with a real calendar date and time:
 * cursors are opaque to clients, and a forged one must be a 400, never a failed cast in SQL.
 */
export function isTimestampText(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/.exec(
    s,
  );
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && sec < 60;
}

interface Cursor {
  r: number;
  k: string;
  id: number;
}
const encode = (c: Cursor) => Buffer.from(JSON.stringify([c.r, c.k, c.id])).toString('base64url');
function decode(s: string | undefined): Cursor | undefined {
  if (!s) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      (v[0] === 0 || v[0] === 1) &&
      typeof v[1] === 'string' &&
      (v[1] === 'infinity' || isTimestampText(v[1])) &&
      Number.isSafeInteger(v[2])
    ) {
      return { r: v[0], k: v[1], id: v[2] };
    }
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', '分页参数 after 无效，请从第一页重新加载', {
    details: [{ path: 'after', message: '无效的分页游标' }],
  });
}

export function dueStateOf(dueAt: Date | null, now: Date, warnHours: number): InboxDueState {
  if (!dueAt) return 'none';
  const t = new Date(dueAt).getTime();
  if (t < now.getTime()) return 'overdue';
  if (t < now.getTime() + warnHours * 3_600_000) return 'warning';
  return 'normal';
}

/** One page of the viewer's 待办 or 已办 (keyset; `nextAfter` continues). */
export async function listInbox(
  db: Executor,
  viewer: InboxViewer,
  q: InboxQuery,
  warnHours: number,
): Promise<{ items: InboxItem[]; nextAfter: string | null }> {
  const after = decode(q.after);
  let query = db
    .selectFrom('inbox_item as i')
    .select([
      'i.id',
      'i.source',
      'i.source_id',
      'i.title',
      'i.href',
      'i.department_id',
      'i.due_at',
      'i.priority',
      'i.clue_id',
      'i.state',
      'i.created_at',
      'i.updated_at',
      'i.done_at',
      RANK.as('rank'),
    ]);
  if (q.source) query = query.where('i.source', '=', q.source);
  let keyExpr: RawBuilder<string>;
  if (q.box === 'done') {
    keyExpr = sql<string>`i.done_at::text`;
    query = query.where('i.state', '=', 'done').where('i.done_by', '=', viewer.id);
    if (after) query = query.where(sql<SqlBool>`(i.done_at, i.id) < (${after.k}::timestamptz, ${after.id})`);
    query = query.orderBy('i.done_at', 'desc').orderBy('i.id', 'desc');
  } else {
    query = query.where((eb) => inTodo(eb, viewer));
    if (q.sort === 'due') {
      keyExpr = sql<string>`${DUE_KEY}::text`;
      if (after) {
        query = query.where(
          sql<SqlBool>`(${RANK}, ${DUE_KEY}, i.id) > (${after.r}, ${after.k}::timestamptz, ${after.id})`,
        );
      }
      query = query.orderBy(RANK).orderBy(DUE_KEY).orderBy('i.id');
    } else {
      keyExpr = sql<string>`i.created_at::text`;
      if (after) {
        query = query.where(
          sql<SqlBool>`(${RANK} > ${after.r} or (${RANK} = ${after.r} and (i.created_at, i.id) < (${after.k}::timestamptz, ${after.id})))`,
        );
      }
      query = query.orderBy(RANK).orderBy('i.created_at', 'desc').orderBy('i.id', 'desc');
    }
  }
  const rows = await query
    .select(keyExpr.as('sort_key'))
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const now = new Date();
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      source: r.source,
      sourceLabel: inboxSourceLabel(r.source),
      sourceId: r.source_id,
      title: r.title,
      href: r.href,
      departmentId: r.department_id === null ? null : Number(r.department_id),
      dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
      dueState: r.state === 'open' ? dueStateOf(r.due_at, now, warnHours) : 'none',
      priority: r.priority,
      clueId: r.clue_id === null ? null : Number(r.clue_id),
      state: r.state,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      doneAt: r.done_at ? new Date(r.done_at).toISOString() : null,
    })),
    nextAfter:
      rows.length > q.limit && last
        ? encode({ r: Number(last.rank), k: String(last.sort_key), id: Number(last.id) })
        : null,
  };
}

/** The badge numbers of the viewer's 待办. */
export async function inboxCounts(db: Executor, viewer: InboxViewer): Promise<InboxCounts> {
  const rows = await db
    .selectFrom('inbox_item as i')
    .where((eb) => inTodo(eb, viewer))
    .select((eb) => [
      'i.source',
      eb.fn.countAll<number>().as('n'),
      sql<number>`count(*) filter (where i.priority = 'urged')`.as('urged'),
      sql<number>`count(*) filter (where i.due_at < now())`.as('overdue'),
    ])
    .groupBy('i.source')
    .execute();
  const out: InboxCounts = { todo: 0, urged: 0, overdue: 0, bySource: {} };
  for (const r of rows) {
    out.todo += Number(r.n);
    out.urged += Number(r.urged);
    out.overdue += Number(r.overdue);
    out.bySource[r.source] = Number(r.n);
  }
  return out;
}

// ── live updates ─────────────────────────────────────────────────────────────────────────────────────────────

export type InboxListener = (change: InboxChange) => void;

/**
 * One LISTEN per process on `rongjian_inbox`, fanned out to the SSE streams of this node (started with the first
 * stream, stopped when the app closes).
 */
export function createInboxBus(database: Database) {
  const listeners = new Set<InboxListener>();
  let unlisten: Promise<() => Promise<void>> | undefined;
  return {
    async subscribe(listener: InboxListener): Promise<() => void> {
      listeners.add(listener);
      unlisten ??= database.listen(INBOX_CHANNEL, (payload) => {
        let change: InboxChange;
        try {
          const v = JSON.parse(payload) as Partial<InboxChange>;
          change = { u: v.u ?? [], d: v.d ?? [], p: v.p ?? [] };
        } catch {
          return;
        }
        for (const l of listeners) {
          try {
            l(change);
          } catch {
            // one failing stream must not starve the others
          }
        }
      });
      await unlisten;
      return () => listeners.delete(listener);
    },
    async stop(): Promise<void> {
      listeners.clear();
      const u = unlisten;
      unlisten = undefined;
      if (u) await (await u)().catch(() => {});
    },
  };
}
export type InboxBus = ReturnType<typeof createInboxBus>;
