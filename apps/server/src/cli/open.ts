import { ConfigError, loadConfig } from '../config.ts';
import { type Database, DatabaseUnavailableError, openDatabase } from '../platform/db/database.ts';
import { DataDirBusyError } from '../platform/db/datadir-lock.ts';
import { migrateToLatest, SchemaTooNewError } from '../platform/db/migrate.ts';

/** Print a known failure as one Chinese line and exit with `code`; anything else is a bug and keeps its stack. */
export function fail(err: unknown, code = 1): never {
  if (
    err instanceof ConfigError ||
    err instanceof DatabaseUnavailableError ||
    err instanceof DataDirBusyError ||
    err instanceof SchemaTooNewError
  ) {
    console.error(`错误：${err.message}`);
    process.exit(code);
  }
  throw err;
}

/** Open the configured database for a CLI command, optionally migrating it first. */
export async function openForCli(opts: { migrate?: boolean } = {}): Promise<Database> {
  try {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    if (opts.migrate) await migrateToLatest(database.db);
    return database;
  } catch (err) {
    fail(err);
  }
}
