import { type Kysely, sql, type Transaction } from 'kysely';
import type { Config } from '../../config.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { todayInChina } from '../calendar/calendar.rules.ts';
import { json } from '../db/json.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { settingsCatalog } from './settings.catalog.ts';
import type { SettingDefinition, SettingValue } from './settings.define.ts';
import {
  coerce,
  fieldLabel,
  iso,
  type SettingVersion,
  toDay,
  valueOn,
  withVersion,
} from './settings.versions.ts';

export {
  defineSetting,
  type SettingDefinition,
  type SettingField,
  type SettingGroup,
} from './settings.define.ts';

/** Other nodes pick up a change within this time: a read after it reloads the cache in the background. */
const REFRESH_MS = 30_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Who changes a setting: a session user (`displayName`) or an audit actor (`name`). */
export interface SettingsActor {
  id: number | null;
  name?: string;
  displayName?: string;
  ip?: string | null;
}

export interface SetOptions {
  /** `YYYY-MM-DD`, today or later; only for versioned rules. Defaults to today (China time). */
  effectiveFrom?: string;
  /** Run inside the caller's transaction (PGlite has one connection: never nest a second one). */
  tx?: Transaction<DB>;
}

export async function createSettingsService(deps: {
  db: Kysely<DB>;
  config: Config;
  audit: AuditService;
  catalog?: readonly SettingDefinition<SettingValue>[];
}) {
  const { db, audit } = deps;
  const catalog = new Map((deps.catalog ?? settingsCatalog).map((d) => [d.key, d]));
  /** key → versions, oldest first. */
  let versions = new Map<string, SettingVersion[]>();
  let loadedAt = 0;
  let reloading: Promise<void> | undefined;

  async function load(executor: Kysely<DB> | Transaction<DB> = db): Promise<void> {
    const rows = await executor
      .selectFrom('setting_version')
      .select(['key', 'value', 'effective_from', 'created_by', 'created_at'])
      .orderBy('key')
      .orderBy('effective_from')
      .orderBy('id')
      .execute();
    // A row in `setting` without any version (written before versions existed) counts as always in force.
    const legacy = await executor
      .selectFrom('setting')
      .select(['key', 'value', 'updated_by', 'updated_at'])
      .where('key', 'not in', executor.selectFrom('setting_version').select('key'))
      .execute();
    const next = new Map<string, SettingVersion[]>();
    for (const r of legacy) {
      next.set(r.key, [
        {
          effectiveFrom: '0001-01-01',
          value: r.value,
          createdBy: r.updated_by ?? '',
          createdAt: iso(r.updated_at),
        },
      ]);
    }
    for (const r of rows) {
      const list = next.get(r.key) ?? [];
      list.push({
        effectiveFrom: r.effective_from,
        value: r.value,
        createdBy: r.created_by,
        createdAt: iso(r.created_at),
      });
      next.set(r.key, list);
    }
    versions = next;
    loadedAt = Date.now();
  }

  function maybeRefresh(): void {
    if (reloading || Date.now() - loadedAt < REFRESH_MS) return;
    reloading = load()
      .catch(() => {
        // Database closing or briefly unavailable: keep serving the cached values.
        loadedAt = Date.now();
      })
      .finally(() => {
        reloading = undefined;
      });
  }

  function getAt<T extends SettingValue>(def: SettingDefinition<T>, date: string | Date): T {
    maybeRefresh();
    return coerce(def, valueOn(versions.get(def.key), toDay(date)));
  }

  await load();

  return {
    /** The value in force today (China time); cached, so it may be read on every request. */
    get<T extends SettingValue>(def: SettingDefinition<T>): T {
      return getAt(def, todayInChina());
    },
    /** The value in force on `date` (`YYYY-MM-DD` or a Date, read in China time): rules apply as of the fact's day. */
    getAt,
    /**
     * `effectiveFrom` of the version in force on `date` (what a record stores to say which rule applied to it), or
     * undefined while the default applies.
     */
    effectiveFromAt(key: string, date: string | Date): string | undefined {
      maybeRefresh();
      const day = toDay(date);
      return versions
        .get(key)
        ?.filter((v) => v.effectiveFrom <= day)
        .at(-1)?.effectiveFrom;
    },
    /** Every version of a setting, oldest first (empty: the default has always applied). */
    versions(key: string): SettingVersion[] {
      maybeRefresh();
      return [...(versions.get(key) ?? [])];
    },
    definitions(group?: SettingDefinition['group']): SettingDefinition<SettingValue>[] {
      return [...catalog.values()].filter((d) => !group || d.group === group);
    },
    find(key: string): SettingDefinition<SettingValue> | undefined {
      return catalog.get(key);
    },
    /**
     * Validate and store a value in force from `effectiveFrom` (a same-day version is replaced), audit the change
     * and refresh the cache. Past dates are refused: deadlines already computed must not change behind the users.
     */
    async set<T extends SettingValue>(
      actor: SettingsActor,
      def: SettingDefinition<T>,
      value: unknown,
      opts: SetOptions = {},
    ): Promise<{ before: T; after: T; effectiveFrom: string }> {
      const today = todayInChina();
      const effectiveFrom = opts.effectiveFrom ?? today;
      if (!ISO_DAY.test(effectiveFrom) || Number.isNaN(Date.parse(effectiveFrom))) {
        throw new AppError('VALIDATION_FAILED', '生效日期格式应为 YYYY-MM-DD', {
          details: [{ path: 'effectiveFrom', message: '日期格式无效' }],
        });
      }
      if (!def.versioned && effectiveFrom !== today) {
        throw new AppError('VALIDATION_FAILED', `“${def.label}”立即生效，不能指定生效日期`, {
          details: [{ path: 'effectiveFrom', message: '该参数不按生效日期管理' }],
        });
      }
      if (effectiveFrom < today) {
        throw new AppError('VALIDATION_FAILED', '生效日期不能早于今天：已生效的规则不能追溯修改', {
          details: [{ path: 'effectiveFrom', message: '不能早于今天' }],
        });
      }
      const parsed = def.schema.safeParse(value);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({
          path: ['value', ...i.path.map(String)].join('.'),
          message: `${fieldLabel(def, i.path[0])}${i.message}`,
        }));
        throw new AppError(
          'VALIDATION_FAILED',
          `参数值不符合要求：${details.map((d) => d.message).join('；')}`,
          {
            details,
          },
        );
      }
      const after = parsed.data;
      const before = getAt(def, effectiveFrom);
      const name = actor.name ?? actor.displayName ?? '';
      const version: SettingVersion = {
        effectiveFrom,
        value: after,
        createdBy: name,
        createdAt: new Date().toISOString(),
      };
      const write = async (tx: Transaction<DB>) => {
        await tx
          .insertInto('setting_version')
          .values({
            key: def.key,
            value: json(after),
            effective_from: effectiveFrom,
            created_by: name,
            created_by_id: actor.id,
          })
          .onConflict((oc) =>
            oc.columns(['key', 'effective_from']).doUpdateSet({
              value: json(after),
              created_by: name,
              created_by_id: actor.id,
              created_at: sql`now()`,
            }),
          )
          .execute();
        await audit.record(tx, {
          actor: { id: actor.id, name },
          ip: actor.ip ?? null,
          action: 'system.setting.update',
          objectType: 'setting',
          objectId: def.key,
          result: 'success',
          before,
          after,
          detail: def.versioned ? `${def.label}，自 ${effectiveFrom} 起生效` : def.label,
        });
        // `setting` mirrors the value in force today, for tools reading the table directly.
        const current = coerce(def, valueOn(withVersion(versions.get(def.key), version), today));
        await tx
          .insertInto('setting')
          .values({ key: def.key, value: json(current), updated_by: name })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({ value: json(current), updated_by: name, updated_at: sql`now()` }),
          )
          .execute();
      };
      if (opts.tx) {
        await write(opts.tx);
        // Visible here at once; the caller's commit (or rollback) is picked up by the next reload.
        versions.set(def.key, withVersion(versions.get(def.key), version));
        loadedAt = 0;
      } else {
        await db.transaction().execute(write);
        await load();
      }
      return { before, after, effectiveFrom };
    },
    /** Reload every setting from the database now (after an import, in tests). */
    refresh: () => load(),
  };
}

export type SettingsService = Awaited<ReturnType<typeof createSettingsService>>;
