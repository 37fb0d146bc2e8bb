import { permissionCatalogSchema } from '@rongjian/shared/api';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { flattenCatalog } from './permissions.catalog.ts';
import { createRoleService } from './roles.service.ts';

/** 菜单权限: the permission catalogue (目录/菜单/按钮) and which roles hold each entry. */
export function registerPermissionRoutes(app: App, ctx: AppContext): void {
  const roles = createRoleService({ db: ctx.db });

  app.get(
    '/api/system/permissions',
    {
      config: { policy: { permission: 'system:role:read' } },
      schema: {
        tags: ['系统管理'],
        summary: '权限目录（目录、菜单、按钮）及持有各权限的角色',
        response: { 200: permissionCatalogSchema },
      },
    },
    async () => {
      const holders = await roles.catalogHolders();
      return {
        nodes: flattenCatalog().map(({ node, parentKey }) => ({
          key: node.key,
          parentKey,
          type: node.type,
          label: node.label,
          permission: node.permission,
          path: node.path,
          duty: node.duty,
          shared: node.shared ?? false,
          roles: node.permission
            ? holders
                .filter((h) => h.covers.has(node.permission as string))
                .map(({ id, code, name }) => ({ id, code, name }))
            : [],
        })),
      };
    },
  );
}
