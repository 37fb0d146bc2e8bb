import type { Generated, JSONColumnType } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../db/schema.ts';

export type NoticeKind = 'notice' | 'announcement';
export type NoticeLevel = 'normal' | 'important';
export type NoticeStatus = 'draft' | 'published' | 'withdrawn';

export interface NoticeTable {
  id: Generated<number>;
  title: string;
  body: Generated<string>;
  /** 通知 (notice) or 公告 (announcement). */
  kind: NoticeKind;
  level: Generated<NoticeLevel>;
  status: Generated<NoticeStatus>;
  /** Everybody, or the users of `target_department_ids` and of the departments below them. */
  target_all: Generated<boolean>;
  target_department_ids: Json<number[]>;
  /** Single users a notice is addressed to (system notices such as deadline warnings; migration 0020). */
  target_user_ids: JSONColumnType<number[], number[] | undefined, number[]>;
  author_id: number | null;
  author_name: string;
  /** The author's department, for the administrators' data scope. */
  department_id: number | null;
  published_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface NoticeReadTable {
  notice_id: number;
  user_id: number;
  read_at: GeneratedTimestamp;
}

/** Row types of this module's tables: notices (通知公告) and read status. Merged into `DB` in platform/db/schema.ts. */
export interface NoticeTables {
  notice: NoticeTable;
  notice_read: NoticeReadTable;
}
