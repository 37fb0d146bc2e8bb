import type { Post } from '@rongjian/shared/api';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { conflictOnDuplicate } from './org.errors.ts';
import { findPost, findPostByCode, listPosts, type PostFilter, type PostRow } from './posts.repo.ts';

export interface PostInput {
  code: string;
  name: string;
}

const toPost = (r: PostRow): Post => ({ id: r.id, code: r.code, name: r.name, userCount: r.user_count });

/** 岗位: a flat catalogue shared by every department (not data-scoped: it holds no personal data). */
export function createPostService(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  async function getOr404(id: number): Promise<PostRow> {
    const p = await findPost(db, id);
    if (!p) throw notFound('岗位');
    return p;
  }

  async function assertCodeFree(code: string, exceptId?: number) {
    const other = await findPostByCode(db, code);
    if (other && other.id !== exceptId) throw new AppError('CONFLICT', `岗位编码“${code}”已被使用`);
  }

  return {
    async list(f: PostFilter & { after?: number | undefined; limit: number }) {
      const r = await listPosts(db, f);
      return { items: r.rows.map(toPost), total: r.total, nextAfter: r.nextAfter };
    },

    async get(id: number): Promise<Post> {
      return toPost(await getOr404(id));
    },

    async create(input: PostInput): Promise<Post> {
      await assertCodeFree(input.code);
      const row = await conflictOnDuplicate(
        () => db.insertInto('post').values(input).returning('id').executeTakeFirstOrThrow(),
        `岗位编码“${input.code}”已被使用`,
      );
      return toPost(await getOr404(row.id));
    },

    async update(id: number, input: PostInput) {
      const before = toPost(await getOr404(id));
      await assertCodeFree(input.code, id);
      await conflictOnDuplicate(
        () => db.updateTable('post').set(input).where('id', '=', id).execute(),
        `岗位编码“${input.code}”已被使用`,
      );
      return { before, after: toPost(await getOr404(id)) };
    },

    async remove(id: number): Promise<Post> {
      const post = toPost(await getOr404(id));
      // Checked and deleted in one statement, so a user given the post meanwhile is not silently stripped of it.
      const res = await db
        .deleteFrom('post')
        .where('id', '=', id)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('user_post').select('user_id').where('post_id', '=', id))),
        )
        .executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) {
        const now = await getOr404(id);
        throw new AppError(
          'POST_IN_USE',
          `还有 ${now.user_count} 名用户担任“${post.name}”，请先调整这些用户的岗位`,
          {
            status: 409,
          },
        );
      }
      return post;
    },
  };
}
