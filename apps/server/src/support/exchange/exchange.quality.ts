import type { ExchangeQuality } from '@rongjian/shared/api';
import type { AppContext } from '../../platform/context.ts';
import { DATASET_FIELDS, DATASET_LABELS, getSource } from './exchange.connector.ts';
import { fieldQuality, toRun } from './exchange.runs.ts';
import { exchangeFreshnessSetting } from './exchange.settings.ts';

/** Runs shown in the trend. */
const TREND_RUNS = 20;
const HOUR_MS = 3_600_000;

/**
 * The 数据质量 view of one source: completeness and validity per field and the duplicates of its latest run, rows
 * in / accepted / rejected over recent runs, and freshness — the age of the newest 更新时间 received (else of
 * the newest run) against the 数据交换时效 setting.
 */
export async function sourceQuality(
  ctx: Pick<AppContext, 'db' | 'settings'>,
  name: string,
  now = new Date(),
): Promise<ExchangeQuality> {
  const source = await getSource(ctx.db, name);
  const runs = await ctx.db
    .selectFrom('exchange_run')
    .selectAll()
    .where('source', '=', name)
    .orderBy('id', 'desc')
    .limit(TREND_RUNS)
    .execute();
  const latest = runs[0] ?? null;
  const labels = new Map(DATASET_FIELDS[source.dataset].map((f) => [f.key, f.label]));
  const newest = await ctx.db
    .selectFrom('exchange_run')
    .select((eb) => [eb.fn.max('newest_record_at').as('record'), eb.fn.max('started_at').as('run')])
    .where('source', '=', name)
    .executeTakeFirst();
  const { agingAfterHours, staleAfterHours } = ctx.settings.get(exchangeFreshnessSetting);
  const at = newest?.record ?? newest?.run ?? null;
  const ageHours = at === null ? null : Math.max(0, (now.getTime() - new Date(at).getTime()) / HOUR_MS);
  return {
    source: source.name,
    label: source.label,
    datasetLabel: DATASET_LABELS[source.dataset],
    latestRun: latest ? toRun(latest) : null,
    fields: latest ? fieldQuality(latest, labels) : [],
    duplicates: { inFile: latest?.duplicates ?? 0, known: latest?.known ?? 0 },
    trend: runs.reverse().map((r) => ({
      runId: Number(r.id),
      startedAt: new Date(r.started_at).toISOString(),
      status: r.status,
      rowsIn: r.rows_in,
      accepted: r.accepted,
      rejected: r.rejected,
    })),
    freshness: {
      at: at === null ? null : new Date(at).toISOString(),
      basis: newest?.record ? 'record' : newest?.run ? 'run' : 'none',
      ageHours: ageHours === null ? null : Math.round(ageHours * 10) / 10,
      level:
        ageHours === null
          ? 'unknown'
          : ageHours > staleAfterHours
            ? 'stale'
            : ageHours > agingAfterHours
              ? 'aging'
              : 'fresh',
      agingAfterHours,
      staleAfterHours,
    },
  };
}
