import { z } from 'zod';
import type { DepartmentKind } from '../org.ts';

export { ALLOWED_PARENT_KINDS, DEPARTMENT_KIND_LABELS } from '../org.ts';

/** Organisation administration contracts: departments, posts (岗位), users (`/api/system/{departments,posts,users}`). */

export const departmentKindSchema = z.enum([
  'bureau',
  'office',
  'branch',
  'station',
]) satisfies z.ZodType<DepartmentKind>;
export type { DepartmentKind };

export const departmentSchema = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
  kind: departmentKindSchema,
  code: z.string(),
  sort: z.number(),
  regionCode: z.string().nullable(),
  /** Users whose department is this one. */
  userCount: z.number(),
  createdAt: z.string(),
});
export type Department = z.infer<typeof departmentSchema>;

export interface DepartmentNode extends Department {
  /** Users of this department and of every visible department below it. */
  subtreeUserCount: number;
  children: DepartmentNode[];
}

export const departmentNodeSchema: z.ZodType<DepartmentNode> = departmentSchema.extend({
  subtreeUserCount: z.number(),
  get children() {
    return z.array(departmentNodeSchema);
  },
});

export const departmentTreeSchema = z.object({ items: z.array(departmentNodeSchema) });
export type DepartmentTree = z.infer<typeof departmentTreeSchema>;

export const postSchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  userCount: z.number(),
});
export type Post = z.infer<typeof postSchema>;

export const postListSchema = z.object({
  items: z.array(postSchema),
  total: z.number(),
  nextAfter: z.number().nullable(),
});
export type PostList = z.infer<typeof postListSchema>;

export const userStatusSchema = z.enum(['active', 'disabled']);
export type UserStatus = z.infer<typeof userStatusSchema>;

export const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  posts: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
  /** Masked on the server (`138****1234`); the full number never leaves it in a list or a read. */
  phoneMasked: z.string().nullable(),
  certNo: z.string().nullable(),
  /** `YYYY-MM-DD`. */
  certValidUntil: z.string().nullable(),
  status: userStatusSchema,
  mustChangePassword: z.boolean(),
  isDemo: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const userListSchema = z.object({
  items: z.array(userSchema),
  /** Rows matching the filters (all pages). */
  total: z.number(),
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: z.number().nullable(),
});
export type UserList = z.infer<typeof userListSchema>;

export const userCreatedSchema = z.object({
  user: userSchema,
  /** The generated initial password, shown once; null when the administrator gave one. */
  initialPassword: z.string().nullable(),
});
export type UserCreated = z.infer<typeof userCreatedSchema>;

export const passwordResetSchema = z.object({ password: z.string() });
export type PasswordReset = z.infer<typeof passwordResetSchema>;

/** What the user form offers: departments in the caller's data scope, every role and post. */
export const userOptionsSchema = z.object({
  departments: z.array(
    z.object({
      id: z.number(),
      parentId: z.number().nullable(),
      name: z.string(),
      kind: departmentKindSchema,
      code: z.string(),
    }),
  ),
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  posts: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
});
export type UserOptions = z.infer<typeof userOptionsSchema>;

export const importErrorSchema = z.object({ row: z.number(), field: z.string(), reason: z.string() });
export type ImportError = z.infer<typeof importErrorSchema>;

export const userImportResultSchema = z.object({
  dryRun: z.boolean(),
  /** Data rows in the file. */
  total: z.number(),
  created: z.number(),
  updated: z.number(),
  failed: z.number(),
  errors: z.array(importErrorSchema),
  /** Download the rejected rows with their reasons from `/api/system/users/import-errors/:id`. */
  errorReportId: z.number().optional(),
  /** Generated initial passwords of the users created, shown once (must be changed at first login). */
  initialPasswords: z.array(z.object({ username: z.string(), password: z.string() })),
});
export type UserImportResult = z.infer<typeof userImportResultSchema>;

/** Column headers of the user import template, in order. */
export const USER_IMPORT_HEADERS = [
  '用户名',
  '姓名',
  '部门编码',
  '角色编码(多个用逗号)',
  '岗位编码',
  '手机号',
  '执法证号',
  '执法证有效期',
] as const;
