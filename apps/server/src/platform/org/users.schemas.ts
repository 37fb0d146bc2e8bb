import { userStatusSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import { isValidDay } from '../calendar/calendar.rules.ts';
import { filterText, pageQuery } from './org.schemas.ts';
import { MOBILE_RE, normalizePhone, USERNAME_HINT, USERNAME_RE } from './users.rules.ts';

const positiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .default(true);

/** Filters shared by the user list and the export. */
export const userFilterFields = {
  keyword: filterText(64).optional(),
  departmentId: positiveId.optional(),
  includeSubtree: bool,
  roleCode: filterText(64).optional(),
  postId: positiveId.optional(),
  status: userStatusSchema.optional(),
  certExpiring: z.coerce.number().int().min(0).max(3650).optional(),
  phone: filterText(32).optional(),
};

export const userListQuery = z.strictObject({ ...userFilterFields, ...pageQuery });
export const userExportQuery = z.strictObject(userFilterFields);

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD 格式')
  .refine(isValidDay, '不是有效的日期');

const phone = z
  .string()
  .trim()
  .max(32)
  .transform(normalizePhone)
  .refine((p) => MOBILE_RE.test(p), '手机号应为 11 位中国大陆手机号码');

const editable = {
  displayName: z.string().trim().min(1, '请输入姓名').max(40, '姓名最多 40 个字'),
  departmentId: z.number().int().positive(),
  roleCodes: z.array(z.string().trim().min(1).max(64)).max(20, '最多 20 个角色').default([]),
  postIds: z.array(z.number().int().positive()).max(20, '最多 20 个岗位').default([]),
  certNo: z
    .string()
    .trim()
    .max(40, '执法证号最多 40 个字符')
    .transform((v) => v || null)
    .nullable()
    .default(null),
  certValidUntil: day.nullable().default(null),
};

export const userCreateBody = z.strictObject({
  username: z.string().trim().regex(USERNAME_RE, USERNAME_HINT),
  ...editable,
  phone: phone.nullable().default(null),
  /** Omitted: a strong one-time password is generated and returned once. */
  password: z.string().min(1).max(128).optional(),
});

/** `phone` omitted: unchanged (the form only ever sees it masked); null: removed. */
export const userUpdateBody = z.strictObject({ ...editable, phone: phone.nullable().optional() });

export const userStatusBody = z.strictObject({ status: userStatusSchema });
