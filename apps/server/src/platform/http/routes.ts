import { registerOverviewRoutes } from '../../fusion/overview/overview.routes.ts';
import { registerAuthRoutes } from '../auth/auth.routes.ts';
import { registerCalendarRoutes } from '../calendar/calendar.routes.ts';
import type { AppContext } from '../context.ts';
import { registerEventRoutes } from '../events/events.routes.ts';
import { registerJobRoutes } from '../jobs/jobs.routes.ts';
import { registerLedgerRoutes } from '../ledger/ledger.routes.ts';
import type { App } from './app.ts';
import { registerHealthRoutes } from './health.routes.ts';

/** Every module's routes, in one list: a module appears here once it has an HTTP surface. */
export async function registerAllRoutes(app: App, ctx: AppContext): Promise<void> {
  registerHealthRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerLedgerRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerOverviewRoutes(app, ctx);
  registerCalendarRoutes(app, ctx);
  registerJobRoutes(app, ctx);
}
