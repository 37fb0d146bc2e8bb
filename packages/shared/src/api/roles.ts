import { z } from 'zod';
import { departmentKindSchema } from './org.ts';

/** Roles, their members and the permission catalogue (`/api/system/roles*`, `/api/system/permissions`). */
export const dataScopeSchema = z.enum(['all', 'custom', 'department', 'department_tree', 'self']);
export type DataScopeCode = z.infer<typeof dataScopeSchema>;

export const roleSummarySchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  dataScope: dataScopeSchema,
  scopeDepartmentIds: z.array(z.number()),
  /** As stored; built-in roles use wildcards such as `system:user:*`. */
  permissions: z.array(z.string()),
  builtin: z.boolean(),
  /** Which administrator duty the role serves: system / security / audit / business (null: no permission). */
  duty: z.enum(['system', 'security', 'audit', 'business']).nullable(),
  /** Members within the caller's data scope. */
  memberCount: z.number(),
});
export type RoleSummary = z.infer<typeof roleSummarySchema>;

export const roleDetailSchema = roleSummarySchema.extend({
  /** Concrete catalogue permissions the stored ones cover (wildcards expanded), for checking tree nodes. */
  effectivePermissions: z.array(z.string()),
  scopeDepartments: z.array(z.object({ id: z.number(), name: z.string() })),
});
export type RoleDetail = z.infer<typeof roleDetailSchema>;

export const roleMemberSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  status: z.enum(['active', 'disabled']),
});
export type RoleMember = z.infer<typeof roleMemberSchema>;

export const roleMemberPageSchema = z.object({
  items: z.array(roleMemberSchema),
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: z.number().nullable(),
});
export type RoleMemberPage = z.infer<typeof roleMemberPageSchema>;

export const departmentOptionSchema = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
  kind: departmentKindSchema,
});
export type DepartmentOption = z.infer<typeof departmentOptionSchema>;

export const permissionNodeSchema = z.object({
  key: z.string(),
  parentKey: z.string().nullable(),
  type: z.enum(['directory', 'menu', 'button']),
  label: z.string(),
  permission: z.string().nullable(),
  path: z.string().nullable(),
  duty: z.enum(['system', 'security', 'audit', 'business']),
  shared: z.boolean(),
  /** Roles whose permissions cover this node's permission. */
  roles: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
});
export type PermissionNodeView = z.infer<typeof permissionNodeSchema>;

/** `GET /api/system/permissions`: the catalogue as a flat list in tree order (rebuild with `parentKey`). */
export const permissionCatalogSchema = z.object({ nodes: z.array(permissionNodeSchema) });
export type PermissionCatalog = z.infer<typeof permissionCatalogSchema>;
