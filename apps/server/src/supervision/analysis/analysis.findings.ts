import { chinaDayOf, chinaDayStart } from '../../platform/calendar/calendar.rules.ts';
import {
  CLUE_CONTENT_MAX,
  FINDING_DETECTOR_LABELS,
  type FindingClueRef,
  type FindingDetector,
  type FindingEvidence,
  type FindingRunResult,
} from '@rongjian/shared/api';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { createClueService, raiseClue } from '../clues/clues.service.ts';
import {
  creditEventSetting,
  licenceExpirySetting,
  lineSpikeSetting,
  repeatComplaintsSetting,
} from './analysis.findings.settings.ts';
import {
  addDays,
  baselineLambda,
  isoWeek,
  poissonUpperTail,
  weekStartOf,
} from './analysis.findings.stats.ts';

/**
 * 综合研判 · 模式发现: four detectors read the clue history and the 一户一档 and raise a clue of channel 研判分析
 * (`analysis`) for each pattern that needs a person's judgment, moved straight to 待研判 with its evidence.
 * A pattern's identity is its `finding_key`; the unique index and `on conflict do nothing` make a second raise
 * impossible, whether the detectors run again, run late, or run twice at the same moment. Each finding is written
 * in its own transaction (finding → clue → 待研判 → ledger), so one bad row never loses the others.
 * Statistics, settings and keys: docs/analysis-patterns.md.
 */
export const DETECTORS: readonly FindingDetector[] = [
  'repeat_complaints',
  'line_spike',
  'licence_expiry',
  'credit_event',
];

export const detectorActor: Actor = { id: null, name: '研判分析（自动检测）' };

export interface DetectOptions {
  /** The moment the run looks from (default now). */
  asOf?: Date;
  /**
   * How far back to look for patterns (default: what each detector needs for its daily run). A backfill over a
   * year passes the year's start; patterns raised before are still never raised again.
   */
  since?: Date;
  detectors?: readonly FindingDetector[];
  /** Find and count only: nothing is raised (what the next run would raise is reported as deferred). */
  dryRun?: boolean;
}

/** What a detector proposes; `raiseFindings` turns the new ones into findings and clues. */
interface Proposal {
  key: string;
  title: string;
  evidence: FindingEvidence;
  entityId: number | null;
  gridId: number | null;
  businessLine: string | null;
  departmentId: number | null;
  clue: {
    content: string;
    businessLine?: string | undefined;
    entityId?: number | undefined;
    location?: { lng: number; lat: number } | undefined;
    departmentId?: number | undefined;
  };
}

const FINAL_CLUE_STATUSES = ['closed', 'direct', 'rejected', 'merged', 'transferred'];
/** 登记状态 that mean the entity still trades: 存续（在营、开业、在册） and its spellings. */
const TRADING = sql<boolean>`(e.status like '存续%' or e.status in ('在营', '开业', '在业', '在册'))`;
const DAY_MS = 86_400_000;

const n = (v: unknown): number => Number(v);
const nn = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

function clueRef(r: {
  id: unknown;
  number: string;
  received_at: Date | string;
  kind: string;
  business_line: string | null;
}): FindingClueRef {
  return {
    id: n(r.id),
    number: r.number,
    receivedAt: iso(r.received_at),
    kind: r.kind,
    businessLine: r.business_line,
  };
}

function mostCommon(values: readonly (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestN = 0;
  for (const [v, c] of counts) {
    if (c > bestN) {
      best = v;
      bestN = c;
    }
  }
  return best;
}

// ——— 1. repeated complaints and reports against one entity ———

async function proposeRepeatComplaints(ctx: AppContext, asOf: Date, since: Date | undefined) {
  const rule = ctx.settings.getAt(repeatComplaintsSetting, asOf);
  const windowMs = rule.windowDays * DAY_MS;
  // A daily run looks back two windows, so a burst that ended yesterday is seen whole.
  const from = since ?? new Date(asOf.getTime() - 2 * windowMs);
  const scope = () =>
    ctx.db
      .selectFrom('clue as c')
      .where('c.kind', 'in', ['complaint', 'report'])
      .where('c.entity_id', 'is not', null)
      .where('c.merged_into_id', 'is', null)
      .where('c.received_at', '>=', from)
      .where('c.received_at', '<', asOf);
  const rows = await scope()
    .select(['c.id', 'c.number', 'c.kind', 'c.business_line', 'c.received_at', 'c.entity_id'])
    .where(
      'c.entity_id',
      'in',
      scope()
        .select('c.entity_id')
        .groupBy('c.entity_id')
        .having((eb) => eb.fn.countAll(), '>=', rule.minCount),
    )
    .orderBy('c.entity_id')
    .orderBy('c.received_at')
    .orderBy('c.id')
    .execute();
  if (rows.length === 0) return [];
  const entityIds = [...new Set(rows.map((r) => n(r.entity_id)))];
  const [entities, raised] = await Promise.all([
    ctx.db
      .selectFrom('entity as e')
      .select(['e.id', 'e.name', 'e.grid_id', 'e.station_id', 'e.lon', 'e.lat'])
      .where('e.id', 'in', entityIds)
      .execute(),
    ctx.db
      .selectFrom('analysis_finding as f')
      .select([
        'f.entity_id',
        sql<string>`f.evidence->>'windowStart'`.as('ws'),
        sql<string>`f.evidence->>'windowEnd'`.as('we'),
      ])
      .where('f.detector', '=', 'repeat_complaints')
      .where('f.entity_id', 'in', entityIds)
      .execute(),
  ]);
  const entityById = new Map(entities.map((e) => [n(e.id), e]));
  const windowsOf = new Map<number, { s: number; e: number }[]>();
  for (const w of raised) {
    const list = windowsOf.get(n(w.entity_id)) ?? [];
    list.push({ s: Date.parse(w.ws), e: Date.parse(w.we) });
    windowsOf.set(n(w.entity_id), list);
  }
  const byEntity = new Map<number, typeof rows>();
  for (const r of rows) {
    const id = n(r.entity_id);
    const list = byEntity.get(id) ?? [];
    list.push(r);
    byEntity.set(id, list);
  }

  const out: Proposal[] = [];
  for (const [entityId, clues] of byEntity) {
    const entity = entityById.get(entityId);
    if (!entity) continue;
    const known = windowsOf.get(entityId) ?? [];
    const t = clues.map((c) => new Date(c.received_at).getTime());
    let i = 0;
    while (i < clues.length) {
      const start = t[i]!;
      const end = start + windowMs;
      // A window that overlaps one raised before is the same burst seen from another day: never again.
      if (known.some((w) => w.s < end && w.e > start)) {
        i++;
        continue;
      }
      let j = i;
      while (j < clues.length && t[j]! < end) j++;
      if (j - i < rule.minCount) {
        i++;
        continue;
      }
      const burst = clues.slice(i, j);
      const refs = burst.map(clueRef);
      const line = mostCommon(burst.map((c) => c.business_line));
      const startDay = chinaDayOf(new Date(start));
      const title = `「${entity.name}」${rule.windowDays}天内被投诉举报${burst.length}次`;
      out.push({
        key: `repeat_complaints:${entityId}:${startDay}`,
        title,
        evidence: {
          detector: 'repeat_complaints',
          entityName: entity.name,
          windowStart: new Date(start).toISOString(),
          windowEnd: new Date(end).toISOString(),
          days: rule.windowDays,
          threshold: rule.minCount,
          count: burst.length,
          clues: refs,
        },
        entityId,
        gridId: nn(entity.grid_id),
        businessLine: line,
        departmentId: nn(entity.station_id),
        clue: {
          content:
            `${title}（自 ${startDay} 起 ${rule.windowDays} 天内，阈值 ${rule.minCount} 次）。` +
            `涉及线索：${refs.map((r) => r.number).join('、')}。请研判是否需要监管检查或执法核查。`,
          businessLine: line ?? undefined,
          entityId,
          departmentId: nn(entity.station_id) ?? undefined,
        },
      });
      i = j;
    }
  }
  return out;
}

// ——— 2. weekly spikes of a business line in a grid (or 所) ———

async function proposeLineSpikes(ctx: AppContext, asOf: Date, since: Date | undefined) {
  const rule = ctx.settings.getAt(lineSpikeSetting, asOf);
  const today = chinaDayOf(asOf);
  const thisWeek = weekStartOf(today);
  // Daily: this (partial) week and last week, in case its last days tipped it over after the previous run.
  const firstTested = since ? weekStartOf(chinaDayOf(since)) : addDays(thisWeek, -7);
  const from = chinaDayStart(addDays(firstTested, -7 * rule.baselineWeeks));
  const area = rule.level === 'grid' ? sql.ref('c.grid_id') : sql.ref('c.station_id');
  const earliest = await ctx.db
    .selectFrom('clue')
    .select('received_at')
    .orderBy('received_at')
    .limit(1)
    .executeTakeFirst();
  if (!earliest) return [];
  // A week is tested only when its whole baseline lies within the recorded history.
  const historyStart = chinaDayOf(new Date(earliest.received_at));
  const counts = await sql<{ line: string; area: string; week: string; count: string }>`
    select c.business_line as line, ${area} as area,
      to_char(date_trunc('week', c.received_at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as week,
      count(*) as count
    from clue c
    where c.received_at >= ${from.toISOString()}::timestamptz and c.received_at < ${asOf.toISOString()}::timestamptz
      and c.business_line is not null and ${area} is not null
      and c.merged_into_id is null and c.channel <> 'analysis'
    group by 1, 2, 3`.execute(ctx.db);
  const series = new Map<string, Map<string, number>>();
  for (const r of counts.rows) {
    const k = `${r.area}\u0000${r.line}`;
    const m = series.get(k) ?? new Map<string, number>();
    m.set(r.week, n(r.count));
    series.set(k, m);
  }
  const spikes: {
    area: number;
    line: string;
    week: string;
    count: number;
    baseline: number[];
    mean: number;
    lambda: number;
    p: number;
  }[] = [];
  for (const [k, weeks] of series) {
    const [areaId, line] = k.split('\u0000') as [string, string];
    for (const [week, count] of weeks) {
      if (week < firstTested || week > thisWeek || count < rule.minCount) continue;
      const baselineStart = addDays(week, -7 * rule.baselineWeeks);
      if (baselineStart < weekStartOf(historyStart)) continue;
      const baseline = Array.from(
        { length: rule.baselineWeeks },
        (_, b) => weeks.get(addDays(baselineStart, 7 * b)) ?? 0,
      );
      const { mean, lambda } = baselineLambda(baseline);
      const p = poissonUpperTail(count, lambda);
      if (p < rule.alpha) spikes.push({ area: n(areaId), line, week, count, baseline, mean, lambda, p });
    }
  }
  if (spikes.length === 0) return [];

  const areaIds = [...new Set(spikes.map((s) => s.area))];
  const areas =
    rule.level === 'grid'
      ? (
          await ctx.db
            .selectFrom('grid as g')
            .leftJoin('department as d', 'd.id', 'g.station_id')
            .select(['g.id', 'g.name', 'g.station_id', 'g.center_lon', 'g.center_lat', 'd.name as station'])
            .where('g.id', 'in', areaIds)
            .execute()
        ).map((g) => ({
          id: n(g.id),
          name: g.station ? `${g.station}${g.name}` : g.name,
          stationId: nn(g.station_id),
          gridId: n(g.id),
          location:
            g.center_lon !== null && g.center_lat !== null
              ? { lng: Number(g.center_lon), lat: Number(g.center_lat) }
              : undefined,
        }))
      : (
          await ctx.db
            .selectFrom('department as d')
            .select(['d.id', 'd.name'])
            .where('d.id', 'in', areaIds)
            .execute()
        ).map((d) => ({
          id: n(d.id),
          name: d.name,
          stationId: n(d.id),
          gridId: null,
          location: undefined,
        }));
  const areaById = new Map(areas.map((a) => [a.id, a]));

  const out: Proposal[] = [];
  for (const s of spikes) {
    const a = areaById.get(s.area);
    if (!a) continue;
    const weekEnd = chinaDayStart(addDays(s.week, 7));
    const clues = await ctx.db
      .selectFrom('clue as c')
      .select(['c.id', 'c.number', 'c.kind', 'c.business_line', 'c.received_at'])
      .where(rule.level === 'grid' ? 'c.grid_id' : 'c.station_id', '=', s.area)
      .where('c.business_line', '=', s.line)
      .where('c.merged_into_id', 'is', null)
      .where('c.channel', '<>', 'analysis')
      .where('c.received_at', '>=', chinaDayStart(s.week))
      .where('c.received_at', '<', weekEnd < asOf ? weekEnd : asOf)
      .orderBy('c.received_at')
      .limit(100)
      .execute();
    const week = isoWeek(s.week);
    const mean = Math.round(s.mean * 100) / 100;
    const title = `${a.name}「${s.line}」线索异常增长：${week} 共 ${s.count} 条（此前 ${rule.baselineWeeks} 周平均 ${mean} 条）`;
    out.push({
      key: `line_spike:${rule.level}:${s.area}:${s.line}:${week}`,
      title,
      evidence: {
        detector: 'line_spike',
        level: rule.level,
        areaName: a.name,
        line: s.line,
        week,
        weekStart: s.week,
        count: s.count,
        baseline: s.baseline,
        baselineMean: mean,
        lambda: s.lambda,
        p: s.p,
        alpha: rule.alpha,
        minCount: rule.minCount,
        clues: clues.map(clueRef),
      },
      entityId: null,
      gridId: a.gridId,
      businessLine: s.line,
      departmentId: a.stationId,
      clue: {
        content:
          `${title}。按泊松分布，基线期望 ${s.lambda.toFixed(2)} 条时出现不少于 ${s.count} 条的概率 p = ${s.p.toExponential(2)}` +
          `（显著性水平 ${rule.alpha}）。请研判是否存在区域性、系统性问题。`,
        businessLine: s.line,
        location: a.location,
        departmentId: a.stationId ?? undefined,
      },
    });
  }
  return out;
}

// ——— 3. licences expiring without renewal, expired licences of trading entities ———

const LICENCE_LINES: Record<string, string> = {
  food_business: '食品',
  drug_business: '药品/医疗器械/化妆品',
  medical_device: '药品/医疗器械/化妆品',
  special_equipment_use: '特种设备',
};
const LICENCE_LABELS: Record<string, string> = {
  food_business: '食品经营许可证',
  drug_business: '药品经营许可证',
  medical_device: '医疗器械经营备案凭证',
  special_equipment_use: '特种设备使用登记证',
  other: '许可证',
};

async function proposeLicenceExpiries(ctx: AppContext, asOf: Date) {
  const rule = ctx.settings.getAt(licenceExpirySetting, asOf);
  const today = chinaDayOf(asOf);
  const until = addDays(today, rule.withinDays);
  const expiredFrom = addDays(today, -rule.expiredWithinDays);
  const rows = await sql<{
    id: string;
    entity_id: string;
    kind: string;
    licence_no: string;
    valid_until: string;
    status: string;
    name: string;
    entity_status: string;
    grid_id: string | null;
    station_id: string | null;
    lon: number | null;
    lat: number | null;
  }>`
    select l.id, l.entity_id, l.kind, l.licence_no, to_char(l.valid_until, 'YYYY-MM-DD') as valid_until, l.status,
      e.name, e.status as entity_status, e.grid_id, e.station_id, e.lon, e.lat
    from entity_licence l join entity e on e.id = l.entity_id
    where e.merged_into is null and ${TRADING}
      and l.valid_until >= ${expiredFrom}::date
      and (
        (l.status = '有效' and l.valid_until <= ${until}::date)
        or l.status = '过期'
      )
      and not exists (
        select 1 from entity_licence r
        where r.entity_id = l.entity_id and r.kind = l.kind and r.id <> l.id
          and r.status = '有效' and r.valid_until > l.valid_until)
    order by l.valid_until, l.id`.execute(ctx.db);
  return rows.rows.map((r): Proposal => {
    const daysLeft = Math.round((Date.parse(r.valid_until) - Date.parse(today)) / DAY_MS);
    const label = LICENCE_LABELS[r.kind] ?? '许可证';
    const expired = daysLeft < 0 || r.status === '过期';
    const title = expired
      ? `「${r.name}」的${label}已于 ${r.valid_until} 过期，主体仍在存续`
      : `「${r.name}」的${label}将于 ${r.valid_until} 到期（还有 ${daysLeft} 天），尚未延续`;
    const line = LICENCE_LINES[r.kind] ?? null;
    return {
      key: `licence_expiry:${r.id}:${r.valid_until}`,
      title,
      evidence: {
        detector: 'licence_expiry',
        entityName: r.name,
        entityStatus: r.entity_status,
        licenceId: n(r.id),
        licenceNo: r.licence_no,
        licenceKind: r.kind,
        licenceStatus: r.status,
        validUntil: r.valid_until,
        daysLeft,
        withinDays: rule.withinDays,
      },
      entityId: n(r.entity_id),
      gridId: nn(r.grid_id),
      businessLine: line,
      departmentId: nn(r.station_id),
      clue: {
        content: `${title}。许可证编号 ${r.licence_no}。请研判是否需要提醒延续、现场检查或依法处理无证经营。`,
        businessLine: line ?? undefined,
        entityId: n(r.entity_id),
        departmentId: nn(r.station_id) ?? undefined,
      },
    };
  });
}

// ——— 4. new 严重违法失信 / 经营异常 listings on entities with open activity ———

const CREDIT_LABELS: Record<string, string> = {
  serious_violation: '严重违法失信名单',
  abnormal_operation: '经营异常名录',
};

async function proposeCreditEvents(ctx: AppContext, asOf: Date) {
  const rule = ctx.settings.getAt(creditEventSetting, asOf);
  const today = chinaDayOf(asOf);
  const kinds = rule.includeAbnormal ? ['serious_violation', 'abnormal_operation'] : ['serious_violation'];
  const records = await sql<{
    id: string;
    entity_id: string;
    kind: string;
    decided_on: string;
    authority: string;
    reason: string;
    document_no: string;
    name: string;
    grid_id: string | null;
    station_id: string | null;
  }>`
    select r.id, r.entity_id, r.kind, to_char(r.decided_on, 'YYYY-MM-DD') as decided_on, r.authority, r.reason,
      r.document_no, e.name, e.grid_id, e.station_id
    from entity_credit_record r join entity e on e.id = r.entity_id
    where e.merged_into is null and r.removed_on is null
      and r.kind in (${sql.join(kinds)})
      and r.decided_on >= ${addDays(today, -rule.lookbackDays)}::date and r.decided_on <= ${today}::date
    order by r.decided_on, r.id`.execute(ctx.db);
  if (records.rows.length === 0) return [];
  const entityIds = [...new Set(records.rows.map((r) => n(r.entity_id)))];
  const [open, licences] = await Promise.all([
    ctx.db
      .selectFrom('clue as c')
      .select(['c.id', 'c.number', 'c.kind', 'c.business_line', 'c.received_at', 'c.entity_id'])
      .where('c.entity_id', 'in', entityIds)
      .where('c.status', 'not in', FINAL_CLUE_STATUSES)
      .where('c.channel', '<>', 'analysis')
      .orderBy('c.received_at')
      .execute(),
    ctx.db
      .selectFrom('entity_licence as l')
      .select(['l.entity_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('l.entity_id', 'in', entityIds)
      .where('l.status', '=', '有效')
      .where(sql<boolean>`l.valid_until >= ${today}::date`)
      .groupBy('l.entity_id')
      .execute(),
  ]);
  const openBy = new Map<number, FindingClueRef[]>();
  for (const c of open) {
    const list = openBy.get(n(c.entity_id)) ?? [];
    list.push(clueRef(c));
    openBy.set(n(c.entity_id), list);
  }
  const liveBy = new Map(licences.map((l) => [n(l.entity_id), n(l.n)]));
  const out: Proposal[] = [];
  for (const r of records.rows) {
    const entityId = n(r.entity_id);
    const openClues = openBy.get(entityId) ?? [];
    const live = liveBy.get(entityId) ?? 0;
    if (openClues.length === 0 && live === 0) continue;
    const listing = CREDIT_LABELS[r.kind] ?? r.kind;
    const activity = [
      openClues.length > 0 ? `${openClues.length} 条线索未办结` : '',
      live > 0 ? `持有 ${live} 张有效许可证` : '',
    ]
      .filter(Boolean)
      .join('、');
    const title = `「${r.name}」于 ${r.decided_on} 被列入${listing}，${activity}`;
    out.push({
      key: `credit_event:${r.id}`,
      title,
      evidence: {
        detector: 'credit_event',
        entityName: r.name,
        creditRecordId: n(r.id),
        creditKind: r.kind,
        decidedOn: r.decided_on,
        authority: r.authority,
        reason: r.reason,
        documentNo: r.document_no,
        openClues: openClues.slice(0, 50),
        liveLicences: live,
      },
      entityId,
      gridId: nn(r.grid_id),
      businessLine: '信用监管',
      departmentId: nn(r.station_id),
      clue: {
        content:
          `${title}。决定机关：${r.authority || '—'}；文号：${r.document_no || '—'}；事由：${r.reason || '—'}。` +
          '请研判在办线索和许可事项是否需要联合惩戒或重点监管。',
        businessLine: '信用监管',
        entityId,
        departmentId: nn(r.station_id) ?? undefined,
      },
    });
  }
  return out;
}

// ——— raising ———

async function raiseFindings(
  ctx: AppContext,
  detector: FindingDetector,
  proposals: readonly Proposal[],
  maxPerRun: number,
): Promise<{ raised: number; known: number; deferred: number }> {
  const keys = proposals.map((p) => p.key);
  const existing = new Set<string>();
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000);
    const rows = await ctx.db
      .selectFrom('analysis_finding')
      .select('finding_key')
      .where('finding_key', 'in', chunk)
      .execute();
    for (const r of rows) existing.add(r.finding_key);
  }
  const fresh = proposals.filter((p) => !existing.has(p.key));
  const now = fresh.slice(0, maxPerRun);
  let raised = 0;
  let known = existing.size;
  const clues = createClueService(ctx);
  for (const p of now) {
    const ok = await ctx.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('analysis_finding')
        .values({
          detector,
          finding_key: p.key,
          title: p.title,
          evidence: json(p.evidence as unknown as Record<string, unknown>),
          entity_id: p.entityId,
          grid_id: p.gridId,
          business_line: p.businessLine,
          department_id: p.departmentId,
        })
        .onConflict((oc) => oc.column('finding_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      // Another run raised it a moment ago: nothing to do.
      if (!row) return false;
      const findingId = n(row.id);
      const clue = await raiseClue(
        tx,
        ctx,
        {
          channel: 'analysis',
          kind: 'other',
          // The clue form's limits: a title of at most 100 characters, the content within CLUE_CONTENT_MAX.
          title: [...p.title].slice(0, 100).join(''),
          content: [...p.clue.content].slice(0, CLUE_CONTENT_MAX).join(''),
          businessLine: p.clue.businessLine,
          entityId: p.clue.entityId,
          location: p.clue.location,
          departmentId: p.clue.departmentId,
          origin: { type: 'analysis.finding', id: findingId },
        },
        detectorActor,
      );
      if (clue.status === 'sorting') {
        await clues.transitionInternal(tx, detectorActor, clue.id, { action: 'toAnalysis' });
      }
      await tx
        .updateTable('analysis_finding')
        .set({ clue_id: clue.id })
        .where('id', '=', findingId)
        .execute();
      await appendEvent(tx, {
        actor: detectorActor,
        subjectType: 'analysis_finding',
        subjectId: findingId,
        clueId: clue.id,
        departmentId: p.departmentId,
        kind: 'analysis.finding.raised',
        payload: {
          findingId,
          detector,
          detectorLabel: FINDING_DETECTOR_LABELS[detector],
          title: p.title,
          key: p.key,
          evidence: p.evidence,
        },
      });
      return true;
    });
    if (ok) raised++;
    else known++;
  }
  return { raised, known, deferred: fresh.length - now.length };
}

/** Run the detectors (all by default) once; the job and `POST /api/analysis/findings/run` both call this. */
export async function runDetectors(ctx: AppContext, opts: DetectOptions = {}): Promise<FindingRunResult> {
  const asOf = opts.asOf ?? new Date();
  const runs: FindingRunResult['runs'] = [];
  for (const detector of opts.detectors ?? DETECTORS) {
    const started = performance.now();
    const proposals = await propose(ctx, detector, asOf, opts.since);
    const detectMs = Math.round(performance.now() - started);
    const cap = opts.dryRun ? 0 : maxPerRunOf(ctx, detector, asOf);
    const r = await raiseFindings(ctx, detector, proposals, cap);
    runs.push({ detector, ...r, detectMs, ms: Math.round(performance.now() - started) });
  }
  return { runs };
}

function propose(
  ctx: AppContext,
  d: FindingDetector,
  asOf: Date,
  since: Date | undefined,
): Promise<Proposal[]> {
  switch (d) {
    case 'repeat_complaints':
      return proposeRepeatComplaints(ctx, asOf, since);
    case 'line_spike':
      return proposeLineSpikes(ctx, asOf, since);
    case 'licence_expiry':
      return proposeLicenceExpiries(ctx, asOf);
    case 'credit_event':
      return proposeCreditEvents(ctx, asOf);
    default: {
      const never: never = d;
      throw new Error(`unknown detector ${String(never)}`);
    }
  }
}

function maxPerRunOf(ctx: AppContext, d: FindingDetector, asOf: Date): number {
  switch (d) {
    case 'repeat_complaints':
      return ctx.settings.getAt(repeatComplaintsSetting, asOf).maxPerRun;
    case 'line_spike':
      return ctx.settings.getAt(lineSpikeSetting, asOf).maxPerRun;
    case 'licence_expiry':
      return ctx.settings.getAt(licenceExpirySetting, asOf).maxPerRun;
    case 'credit_event':
      return ctx.settings.getAt(creditEventSetting, asOf).maxPerRun;
    default:
      return 200;
  }
}
