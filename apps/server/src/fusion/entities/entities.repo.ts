import { type Kysely, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import { json } from '../../platform/db/json.ts';
import type { DB, EntityType } from '../../platform/db/schema.ts';
import { likeContains, likePrefix } from '../../platform/db/like.ts';

/**
 * SQL of 经营主体 search and the 一户一档 profile. Every read applies the caller's data scope to the entity's
 * 所 (`station_id`), so an entity of another 所 is simply not found. Each filter has an index (0002, 0009).
 * Name and address fragments use `ilike`: with three or more characters the trigram indexes serve it; a
 * two-character Chinese fragment (烧烤, 老王) falls back to a scan of the rows left by the other filters.
 */
export type Executor = Kysely<DB> | Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

export interface EntityFilter {
  q?: string | undefined;
  uscc?: string | undefined;
  address?: string | undefined;
  gridId?: number | undefined;
  stationId?: number | undefined;
  type?: EntityType | undefined;
  businessLine?: string | undefined;
  riskClass?: 'A' | 'B' | 'C' | 'D' | undefined;
  /**
   * Licence expiry window resolved by the service from the 许可证到期预警 setting: `until` null = has an expired
   * licence (before `today`); otherwise has a live licence ending between `today` and `until` inclusive.
   */
  licenceWindow?: { today: string; until: string | null } | undefined;
}

function visible(db: Executor, viewer: Viewer, f: EntityFilter) {
  let q = db
    .selectFrom('entity as e')
    .leftJoin('grid as g', 'g.id', 'e.grid_id')
    .leftJoin('department as d', 'd.id', 'e.station_id')
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }));
  if (f.q) q = q.where('e.name', 'ilike', likeContains(f.q));
  if (f.uscc) {
    // Prefix only: the escaped fragment anchored at the start, so the btree pattern index applies.
    q = q.where(sql`e.uscc`, 'like', likePrefix(f.uscc));
  }
  if (f.address) q = q.where('e.address', 'ilike', likeContains(f.address));
  if (f.gridId !== undefined) q = q.where('e.grid_id', '=', f.gridId);
  if (f.stationId !== undefined) q = q.where('e.station_id', '=', f.stationId);
  if (f.type) q = q.where('e.type', '=', f.type);
  if (f.businessLine) q = q.where(sql`e.business_lines`, '@>', json([f.businessLine]));
  if (f.riskClass) q = q.where('e.risk_class', '=', f.riskClass);
  const w = f.licenceWindow;
  if (w) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('entity_licence as l')
          .select('l.id')
          .whereRef('l.entity_id', '=', 'e.id')
          .where((eb) =>
            w.until === null
              ? eb.or([
                  eb('l.status', '=', '过期'),
                  eb.and([eb('l.status', '=', '有效'), eb('l.valid_until', '<', w.today)]),
                ])
              : eb.and([
                  eb('l.status', '=', '有效'),
                  eb('l.valid_until', '>=', w.today),
                  eb('l.valid_until', '<=', w.until),
                ]),
          ),
      ),
    );
  }
  return q;
}

const COLUMNS = [
  'e.id',
  'e.uscc',
  'e.name',
  'e.type',
  'e.address',
  'e.grid_id',
  'g.name as grid_name',
  'e.station_id',
  'd.name as station_name',
  'e.business_lines',
  'e.status',
  'e.risk_class',
] as const;

export async function listEntities(
  db: Executor,
  viewer: Viewer,
  f: EntityFilter & { after?: number | undefined; limit: number },
) {
  // An entity absorbed by a merge is reached only through its survivor (or directly by id).
  let q = visible(db, viewer, f)
    .where('e.merged_into', 'is', null)
    .select(COLUMNS)
    .orderBy('e.id')
    .limit(f.limit);
  if (f.after !== undefined) q = q.where('e.id', '>', f.after);
  return q.execute();
}

export async function countEntities(db: Executor, viewer: Viewer, f: EntityFilter): Promise<number> {
  const r = await visible(db, viewer, f)
    .where('e.merged_into', 'is', null)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One entity with its registration facts and grid boundary, or undefined when missing or out of scope. */
export async function findEntity(db: Executor, viewer: Viewer, id: number) {
  return visible(db, viewer, {})
    .select([
      ...COLUMNS,
      'e.region_code',
      sql<string | null>`to_char(e.established_on, 'YYYY-MM-DD')`.as('established_on'),
      'e.lon',
      'e.lat',
      'e.updated_at',
      'g.geometry as grid_geometry',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst();
}
