import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { AuditService } from './audit/audit.service.ts';
import type { AuthService } from './auth/auth.service.ts';
import type { WorkdayCalendar } from './calendar/calendar.service.ts';
import type { Database } from './db/database.ts';
import type { DB } from './db/schema.ts';
import type { DictService } from './dict/dict.service.ts';
import type { EventBus } from './events/event-bus.ts';
import type { JobQueue } from './jobs/jobs.service.ts';
import type { PiiVault } from './pii/pii.vault.ts';
import type { SettingsService } from './settings/settings.service.ts';

/** The services a route plugin or a job handler may use. Built once per process in `platform/runtime.ts`. */
export interface AppContext {
  config: Config;
  version: string;
  database: Database;
  db: Kysely<DB>;
  auth: AuthService;
  events: EventBus;
  jobs: JobQueue;
  calendar: WorkdayCalendar;
  audit: AuditService;
  settings: SettingsService;
  pii: PiiVault;
  dicts: DictService;
}
