import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import { json } from '../../platform/db/json.ts';
import type { DB, EntityType } from '../../platform/db/schema.ts';
import { likeContains, likePrefix } from '../../platform/db/like.ts';

/**
 * SQL of 经营主体 search and the 一户一档 profile. Every read applies the caller's data scope to the entity's
 * 所 (`station_id`), so an entity of another 所 is simply not found. Each filter has an index (0002, 0009, 0017).
 * A name fragment matches names that contain it, case-insensitively: a two-character fragment (烧烤, 老王) through
 * the bigram index of 0017, three or more characters through the trigram index. A one-character fragment and
 * two-character address fragments have no index and scan the rows left by the other filters.
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

type EntityScope = ExpressionBuilder<DB & { e: DB['entity'] }, 'e'>;

/**
 * The name contains the fragment, case-insensitively (`%` and `_` match themselves). For a fragment of exactly two
 * characters (code points) the bigram index of 0017 finds the candidates and `strpos` on the lower-cased name (on
 * the name itself for an `uncased` fragment) is the test itself: the planner runs the cheap test first, so the bigram function runs again only on rows that
 * already matched (on a plan that does not use the index). Longer fragments use `ilike` on the trigram index;
 * one character has no index.
 *
 * `walk`: the same test in a form no index serves, for reading a window of ids in order (ID_WINDOW). The planner
 * would otherwise take a GIN index whenever it underestimates the matches — it judges a pattern by the ~100
 * names of the column's histogram, so a fragment none of them holds is taken to be rare — and read all of the
 * matches to return twenty.
 */
function nameContains(eb: EntityScope, fragment: string, walk: boolean) {
  const test = uncased(fragment)
    ? sql<boolean>`strpos(e.name, ${fragment}) > 0`
    : sql<boolean>`strpos(lower(e.name), lower(${fragment})) > 0`;
  if (walk) return test;
  if ([...fragment].length === 2) {
    return eb.and([sql<boolean>`entity_name_bigrams(e.name) @> entity_name_bigrams(${fragment})`, test]);
  }
  return eb('e.name', 'ilike', likeContains(fragment));
}

/**
 * The fragment has no character that case folding touches (Chinese, digits, punctuation): then a name contains it
 * exactly when its lower-cased form does, and `strpos` on the name itself is the same test at about a quarter of
 * the cost per row (no `lower()` of every name walked or rechecked; docs/performance.md). Strict on purpose: a
 * character counts as cased if either full mapping changes it (ß upper-cases to SS, the lower-case of ẞ), and
 * combining marks are excluded because a full lower-casing may produce one (İ → i + U+0307).
 */
const uncased = (fragment: string) =>
  !/\p{M}/u.test(fragment) && fragment === fragment.toLowerCase() && fragment === fragment.toUpperCase();

/** Case-insensitive equality of the whole name: the first tier of the relevance order. */
const nameEquals = (eb: EntityScope, fragment: string) =>
  eb(eb.fn('lower', ['e.name']), '=', eb.fn('lower', [eb.val(fragment)]));

function visible(db: Executor, viewer: Viewer, f: EntityFilter, walk = false) {
  let q = db
    .selectFrom('entity as e')
    .leftJoin('grid as g', 'g.id', 'e.grid_id')
    .leftJoin('department as d', 'd.id', 'e.station_id')
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }));
  if (f.q) {
    const fragment = f.q;
    q = q.where((eb) => nameContains(eb, fragment, walk));
  }
  if (f.uscc) {
    // Prefix only: the escaped fragment anchored at the start, so the btree pattern index applies. Codes are
    // upper-case (GB 32100): `92320599ma` is read as `92320599MA`.
    q = q.where(sql`e.uscc`, 'like', likePrefix(f.uscc.toUpperCase()));
  }
  if (f.address) {
    q = walk
      ? q.where(sql<boolean>`strpos(lower(e.address), lower(${f.address})) > 0`)
      : q.where('e.address', 'ilike', likeContains(f.address));
  }
  if (f.gridId !== undefined) q = q.where('e.grid_id', '=', f.gridId);
  if (f.stationId !== undefined) q = q.where('e.station_id', '=', f.stationId);
  if (f.type) q = q.where('e.type', '=', f.type);
  if (f.businessLine) {
    // `?` (has this element) is what `@>` [line] means for an array of strings; jsonb_path_ops cannot serve it.
    q = walk
      ? q.where(sql<boolean>`e.business_lines ? ${f.businessLine}`)
      : q.where(sql`e.business_lines`, '@>', json([f.businessLine]));
  }
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

export interface EntityPageRequest {
  after?: number | undefined;
  limit: number;
  /**
   * The caller counted the matches and there are few (at most the count cap): read them all and sort by id.
   * Otherwise the page is read by walking ids, first within a window (ID_WINDOW), then over what lies beyond.
   */
  fewMatches?: boolean | undefined;
}

/**
 * Ids walked in order before giving up on meeting a page of matches nearby. Left to itself the planner walks the
 * id index whenever it expects many matches, assuming they are spread evenly; a fragment whose matches gather at
 * the far end of the register (names registered recently) then costs a walk through most of it. The window
 * bounds the walk to a few milliseconds; the matches beyond it are fetched through the index and sorted. 5,000:
 * with more than 1,000 matches in 1,000,000 rows, a window of 20,000 often still held fewer than 20 and cost
 * its whole walk before the fetch beyond (docs/performance.md).
 */
const ID_WINDOW = 5_000;
/** The longest second walk, sized from the matches the window held (listEntities). */
const ID_EXTEND = 20_000;

type Tier = ((eb: EntityScope) => ReturnType<typeof nameEquals>) | null;

/**
 * One page of matches. Without a name fragment the order is by id. With one, names equal to the fragment come
 * first, then every other match, each tier by id: the cursor stays the last row's id, and the tier it stands in
 * is read back from that row, so paging needs no extra state and each tier is an id-ordered `limit` query.
 * Finer orders (prefix before contains, trigram similarity) were left out: they need the relevance of every
 * match before the first row can be returned (docs/performance.md).
 */
export async function listEntities(db: Executor, viewer: Viewer, f: EntityFilter & EntityPageRequest) {
  // An entity absorbed by a merge is reached only through its survivor (or directly by id).
  const matches = (tier: Tier, limit: number, walk = false) => {
    const q = visible(db, viewer, f, walk).where('e.merged_into', 'is', null).select(COLUMNS).limit(limit);
    return tier ? q.where(tier) : q;
  };
  // `id + 0` is the same order, but no index provides it: the planner fetches the matches, then sorts them.
  const sorted = sql`e.id + 0`;
  const page = async (tier: Tier, after: number | undefined, limit: number, few = f.fewMatches) => {
    const from = after ?? 0;
    if (few) return matches(tier, limit).where('e.id', '>', from).orderBy(sorted).execute();
    const walk = (lo: number, hi: number, n: number) =>
      matches(tier, n, true).where('e.id', '>', lo).where('e.id', '<=', hi).orderBy('e.id').execute();
    let near = await walk(from, from + ID_WINDOW, limit);
    let edge = from + ID_WINDOW;
    if (near.length === limit) return near;
    // The window's matches tell their density nearby: when the rest of the page should lie within twice the ids
    // that density implies, and that is at most ID_EXTEND, walk on rather than fetch and sort every match beyond.
    const span =
      near.length > 0 ? Math.ceil((2 * (limit - near.length) * ID_WINDOW) / near.length) : Infinity;
    if (span <= ID_EXTEND) {
      near = [...near, ...(await walk(edge, edge + span, limit - near.length))];
      edge += span;
      if (near.length === limit) return near;
    }
    const beyond = await matches(tier, limit - near.length)
      .where('e.id', '>', edge)
      .orderBy(sorted)
      .execute();
    return [...near, ...beyond];
  };
  const fragment = f.q;
  if (!fragment) return page(null, f.after, f.limit);

  const exact = (eb: EntityScope) => nameEquals(eb, fragment);
  // Every walked or fetched row of the second tier is tested: without cased letters a name is equal to the
  // fragment case-insensitively exactly when it is equal, so `lower()` is skipped there too (see `uncased`).
  const other = (eb: EntityScope) =>
    uncased(fragment) ? eb('e.name', '<>', fragment) : eb.not(nameEquals(eb, fragment));
  // The cursor row's tier, judged within the caller's scope (a row they cannot see counts as "other").
  const cursorIsExact =
    f.after !== undefined &&
    (
      await visible(db, viewer, {})
        .select(sql<boolean>`lower(e.name) = lower(${fragment})`.as('exact'))
        .where('e.id', '=', f.after)
        .executeTakeFirst()
    )?.exact === true;
  if (f.after !== undefined && !cursorIsExact) return page(other, f.after, f.limit);
  // Registered names are nearly unique: the equal-name tier is a handful of rows on the lower(name) index.
  const first = await page(exact, f.after, f.limit, true);
  if (first.length === f.limit) return first;
  return [...first, ...(await page(other, undefined, f.limit - first.length))];
}

/** How alike two normal names must be to be offered as 名称相近 (pg_trgm's own default for `%`). */
const SIMILAR_MIN = 0.3;

/**
 * Entities whose normal name (resolution's `name_norm`: place-name prefix, 有限公司 and the like, brackets and
 * spaces gone) is trigram-similar to `norm`, the most similar first — the search's answer when no name contains the
 * fragment as typed (full-width brackets, a space inside, the place name in front), on the partial trigram index of
 * 0014 (unmerged entities only). The other filters and the data scope apply as to any search.
 */
export async function similarEntities(
  db: Executor,
  viewer: Viewer,
  f: EntityFilter,
  norm: string,
  limit: number,
) {
  const similarity = sql<number>`similarity(e.name_norm, ${norm})`;
  return visible(db, viewer, { ...f, q: undefined })
    .where('e.merged_into', 'is', null)
    .where(sql<boolean>`e.name_norm % ${norm}`)
    .where(similarity, '>=', SIMILAR_MIN)
    .select(COLUMNS)
    .orderBy(similarity, 'desc')
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/**
 * Matches counted up to `cap` (a count past it reads `cap + 1`): counting reads every match, and for a common
 * fragment over a million entities that costs many times the page itself.
 */
export async function countEntities(
  db: Executor,
  viewer: Viewer,
  f: EntityFilter,
  cap: number,
): Promise<number> {
  const matches = visible(db, viewer, f)
    .where('e.merged_into', 'is', null)
    .select(sql<number>`1`.as('one'))
    .limit(cap + 1);
  const r = await db
    .selectFrom(matches.as('m'))
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

/**
 * The search's data scope and filters as a query over `entity as e` (joined to `grid as g` and `department as d`),
 * for other read models of the same register, such as the map layer (support/gis).
 */
export { visible as entitiesMatching };
