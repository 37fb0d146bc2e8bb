import type { MyNoticePage, NoticeAdmin, NoticeAdminPage } from '@rongjian/shared/api';
import { NOTICE_PUBLISHED_EVENT } from '@rongjian/shared/api';
import type { Kysely, Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { json } from '../db/json.ts';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { appendEvent } from '../ledger/ledger.service.ts';
import * as repo from './notice.repo.ts';
import type { NoticeKind, NoticeLevel, NoticeStatus } from './notice.tables.ts';

export interface NoticeInput {
  title: string;
  body: string;
  kind: NoticeKind;
  level: NoticeLevel;
  targetAll: boolean;
  targetDepartmentIds: number[];
}

type User = Pick<SessionUser, 'id' | 'displayName' | 'departmentId' | 'scope'>;

const stateConflict = (message: string) => new AppError('NOTICE_STATE_CONFLICT', message, { status: 409 });

/** Cursor of the users' list: `<published_at ISO>|<id>`, newest first. */
export function parseCursor(after: string | undefined): { at: Date; id: number } | undefined {
  if (!after) return undefined;
  const [at, id] = after.split('|');
  const date = new Date(at ?? '');
  const n = Number(id);
  if (Number.isNaN(date.getTime()) || !Number.isSafeInteger(n)) {
    throw new AppError('VALIDATION_FAILED', '分页参数 after 无效');
  }
  return { at: date, id: n };
}

/**
 * A system notice addressed to single users (deadline 预警/逾期 and the like), published at once inside the
 * caller's transaction, so it exists exactly when the change that raised it committed. `departmentId` is the
 * department the matter belongs to (administrators' data scope). Returns the notice id, or null without recipients.
 */
export async function publishToUsers(
  tx: Transaction<DB>,
  input: {
    title: string;
    body: string;
    level: NoticeLevel;
    userIds: number[];
    departmentId: number | null;
    authorName?: string;
  },
): Promise<number | null> {
  const users = [...new Set(input.userIds)];
  if (users.length === 0) return null;
  const now = new Date();
  const row = await tx
    .insertInto('notice')
    .values({
      title: input.title,
      body: input.body,
      kind: 'notice',
      level: input.level,
      status: 'published',
      target_all: false,
      target_department_ids: json([]),
      target_user_ids: json(users),
      author_id: null,
      author_name: input.authorName ?? '系统',
      department_id: input.departmentId,
      published_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Notices (通知公告): administrators write, publish and withdraw them within their data scope; every signed-in
 * user sees the published ones addressed to everybody or to their department or a department above it.
 */
export function createNoticeService(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  async function toAdmin(
    tx: Kysely<DB> | Transaction<DB>,
    rows: repo.AdminNoticeRow[],
  ): Promise<NoticeAdmin[]> {
    const names = await repo.departmentNames(tx, [...new Set(rows.flatMap((r) => r.target_department_ids))]);
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      kind: r.kind,
      level: r.level,
      status: r.status,
      targetAll: r.target_all,
      targetDepartments: r.target_department_ids.map((id) => ({
        id,
        name: names.get(id) ?? `已删除的部门（${id}）`,
      })),
      authorName: r.author_name,
      publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      readCount: Number(r.read_count ?? 0),
    }));
  }

  async function load(tx: Kysely<DB> | Transaction<DB>, user: User, id: number): Promise<NoticeAdmin> {
    const row = await repo.findOneForAdmin(tx, user, id);
    if (!row) throw notFound('通知公告');
    const [view] = await toAdmin(tx, [row]);
    return view as NoticeAdmin;
  }

  async function checkTargets(tx: Transaction<DB>, input: NoticeInput): Promise<number[]> {
    if (input.targetAll) return [];
    const ids = [...new Set(input.targetDepartmentIds)];
    const found = await repo.existingDepartments(tx, ids);
    if (ids.length === 0 || found.length !== ids.length) {
      throw new AppError('VALIDATION_FAILED', '请选择接收部门（部门须存在）', {
        details: [{ path: 'targetDepartmentIds', message: '请选择至少一个有效的接收部门' }],
      });
    }
    return ids;
  }

  /** Move a notice between states, only from the states listed; returns before and after. */
  async function transition(user: User, id: number, from: NoticeStatus[], to: NoticeStatus, refused: string) {
    return db.transaction().execute(async (tx) => {
      const before = await load(tx, user, id);
      if (!from.includes(before.status)) throw stateConflict(refused);
      const now = new Date();
      await tx
        .updateTable('notice')
        .set({
          status: to,
          updated_at: now,
          ...(to === 'published' ? { published_at: now, withdrawn_at: null } : {}),
          ...(to === 'withdrawn' ? { withdrawn_at: now } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', from)
        .execute();
      if (to === 'published') {
        // Null department: every console's event stream hears it; the payload names no title or audience.
        await appendEvent(tx, {
          actor: { id: user.id, name: user.displayName },
          subjectType: 'notice',
          subjectId: id,
          departmentId: null,
          kind: NOTICE_PUBLISHED_EVENT,
          payload: { noticeId: id },
        });
      }
      return { before, after: await load(tx, user, id) };
    });
  }

  return {
    async listAdmin(
      user: User,
      filter: repo.AdminFilter,
      page: { after?: number | undefined; limit: number },
    ): Promise<NoticeAdminPage> {
      const { rows, total } = await repo.findForAdmin(db, user, filter, page);
      const items = await toAdmin(db, rows.slice(0, page.limit));
      return { items, total, nextAfter: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
    },
    getAdmin: (user: User, id: number) => load(db, user, id),

    create(user: User, input: NoticeInput): Promise<NoticeAdmin> {
      return db.transaction().execute(async (tx) => {
        const targets = await checkTargets(tx, input);
        const row = await tx
          .insertInto('notice')
          .values({
            title: input.title,
            body: input.body,
            kind: input.kind,
            level: input.level,
            target_all: input.targetAll,
            target_department_ids: json(targets),
            author_id: user.id,
            author_name: user.displayName,
            department_id: user.departmentId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return load(tx, user, row.id);
      });
    },

    /** Drafts and withdrawn notices may be edited; a published one is withdrawn first, so readers never see it change. */
    update(user: User, id: number, input: NoticeInput) {
      return db.transaction().execute(async (tx) => {
        const before = await load(tx, user, id);
        if (before.status === 'published') throw stateConflict('已发布的通知公告不能直接修改，请先撤回');
        const targets = await checkTargets(tx, input);
        await tx
          .updateTable('notice')
          .set({
            title: input.title,
            body: input.body,
            kind: input.kind,
            level: input.level,
            target_all: input.targetAll,
            target_department_ids: json(targets),
            updated_at: new Date(),
          })
          .where('id', '=', id)
          .execute();
        return { before, after: await load(tx, user, id) };
      });
    },

    remove(user: User, id: number) {
      return db.transaction().execute(async (tx) => {
        const before = await load(tx, user, id);
        if (before.status === 'published') throw stateConflict('已发布的通知公告不能删除，请先撤回');
        await tx.deleteFrom('notice').where('id', '=', id).execute();
        return before;
      });
    },

    publish: (user: User, id: number) =>
      transition(user, id, ['draft', 'withdrawn'], 'published', '该通知公告已发布'),
    withdraw: (user: User, id: number) =>
      transition(user, id, ['published'], 'withdrawn', '只有已发布的通知公告可以撤回'),

    async listMine(
      user: User,
      page: { after?: string | undefined; limit: number; unreadOnly?: boolean | undefined },
    ): Promise<MyNoticePage> {
      const departments = await repo.ancestorsOf(db, user.departmentId);
      const rows = await repo.findForUser(db, user.id, departments, {
        ...page,
        after: parseCursor(page.after),
      });
      const items = rows.slice(0, page.limit).map((r) => ({
        id: r.id,
        title: r.title,
        body: r.body,
        kind: r.kind,
        level: r.level,
        authorName: r.author_name,
        publishedAt: new Date(r.published_at ?? 0).toISOString(),
        read: Boolean(r.read),
      }));
      const last = items.at(-1);
      return { items, nextAfter: rows.length > page.limit && last ? `${last.publishedAt}|${last.id}` : null };
    },

    async unreadCount(user: User): Promise<number> {
      return repo.countUnread(db, user.id, await repo.ancestorsOf(db, user.departmentId));
    },

    /** Mark one notice read; a notice not addressed to the user (or withdrawn) is simply not found. */
    async markRead(user: User, id: number): Promise<void> {
      if (!(await repo.isVisibleTo(db, id, await repo.ancestorsOf(db, user.departmentId), user.id)))
        throw notFound('通知公告');
      await db
        .insertInto('notice_read')
        .values({ notice_id: id, user_id: user.id })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    async markAllRead(user: User): Promise<number> {
      return repo.markAllRead(db, user.id, await repo.ancestorsOf(db, user.departmentId));
    },
  };
}

export type NoticeService = ReturnType<typeof createNoticeService>;
