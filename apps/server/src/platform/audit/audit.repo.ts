import type { AuditLog, AuditLogDetail, LoginLog } from '@rongjian/shared/api';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { AuditResult } from './audit.tables.ts';
import { likeContains, likePrefix } from '../db/like.ts';

/** SQL of the audit search pages. Newest first with keyset pagination on id (ids follow chain order). */

export interface AuditLogFilter {
  from?: string | undefined;
  to?: string | undefined;
  actor?: string | undefined;
  actionPrefix?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  result?: AuditResult | undefined;
  keyword?: string | undefined;
  after?: number | undefined;
  limit: number;
}

export interface LoginLogFilter {
  from?: string | undefined;
  to?: string | undefined;
  username?: string | undefined;
  ip?: string | undefined;
  result?: AuditResult | undefined;
  after?: number | undefined;
  limit: number;
}

/** `%`, `_` and `\` typed by a user are literal characters, not wildcards. */

const listColumns = [
  'id',
  'occurred_at',
  'actor_id',
  'actor_name',
  'ip',
  'action',
  'object_type',
  'object_id',
  'result',
  'detail',
] as const;

// Both tables have the same columns; the archive is queried under the live table's row type.
type AuditQuery = SelectQueryBuilder<DB, 'audit_log', object>;

function applyFilter(q: AuditQuery, f: AuditLogFilter): AuditQuery {
  if (f.from) q = q.where('occurred_at', '>=', new Date(f.from));
  if (f.to) q = q.where('occurred_at', '<=', new Date(f.to));
  if (f.actor) q = q.where('actor_name', 'ilike', likeContains(f.actor));
  if (f.actionPrefix) q = q.where('action', 'like', likePrefix(f.actionPrefix));
  if (f.objectType) q = q.where('object_type', '=', f.objectType);
  if (f.objectId) q = q.where('object_id', '=', f.objectId);
  if (f.result) q = q.where('result', '=', f.result);
  if (f.keyword) q = q.where('detail', 'ilike', likeContains(f.keyword));
  if (f.after) q = q.where('id', '<', f.after);
  return q;
}

interface ListRow {
  id: number;
  occurred_at: Date;
  actor_id: number | null;
  actor_name: string;
  ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: AuditResult;
  detail: string | null;
  archived: boolean;
}

function toAuditLog(r: ListRow): AuditLog {
  return {
    id: Number(r.id),
    occurredAt: new Date(r.occurred_at).toISOString(),
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    actorName: r.actor_name,
    ip: r.ip,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    result: r.result,
    detail: r.detail,
    archived: Boolean(r.archived),
  };
}

/** The archive is searched only when the time range reaches back to what it holds. */
async function archiveInRange(db: Kysely<DB>, from: string | undefined): Promise<boolean> {
  const newest = await db
    .selectFrom('audit_archive')
    .select('occurred_at')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!newest) return false;
  return !from || new Date(from).getTime() <= new Date(newest.occurred_at).getTime();
}

export async function listAuditLogs(db: Kysely<DB>, f: AuditLogFilter) {
  const live = applyFilter(db.selectFrom('audit_log') as AuditQuery, f).select([
    ...listColumns,
    sql<boolean>`false`.as('archived'),
  ]);
  const query = (await archiveInRange(db, f.from))
    ? db
        .selectFrom(
          live
            .unionAll(
              applyFilter(db.selectFrom('audit_archive' as 'audit_log') as AuditQuery, f).select([
                ...listColumns,
                sql<boolean>`true`.as('archived'),
              ]),
            )
            .as('r'),
        )
        .selectAll()
    : db.selectFrom(live.as('r')).selectAll();
  const rows = (await query
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute()) as ListRow[];
  const items = rows.slice(0, f.limit).map(toAuditLog);
  return { items, nextAfter: rows.length > f.limit ? (items[items.length - 1]?.id ?? null) : null };
}

export async function getAuditLog(db: Kysely<DB>, id: number): Promise<AuditLogDetail | null> {
  for (const table of ['audit_log', 'audit_archive'] as const) {
    const r = await db
      .selectFrom(table as 'audit_log')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (r) {
      return {
        ...toAuditLog({ ...r, archived: table === 'audit_archive' }),
        before: r.summary?.before ?? null,
        after: r.summary?.after ?? null,
        prevHash: r.prev_hash,
        hash: r.hash,
      };
    }
  }
  return null;
}

export async function listLoginLogs(db: Kysely<DB>, f: LoginLogFilter) {
  let q = db.selectFrom('login_log').selectAll();
  if (f.from) q = q.where('occurred_at', '>=', new Date(f.from));
  if (f.to) q = q.where('occurred_at', '<=', new Date(f.to));
  if (f.username) q = q.where('username', 'ilike', likeContains(f.username));
  if (f.ip) q = q.where('ip', 'like', likePrefix(f.ip));
  if (f.result) q = q.where('result', '=', f.result);
  if (f.after) q = q.where('id', '<', f.after);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const items: LoginLog[] = rows.slice(0, f.limit).map((r) => ({
    id: Number(r.id),
    occurredAt: new Date(r.occurred_at).toISOString(),
    userId: r.user_id === null ? null : Number(r.user_id),
    username: r.username,
    ip: r.ip,
    userAgent: r.user_agent,
    result: r.result,
    reason: r.reason,
  }));
  return { items, nextAfter: rows.length > f.limit ? (items[items.length - 1]?.id ?? null) : null };
}
