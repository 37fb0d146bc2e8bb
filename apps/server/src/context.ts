import type { Config } from './config.ts';
import { createAuthService } from './platform/auth/auth.service.ts';
import { createCalendar } from './platform/calendar/calendar.service.ts';
import type { AppContext } from './platform/context.ts';
import type { Database } from './platform/db/database.ts';
import { createEventBus } from './platform/events/event-bus.ts';
import { createJobQueue } from './platform/jobs/jobs.service.ts';
import { registerAllJobs } from './platform/jobs/registry.ts';
import { VERSION } from './version.ts';

/** Wire the services of one process around an open (and migrated) database. */
export async function createContext(config: Config, database: Database): Promise<AppContext> {
  const db = database.db;
  const calendar = await createCalendar({ db });
  const ctx: AppContext = {
    config,
    version: VERSION,
    database,
    db,
    auth: createAuthService(db, { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours }),
    events: createEventBus(database),
    jobs: createJobQueue({ db }),
    calendar,
  };
  registerAllJobs(ctx);
  return ctx;
}
