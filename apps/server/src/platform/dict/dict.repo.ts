import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { likeContains } from '../db/like.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface DictTypeRow {
  code: string;
  name: string;
  description: string;
  builtin: boolean;
  itemCount: number;
}

export async function findTypes(db: Executor, keyword?: string): Promise<DictTypeRow[]> {
  let q = db
    .selectFrom('dict_type as t')
    .select((eb) => [
      't.code',
      't.name',
      't.description',
      't.builtin',
      eb
        .selectFrom('dict_item as i')
        .whereRef('i.type_code', '=', 't.code')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('itemCount'),
    ])
    .orderBy('t.builtin', 'desc')
    .orderBy('t.code');
  if (keyword) {
    const p = likeContains(keyword);
    q = q.where((eb) => eb.or([eb('t.code', 'ilike', p), eb('t.name', 'ilike', p)]));
  }
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, itemCount: Number(r.itemCount ?? 0) }));
}

export async function findType(db: Executor, code: string): Promise<DictTypeRow | undefined> {
  const rows = await db
    .selectFrom('dict_type as t')
    .select((eb) => [
      't.code',
      't.name',
      't.description',
      't.builtin',
      eb
        .selectFrom('dict_item as i')
        .whereRef('i.type_code', '=', 't.code')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('itemCount'),
    ])
    .where('t.code', '=', code)
    .execute();
  const r = rows[0];
  return r && { ...r, itemCount: Number(r.itemCount ?? 0) };
}

export const itemColumns = [
  'id',
  'type_code',
  'value',
  'label',
  'parent_value',
  'sort',
  'enabled',
  'color',
  'builtin',
  'updated_at',
] as const;

export async function findItems(
  db: Executor,
  typeCode: string,
  filter: { keyword?: string | undefined; enabled?: boolean | undefined },
) {
  let q = db.selectFrom('dict_item').select(itemColumns).where('type_code', '=', typeCode);
  if (filter.keyword) {
    const p = likeContains(filter.keyword);
    q = q.where((eb) => eb.or([eb('value', 'ilike', p), eb('label', 'ilike', p)]));
  }
  if (filter.enabled !== undefined) q = q.where('enabled', '=', filter.enabled);
  return q.orderBy('sort').orderBy('id').execute();
}

export async function findItem(db: Executor, typeCode: string, id: number) {
  return db
    .selectFrom('dict_item')
    .select(itemColumns)
    .where('type_code', '=', typeCode)
    .where('id', '=', id)
    .executeTakeFirst();
}

export type DictItemRow = NonNullable<Awaited<ReturnType<typeof findItem>>>;

export async function itemValueExists(db: Executor, typeCode: string, value: string): Promise<boolean> {
  const r = await db
    .selectFrom('dict_item')
    .select('id')
    .where('type_code', '=', typeCode)
    .where('value', '=', value)
    .executeTakeFirst();
  return r !== undefined;
}

export async function countChildren(db: Executor, typeCode: string, value: string): Promise<number> {
  const r = await db
    .selectFrom('dict_item')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('type_code', '=', typeCode)
    .where('parent_value', '=', value)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function nextSort(db: Executor, typeCode: string): Promise<number> {
  const r = await db
    .selectFrom('dict_item')
    .select(sql<number>`coalesce(max(sort), 0)::int`.as('s'))
    .where('type_code', '=', typeCode)
    .executeTakeFirstOrThrow();
  return Number(r.s) + 10;
}
