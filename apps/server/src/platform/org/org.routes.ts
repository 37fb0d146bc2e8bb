import { todayInChina } from '../calendar/calendar.rules.ts';
import type { AppContext } from '../context.ts';
import type { App } from '../http/app.ts';
import { registerDepartmentRoutes } from './departments.routes.ts';
import { registerPostRoutes } from './posts.routes.ts';
import { createUserImporter } from './users.import.ts';
import { registerUserRoutes } from './users.routes.ts';
import { createUserService } from './users.service.ts';
import { registerUserTransferRoutes } from './users.transfer.routes.ts';

/** Organisation administration: departments, posts (岗位) and users, with Excel import and export. */
export function registerOrgRoutes(app: App, ctx: AppContext): void {
  const users = createUserService({
    db: ctx.db,
    pii: ctx.pii,
    setPassword: (tx, userId, plain, opts) => ctx.auth.setUserPassword(tx, userId, plain, opts),
    passwordLength: () => ctx.auth.passwordPolicy().minLength,
    today: todayInChina,
  });
  const importer = createUserImporter({
    db: ctx.db,
    pii: ctx.pii,
    passwordLength: () => ctx.auth.passwordPolicy().minLength,
  });
  registerDepartmentRoutes(app, ctx);
  registerPostRoutes(app, ctx);
  registerUserRoutes(app, ctx, users);
  registerUserTransferRoutes(app, ctx, { users, importer });
}
