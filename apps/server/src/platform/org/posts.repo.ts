import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { likeContains } from './org.schemas.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface PostRow {
  id: number;
  code: string;
  name: string;
  user_count: number;
}

export interface PostFilter {
  keyword?: string | undefined;
}

function filtered(db: Executor, f: PostFilter) {
  let q = db.selectFrom('post as p');
  if (f.keyword) {
    const pattern = likeContains(f.keyword);
    q = q.where((eb) => eb.or([eb('p.code', 'ilike', pattern), eb('p.name', 'ilike', pattern)]));
  }
  return q;
}

type PostScope = DB & { p: DB['post'] };
const userCount = (eb: ExpressionBuilder<PostScope, 'p'>) =>
  eb
    .selectFrom('user_post as up')
    .select(eb.fn.countAll<number>().as('n'))
    .whereRef('up.post_id', '=', 'p.id')
    .as('user_count');

export async function listPosts(db: Executor, f: PostFilter & { after?: number | undefined; limit: number }) {
  let q = filtered(db, f).select(['p.id', 'p.code', 'p.name', userCount]);
  if (f.after !== undefined) q = q.where('p.id', '>', f.after);
  const rows = await q
    .orderBy('p.id')
    .limit(f.limit + 1)
    .execute();
  const total = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const page = rows.slice(0, f.limit).map((r) => ({ ...r, user_count: Number(r.user_count ?? 0) }));
  return {
    rows: page,
    total: Number(total.n),
    nextAfter: rows.length > f.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export async function findPost(db: Executor, id: number): Promise<PostRow | undefined> {
  const r = await db
    .selectFrom('post as p')
    .select(['p.id', 'p.code', 'p.name', userCount])
    .where('p.id', '=', id)
    .executeTakeFirst();
  return r && { ...r, user_count: Number(r.user_count ?? 0) };
}

export async function findPostByCode(db: Executor, code: string) {
  return db.selectFrom('post').select('id').where('code', '=', code).executeTakeFirst();
}
