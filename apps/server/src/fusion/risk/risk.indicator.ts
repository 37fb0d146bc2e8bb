import { type RawBuilder, sql } from 'kysely';
import type { SettingDefinition, SettingValue } from '../../platform/settings/settings.define.ts';
import type { Executor } from '../entities/entities.repo.ts';

/**
 * One risk indicator: a set-based query over a batch of entities that says, per entity, how many times the
 * indicator applies (`value`) and why (`detail`, Chinese). The model (fusion.riskModel) turns the value into
 * points: value × weight, capped for counting indicators. Entities the indicator does not apply to are absent.
 *
 * Register a new indicator with one line in risk.registry.ts; its weight (and cap, and parameters) then appear
 * in 参数设置 › 信用风险分类模型 by themselves.
 */
export interface IndicatorResult {
  value: number;
  detail: string;
}

/** A number an indicator reads from the model (years, amounts…), edited in the settings page like a weight. */
export interface IndicatorParam {
  /** Property name in the model setting; unique across indicators. */
  key: string;
  label: string;
  unit: string;
  min: number;
  max: number;
  default: number;
  help?: string;
}

export interface IndicatorEnv {
  /** The model's indicator parameters in force on `asOf`. */
  params: Readonly<Record<string, number>>;
  /** Another setting's value in force on `asOf` (e.g. the licence expiry tiers). */
  setting<T extends SettingValue>(def: SettingDefinition<T>): T;
}

export interface RiskIndicator {
  /** camelCase, stable: stored in explanations and in the model setting's property names. */
  key: string;
  label: string;
  /** What counts, for the settings help text. */
  description: string;
  /** Points per occurrence in the built-in model. */
  defaultWeight: number;
  /**
   * Counting indicators (value = records or licences) take a cap on their points and name the counted thing
   * (`次`, `张`); a flag's value is 0 or 1 and has neither.
   */
  counting?: { unit: string; defaultCap: number };
  params?: readonly IndicatorParam[];
  compute(
    db: Executor,
    entityIds: readonly number[],
    asOf: string,
    env: IndicatorEnv,
  ): Promise<Map<number, IndicatorResult>>;
}

/**
 * The batch as a relation `b(id)` to drive a query from: one bind parameter whatever the batch size, and the
 * planner starts from the batch and probes each table's `entity_id` index, instead of scanning a table and testing
 * every row against a long `= any(…)` list (which it may choose when statistics are missing, as after a bulk load).
 */
export const batchOf = (ids: readonly number[]): RawBuilder<unknown> =>
  sql`unnest(${ids}::bigint[]) as b(id)`;

/**
 * 登记状态 values of an entity that no longer trades (吊销 revoked, 注销 deregistered, 撤销 cancelled), matched as a
 * regular expression because exchanges write them with suffixes ("吊销，未注销", "注销（简易）").
 */
export const CLOSED_STATUS_RE = '吊销|注销|撤销';

/** Group rows by entity, in order of appearance. */
export function byEntity<R extends { entity_id: number | string }>(rows: readonly R[]): Map<number, R[]> {
  const out = new Map<number, R[]>();
  for (const r of rows) {
    const id = Number(r.entity_id);
    const list = out.get(id);
    if (list) list.push(r);
    else out.set(id, [r]);
  }
  return out;
}

/** The first `max` items joined with `；`, and how many more there are. */
export function listSome(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join('；');
  return items.length > max ? `${shown}；等 ${items.length} 项` : shown;
}

export const yuan = (n: number): string => `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;

/** `day` minus whole years/months, as ISO dates (29 Feb falls back to 28 Feb). */
export function minusMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
