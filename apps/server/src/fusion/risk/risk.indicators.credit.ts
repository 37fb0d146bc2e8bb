import { sql } from 'kysely';
import {
  batchOf,
  byEntity,
  type IndicatorResult,
  listSome,
  minusMonths,
  type RiskIndicator,
  yuan,
} from './risk.indicator.ts';

/** Indicators from the credit records (信用记录) of the 一户一档: 经营异常名录, 严重违法失信名单, 行政处罚. */

interface ListingRow {
  entity_id: number;
  decided_on: string;
  reason: string;
}

/** Listings of `kind` in force on `asOf`: decided by then and not removed by then. */
async function activeListings(
  db: Parameters<RiskIndicator['compute']>[0],
  ids: readonly number[],
  asOf: string,
  kind: 'abnormal_operation' | 'serious_violation',
): Promise<Map<number, ListingRow[]>> {
  const { rows } = await sql<ListingRow>`
    select c.entity_id, c.decided_on, c.reason
    from ${batchOf(ids)} join entity_credit_record c on c.entity_id = b.id
    where c.kind = ${kind}
      and c.decided_on <= ${asOf} and (c.removed_on is null or c.removed_on > ${asOf})
    order by c.entity_id, c.decided_on, c.id`.execute(db);
  return byEntity(rows);
}

function listingResults(label: string, listings: Map<number, ListingRow[]>): Map<number, IndicatorResult> {
  const out = new Map<number, IndicatorResult>();
  for (const [id, rows] of listings) {
    const items = rows.map((r) => `${label}（${r.decided_on}，未移出）${r.reason ? `：${r.reason}` : ''}`);
    out.set(id, { value: 1, detail: listSome(items) });
  }
  return out;
}

export const abnormalOperation: RiskIndicator = {
  key: 'abnormalOperation',
  label: '列入经营异常名录',
  description: '评定日仍在经营异常名录中（已列入、未移出）。',
  defaultWeight: 30,
  async compute(db, ids, asOf) {
    return listingResults('列入经营异常名录', await activeListings(db, ids, asOf, 'abnormal_operation'));
  },
};

export const seriousViolation: RiskIndicator = {
  key: 'seriousViolation',
  label: '列入严重违法失信名单',
  description: '评定日仍在严重违法失信名单中（已列入、未移出）。',
  defaultWeight: 60,
  async compute(db, ids, asOf) {
    return listingResults('列入严重违法失信名单', await activeListings(db, ids, asOf, 'serious_violation'));
  },
};

interface PenaltyRow {
  entity_id: number;
  n: number;
  large: number;
  total: string | null;
  latest: string;
  latest_reason: string;
}

export const administrativePenalty: RiskIndicator = {
  key: 'administrativePenalty',
  label: '行政处罚',
  description: '近若干年内作出的行政处罚决定，每次计分；罚没金额达到大额标准的再加计一次。',
  defaultWeight: 10,
  counting: { unit: '次', defaultCap: 30 },
  params: [
    { key: 'penaltyYears', label: '行政处罚：回溯年限', unit: '年', min: 1, max: 10, default: 3 },
    {
      key: 'penaltyLargeAmount',
      label: '行政处罚：大额罚没标准',
      unit: '元',
      min: 1000,
      max: 100_000_000,
      default: 100_000,
      help: '单次罚没金额达到该标准的，按两次计分（默认 10 万元，参照单位当事人听证标准）。',
    },
  ],
  async compute(db, ids, asOf, env) {
    const years = env.params.penaltyYears ?? 3;
    const large = env.params.penaltyLargeAmount ?? 100_000;
    const since = minusMonths(asOf, years * 12);
    const { rows } = await sql<PenaltyRow>`
      select c.entity_id, count(*) as n,
        count(*) filter (where c.amount >= ${large}) as large,
        sum(c.amount)::text as total,
        max(c.decided_on) as latest,
        (array_agg(c.reason order by c.decided_on desc, c.id desc))[1] as latest_reason
      from ${batchOf(ids)} join entity_credit_record c on c.entity_id = b.id
      where c.kind = 'administrative_penalty' and c.decided_on > ${since} and c.decided_on <= ${asOf}
      group by c.entity_id`.execute(db);
    const out = new Map<number, IndicatorResult>();
    for (const r of rows) {
      const [n, big] = [Number(r.n), Number(r.large)];
      const money = r.total === null ? '' : `，罚没合计 ${yuan(Number(r.total))}`;
      const extra = big > 0 ? `；其中大额罚没（≥ ${yuan(large)}）${big} 次，加计 ${big} 次` : '';
      out.set(Number(r.entity_id), {
        value: n + big,
        detail: `近 ${years} 年行政处罚 ${n} 次${money}，最近一次 ${r.latest}${r.latest_reason ? `（${r.latest_reason}）` : ''}${extra}`,
      });
    }
    return out;
  },
};
