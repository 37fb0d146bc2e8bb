import { SAVED_VIEW_LIMIT, type SavedView, type SavedViewFilter } from '@rongjian/shared/api';
import { sql } from 'kysely';
import type { SessionUser } from '../auth/auth.user.ts';
import type { AppContext } from '../context.ts';
import { json } from '../db/json.ts';
import { AppError, notFound } from '../errors.ts';

type Row = { id: number; page: string; name: string; filter: Record<string, unknown>; updated_at: Date };

const view = (r: Row): SavedView => ({
  id: Number(r.id),
  page: r.page,
  name: r.name,
  filter: r.filter,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** A user's own saved filter sets (保存的筛选); nobody sees or changes another user's. */
export function createPrefsService({ db }: Pick<AppContext, 'db'>) {
  return {
    async list(user: SessionUser, page: string): Promise<SavedView[]> {
      const rows = await db
        .selectFrom('saved_view')
        .select(['id', 'page', 'name', 'filter', 'updated_at'])
        .where('user_id', '=', user.id)
        .where('page', '=', page)
        .orderBy('name')
        .execute();
      return rows.map(view);
    },

    /** Save under `name`: a new view, or the same name's filter replaced. */
    async save(
      user: SessionUser,
      input: { page: string; name: string; filter: SavedViewFilter },
    ): Promise<{ view: SavedView; created: boolean }> {
      return db.transaction().execute(async (tx) => {
        // One user's saves are serialised, so two tabs cannot both slip past the limit.
        await sql`select pg_advisory_xact_lock(hashtext('saved_view'), ${user.id}::int)`.execute(tx);
        const existing = await tx
          .selectFrom('saved_view')
          .select('id')
          .where('user_id', '=', user.id)
          .where('page', '=', input.page)
          .where('name', '=', input.name)
          .executeTakeFirst();
        if (existing) {
          const row = await tx
            .updateTable('saved_view')
            .set({ filter: json(input.filter), updated_at: new Date() })
            .where('id', '=', existing.id)
            .returning(['id', 'page', 'name', 'filter', 'updated_at'])
            .executeTakeFirstOrThrow();
          return { view: view(row), created: false };
        }
        const count = await tx
          .selectFrom('saved_view')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', '=', user.id)
          .where('page', '=', input.page)
          .executeTakeFirstOrThrow();
        if (Number(count.n) >= SAVED_VIEW_LIMIT) {
          throw new AppError(
            'SAVED_VIEW_LIMIT',
            `每个页面最多保存 ${SAVED_VIEW_LIMIT} 个筛选，请先删除不用的`,
            { status: 409 },
          );
        }
        const row = await tx
          .insertInto('saved_view')
          .values({ user_id: user.id, page: input.page, name: input.name, filter: json(input.filter) })
          .returning(['id', 'page', 'name', 'filter', 'updated_at'])
          .executeTakeFirstOrThrow();
        return { view: view(row), created: true };
      });
    },

    async remove(user: SessionUser, id: number): Promise<SavedView> {
      const row = await db
        .deleteFrom('saved_view')
        .where('id', '=', id)
        .where('user_id', '=', user.id)
        .returning(['id', 'page', 'name', 'filter', 'updated_at'])
        .executeTakeFirst();
      if (!row) throw notFound('保存的筛选');
      return view(row);
    },
  };
}
