import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';

// Migrations run before the typed schema exists, so they take an untyped handle.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyKysely = Kysely<any>;

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Migrations are the TypeScript files in `./migrations`, applied in file-name order on both backends. */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = fs
      .readdirSync(migrationsDir)
      .filter((f) => /^\d{4}_[\w-]+\.ts$/.test(f))
      .sort();
    const out: Record<string, Migration> = {};
    for (const f of files) {
      out[f.replace(/\.ts$/, '')] = (await import(path.join(migrationsDir, f))) as Migration;
    }
    return out;
  }
}

export class SchemaTooNewError extends Error {}
export class MigrationFailedError extends Error {}

function migrator(db: AnyKysely) {
  return new Migrator({ db, provider: new FolderMigrationProvider() });
}

export interface MigrationState {
  name: string;
  executedAt: Date | null;
}

export async function migrationStatus(db: AnyKysely): Promise<MigrationState[]> {
  const list = await migrator(db).getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}

/** Refuse a database written by a newer Rongjian: it has migrations this code does not know. */
async function assertNotNewer(db: AnyKysely): Promise<void> {
  const exists = await sql<{
    t: string | null;
  }>`select to_regclass('public.kysely_migration')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return;
  const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  const known = new Set(Object.keys(await new FolderMigrationProvider().getMigrations()));
  const unknown = applied.rows.map((r) => r.name).filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new SchemaTooNewError(
      `数据库的结构版本比当前程序新（包含未知的迁移：${unknown.join(', ')}）。请使用更新版本的融监，或恢复与本版本匹配的备份。`,
    );
  }
}

export async function migrateToLatest(db: AnyKysely): Promise<string[]> {
  await assertNotNewer(db);
  const { error, results } = await migrator(db).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new MigrationFailedError(
      `数据库迁移失败${failed ? `（${failed.migrationName}）` : ''}：${(error as Error | undefined)?.message ?? ''}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export { assertNotNewer };
