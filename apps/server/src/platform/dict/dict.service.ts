import type { Kysely } from 'kysely';
import type { AuditService } from '../audit/audit.service.ts';
import type { DB } from '../db/schema.ts';
import { createDictMutations } from './dict.mutations.ts';

export type { DictActor, DictItemInput, DictItemView } from './dict.mutations.ts';

/** Other nodes pick up a change within this time: a read after it reloads the cache in the background. */
const REFRESH_MS = 30_000;

export interface DictEntry {
  value: string;
  label: string;
  sort: number;
  enabled: boolean;
  color: string | null;
  parentValue: string | null;
}

/**
 * Code tables (码表) for every module: clue kinds, business lines, 12315 categories… Read from an in-memory cache
 * (all tables together are small), reloaded after every change made here and at most 30 s late on other nodes.
 * Administrator changes (dict.mutations.ts) are audited and refresh the cache.
 */
export async function createDictService(deps: { db: Kysely<DB>; audit: AuditService }) {
  const { db, audit } = deps;
  let cache = new Map<string, DictEntry[]>();
  let loadedAt = 0;
  let reloading: Promise<void> | undefined;

  async function load(): Promise<void> {
    const types = await db.selectFrom('dict_type').select('code').execute();
    const rows = await db
      .selectFrom('dict_item')
      .select(['type_code', 'value', 'label', 'sort', 'enabled', 'color', 'parent_value'])
      .orderBy('type_code')
      .orderBy('sort')
      .orderBy('id')
      .execute();
    const next = new Map<string, DictEntry[]>(types.map((t) => [t.code, []]));
    for (const r of rows) {
      next.get(r.type_code)?.push({
        value: r.value,
        label: r.label,
        sort: r.sort,
        enabled: r.enabled,
        color: r.color,
        parentValue: r.parent_value,
      });
    }
    cache = next;
    loadedAt = Date.now();
  }

  function maybeRefresh(): void {
    if (reloading || Date.now() - loadedAt < REFRESH_MS) return;
    reloading = load()
      .catch(() => {
        // Database closing or briefly unavailable: keep serving the cached items.
        loadedAt = Date.now();
      })
      .finally(() => {
        reloading = undefined;
      });
  }

  await load();

  return {
    /** Items of one code table in display order, disabled ones included (old records still show their label). */
    items(typeCode: string): DictEntry[] {
      maybeRefresh();
      return [...(cache.get(typeCode) ?? [])];
    },
    /** Whether a code table exists (the cache knows empty custom tables too). */
    hasType(typeCode: string): boolean {
      maybeRefresh();
      return cache.has(typeCode);
    },
    /** The label of a stored value, or the value itself when the table does not know it. */
    label(typeCode: string, value: string): string {
      return this.items(typeCode).find((i) => i.value === value)?.label ?? value;
    },
    /** Reload now: after an import, or in tests. */
    refresh: () => load(),

    ...createDictMutations({ db, audit, afterChange: load }),
  };
}

export type DictService = Awaited<ReturnType<typeof createDictService>>;
