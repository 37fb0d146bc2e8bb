import type { OnlineSession } from '@rongjian/shared/api';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import { inDataScope } from './data-scope.ts';
import type { SessionLimits } from './auth.sessions.ts';
import type { SessionUser } from './auth.user.ts';
import { likeContains } from '../db/like.ts';

export interface OnlineSessionFilter {
  /** Substring of the username or the display name. */
  keyword?: string | undefined;
  departmentId?: number | undefined;
  after?: number | undefined;
  limit: number;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * The sessions administrators see in 在线用户: alive under the current limits and within the viewer's data scope
 * (in SQL), newest first, keyset by `seq`. Rows carry the opaque `public_id`, never the token hash.
 */
function onlineQuery(
  db: Kysely<DB>,
  viewer: SessionUser,
  limits: SessionLimits,
  filter: OnlineSessionFilter,
) {
  const now = Date.now();
  let q = db
    .selectFrom('session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .innerJoin('department as d', 'd.id', 'u.department_id')
    .where((eb) => inDataScope(eb, viewer, { department: 'u.department_id', owner: 'u.id' }))
    .where('s.expires_at', '>', new Date(now))
    .where('s.created_at', '>', new Date(now - limits.maxHours * 3600_000))
    .where('s.last_seen_at', '>', new Date(now - limits.idleMinutes * 60_000));
  if (filter.keyword) {
    const like = likeContains(filter.keyword);
    q = q.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  if (filter.departmentId !== undefined) q = q.where('u.department_id', '=', filter.departmentId);
  return q;
}

export async function listOnlineSessions(
  db: Kysely<DB>,
  viewer: SessionUser,
  limits: SessionLimits,
  filter: OnlineSessionFilter,
): Promise<{ items: OnlineSession[]; total: number; nextAfter: number | null }> {
  const base = onlineQuery(db, viewer, limits, filter);
  let page = base
    .select([
      's.id as token_hash',
      's.public_id',
      's.seq',
      's.user_id',
      's.ip',
      's.user_agent',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.restriction',
      'u.username',
      'u.display_name',
      'd.name as department_name',
    ])
    .orderBy('s.seq', 'desc')
    .limit(filter.limit + 1);
  if (filter.after !== undefined) page = page.where('s.seq', '<', filter.after);
  const rows = await page.execute();
  const count = await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const more = rows.length > filter.limit;
  const shown = more ? rows.slice(0, filter.limit) : rows;
  return {
    items: shown.map((r) => ({
      id: r.public_id,
      userId: r.user_id,
      username: r.username,
      displayName: r.display_name,
      departmentName: r.department_name,
      ip: r.ip,
      userAgent: r.user_agent,
      createdAt: iso(r.created_at),
      lastSeenAt: iso(r.last_seen_at),
      expiresAt: iso(r.expires_at),
      restriction: r.restriction,
      current: r.token_hash === viewer.sessionId,
    })),
    total: Number(count.n),
    nextAfter: more ? (shown.at(-1)?.seq ?? null) : null,
  };
}

/** A session by its public id, within the viewer's data scope; null when absent or out of scope. */
export async function findScopedSession(db: Kysely<DB>, viewer: SessionUser, publicId: string) {
  return db
    .selectFrom('session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select(['s.id as token_hash', 's.public_id', 's.user_id', 's.ip', 'u.username', 'u.display_name'])
    .where('s.public_id', '=', publicId)
    .where((eb) => inDataScope(eb, viewer, { department: 'u.department_id', owner: 'u.id' }))
    .executeTakeFirst();
}

/** Force logout: the row goes, so the cookie that pointed at it resolves to nobody on the next request. */
export async function deleteSessionByPublicId(db: Kysely<DB>, publicId: string): Promise<boolean> {
  const res = await db.deleteFrom('session').where('public_id', '=', publicId).executeTakeFirst();
  return res.numDeletedRows > 0n;
}
