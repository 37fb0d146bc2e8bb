import { z } from 'zod';

/** Notices (通知公告): `/api/system/notices*` for administrators, `/api/notices*` for every signed-in user. */
export const noticeKindSchema = z.enum(['notice', 'announcement']);
export type NoticeKind = z.infer<typeof noticeKindSchema>;
export const noticeLevelSchema = z.enum(['normal', 'important']);
export type NoticeLevel = z.infer<typeof noticeLevelSchema>;
export const noticeStatusSchema = z.enum(['draft', 'published', 'withdrawn']);
export type NoticeStatus = z.infer<typeof noticeStatusSchema>;

export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = { notice: '通知', announcement: '公告' };
export const NOTICE_LEVEL_LABELS: Record<NoticeLevel, string> = { normal: '普通', important: '重要' };
export const NOTICE_STATUS_LABELS: Record<NoticeStatus, string> = {
  draft: '草稿',
  published: '已发布',
  withdrawn: '已撤回',
};

/** Ledger event kind appended when a notice is published (open consoles refresh their unread count). */
export const NOTICE_PUBLISHED_EVENT = 'notice.published';

export const noticeAdminSchema = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  kind: noticeKindSchema,
  level: noticeLevelSchema,
  status: noticeStatusSchema,
  targetAll: z.boolean(),
  targetDepartments: z.array(z.object({ id: z.number(), name: z.string() })),
  authorName: z.string(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  readCount: z.number(),
});
export type NoticeAdmin = z.infer<typeof noticeAdminSchema>;

export const noticeAdminPageSchema = z.object({
  items: z.array(noticeAdminSchema),
  /** Rows matching the filters (all pages). */
  total: z.number(),
  /** Pass as `after` for the next (older) page; null on the last page. */
  nextAfter: z.number().nullable(),
});
export type NoticeAdminPage = z.infer<typeof noticeAdminPageSchema>;

export const myNoticeSchema = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  kind: noticeKindSchema,
  level: noticeLevelSchema,
  authorName: z.string(),
  publishedAt: z.string(),
  read: z.boolean(),
});
export type MyNotice = z.infer<typeof myNoticeSchema>;

export const myNoticePageSchema = z.object({
  items: z.array(myNoticeSchema),
  /** Pass as `after` for the next (older) page; null on the last page. */
  nextAfter: z.string().nullable(),
});
export type MyNoticePage = z.infer<typeof myNoticePageSchema>;

/** Departments a notice may be addressed to (the whole tree; targeting one reaches everything below it). */
export const noticeDepartmentSchema = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
});
export type NoticeDepartment = z.infer<typeof noticeDepartmentSchema>;
