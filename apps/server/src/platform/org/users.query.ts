import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PiiVault } from '../pii/pii.vault.ts';
import { departmentPath, type UserFilter } from './users.repo.ts';
import { normalizePhone } from './users.rules.ts';

/** The user list's query string (also the export's) as the routes validated it. */
export interface UserQuery extends Omit<UserFilter, 'subtreePath' | 'phoneBidx' | 'certExpiringBy'> {
  includeSubtree: boolean;
  phone?: string | undefined;
  /** Certificates expiring within this many days from `today` (expired ones included). */
  certExpiring?: number | undefined;
  after?: number | undefined;
  limit: number;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Turn the query into column values: department subtree path, certificate cut-off day, phone blind index. */
export async function resolveUserFilter(
  deps: { db: Kysely<DB>; pii: Pick<PiiVault, 'blindIndex'>; today: () => string },
  q: UserQuery,
): Promise<UserFilter> {
  const f: UserFilter = {
    keyword: q.keyword,
    departmentId: q.departmentId,
    roleCode: q.roleCode,
    postId: q.postId,
    status: q.status,
  };
  if (q.departmentId !== undefined && q.includeSubtree) {
    // An unknown department matches nobody: `/-/` is a prefix no path has.
    f.subtreePath = (await departmentPath(deps.db, q.departmentId)) ?? '/-/';
  }
  if (q.certExpiring !== undefined) f.certExpiringBy = addDays(deps.today(), q.certExpiring);
  // Exact match only: the blind index of the normalised number, never a LIKE over phone numbers.
  if (q.phone) f.phoneBidx = deps.pii.blindIndex('phone', normalizePhone(q.phone));
  return f;
}
