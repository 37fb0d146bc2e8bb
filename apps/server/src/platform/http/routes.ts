import { registerEntityRoutes } from '../../fusion/entities/entities.routes.ts';
import { registerOverviewRoutes } from '../../fusion/overview/overview.routes.ts';
import { registerExchangeRoutes } from '../../support/exchange/exchange.routes.ts';
import { registerGridRoutes } from '../../support/gis/grids.routes.ts';
import { registerAuditRoutes } from '../audit/audit.routes.ts';
import { registerAuthRoutes } from '../auth/auth.routes.ts';
import { registerSessionRoutes } from '../auth/sessions.routes.ts';
import { registerCalendarRoutes } from '../calendar/calendar.routes.ts';
import type { AppContext } from '../context.ts';
import { registerDictRoutes } from '../dict/dict.routes.ts';
import { registerEventRoutes } from '../events/events.routes.ts';
import { registerJobRoutes } from '../jobs/jobs.routes.ts';
import { registerLedgerRoutes } from '../ledger/ledger.routes.ts';
import { registerOrgRoutes } from '../org/org.routes.ts';
import { registerPermissionRoutes } from '../org/permissions.routes.ts';
import { registerRoleRoutes } from '../org/roles.routes.ts';
import { registerNoticeRoutes } from '../notice/notice.routes.ts';
import { registerPiiRoutes } from '../pii/pii.routes.ts';
import { registerSettingsRoutes } from '../settings/settings.routes.ts';
import type { App } from './app.ts';
import { registerHealthRoutes } from './health.routes.ts';

/** Every module's routes, in one list: a module appears here once it has an HTTP surface. */
export async function registerAllRoutes(app: App, ctx: AppContext): Promise<void> {
  registerHealthRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerLedgerRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerOverviewRoutes(app, ctx);
  registerCalendarRoutes(app, ctx);
  registerJobRoutes(app, ctx);
  registerPiiRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
  registerDictRoutes(app, ctx);
  registerNoticeRoutes(app, ctx);
  registerRoleRoutes(app, ctx);
  registerOrgRoutes(app, ctx);
  registerPermissionRoutes(app, ctx);
  registerGridRoutes(app, ctx);
  registerEntityRoutes(app, ctx);
  registerExchangeRoutes(app, ctx);
}
