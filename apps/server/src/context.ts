import type { Config } from './config.ts';
import { createAuditService } from './platform/audit/audit.service.ts';
import { createAuthService } from './platform/auth/auth.service.ts';
import { createCalendar } from './platform/calendar/calendar.service.ts';
import type { AppContext } from './platform/context.ts';
import type { Database } from './platform/db/database.ts';
import { createDictService } from './platform/dict/dict.service.ts';
import { createEventBus } from './platform/events/event-bus.ts';
import { createJobQueue } from './platform/jobs/jobs.service.ts';
import { registerAllJobs } from './platform/jobs/registry.ts';
import { createPiiVault } from './platform/pii/pii.vault.ts';
import { createSettingsService } from './platform/settings/settings.service.ts';
import { VERSION } from './version.ts';

/** Wire the services of one process around an open (and migrated) database. */
export async function createContext(config: Config, database: Database): Promise<AppContext> {
  const db = database.db;
  const calendar = await createCalendar({ db });
  const audit = createAuditService({ db });
  const settings = await createSettingsService({ db, config, audit });
  const pii = await createPiiVault({ db, config, audit });
  const dicts = await createDictService({ db, audit });
  const ctx: AppContext = {
    config,
    version: VERSION,
    database,
    db,
    auth: createAuthService({ db, config, settings, pii, audit }),
    events: createEventBus(database),
    jobs: createJobQueue({ db }),
    calendar,
    audit,
    settings,
    pii,
    dicts,
  };
  registerAllJobs(ctx);
  return ctx;
}
