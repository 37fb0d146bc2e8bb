import { CLUE_STATUS_LABELS, type ClueStatus, type ClueTransitionInput } from '@rongjian/shared/api';
import { type Kysely, sql, type Transaction } from 'kysely';
import { clueTitle, complaintRuleOn, createClueService } from '../../supervision/clues/clues.service.ts';
import { chinaDayOf, chinaDayStart, todayInChina } from '../calendar/calendar.rules.ts';
import type { AppContext } from '../context.ts';
import { json } from '../db/json.ts';
import type { DB } from '../db/schema.ts';
import { loadGridIndex } from '../../support/gis/gis.locate.ts';
import type { PlannedClue } from './clues.plan.ts';

/**
 * Writing the demo county's clue history. The last `recentDays` go through the clue service exactly as a member
 * of staff would enter and move them (sorting, duplicates, deadlines — so the deadline board shows real 预警 and
 * 逾期); older clues are written in bulk as history with their final state and their ledger events at the
 * times they happened (a service call would stamp everything "now" and put every old limit in the red).
 * The bulk path is also what `seed --clues N` uses for the benchmark's million clues: no hooks run on it.
 */
export interface DemoClueRefs {
  /** Planned entity index → entity id (entities the exchange rejected are missing). */
  entityIds: Map<number, number>;
  /** Department for clues without a place (the bureau). */
  bureauId: number;
  /** Grid id and its 所 for a point, when the point lies in a grid. */
  locate(lng: number, lat: number): { gridId: number; stationId: number } | null;
  actor: { id: number | null; name: string };
}

/** The references for the planned county: stored entity ids by plan index (by USCC), grid lookup, who writes. */
export async function demoClueRefs(
  ctx: Pick<AppContext, 'db'>,
  entities: readonly { uscc: string }[],
  bureauId: number,
  actorName: string,
): Promise<DemoClueRefs> {
  const stored = await ctx.db
    .selectFrom('entity')
    .select(['id', 'uscc'])
    .where('uscc', 'is not', null)
    .where('merged_into', 'is', null)
    .execute();
  const byUscc = new Map(stored.map((r) => [r.uscc!, Number(r.id)]));
  const entityIds = new Map<number, number>();
  entities.forEach((e, i) => {
    const id = byUscc.get(e.uscc);
    if (id !== undefined) entityIds.set(i, id);
  });
  const grids = await loadGridIndex(ctx.db);
  return {
    entityIds,
    bureauId,
    locate(lng, lat) {
      const g = grids.locate(lng, lat);
      return g ? { gridId: g.id, stationId: g.stationId } : null;
    },
    actor: { id: null, name: actorName },
  };
}

const BATCH = 500;

/** How the service path moves a clue from 待分拣 to its planned state. */
const PATHS: Partial<Record<ClueStatus, ClueTransitionInput['action'][]>> = {
  analysing: ['toAnalysis'],
  dispatching: ['toDispatch'],
  handling: ['toDispatch', 'startHandling'],
  feedback: ['toDispatch', 'startHandling', 'recordResult'],
  closed: ['toDispatch', 'startHandling', 'recordResult', 'close'],
  direct: ['answer'],
};

export async function writeDemoClues(
  ctx: AppContext,
  planned: readonly PlannedClue[],
  refs: DemoClueRefs,
  opts: { recentDays?: number; progress?: (m: string) => void; today?: string } = {},
): Promise<{ history: number; live: number }> {
  const today = opts.today ?? todayInChina();
  const cutoff = chinaDayStart(today, -(opts.recentDays ?? 14)).getTime();
  const history = planned.filter((p) => Date.parse(p.receivedAt) < cutoff);
  const live = planned.filter((p) => Date.parse(p.receivedAt) >= cutoff);
  for (let i = 0; i < history.length; i += BATCH) {
    await ctx.db.transaction().execute((tx) => writeHistory(tx, ctx, history.slice(i, i + BATCH), refs));
    if ((i / BATCH) % 20 === 19) opts.progress?.(`已写入历史线索 ${i + BATCH} 条`);
  }
  await syncCounters(ctx.db);
  const clues = createClueService(ctx);
  for (const p of live) {
    const entityId = p.entityIndex === null ? undefined : refs.entityIds.get(p.entityIndex);
    await ctx.db.transaction().execute(async (tx) => {
      const created = await clues.intake(
        {
          kind: p.kind,
          channel: p.channel,
          businessLine: p.businessLine,
          category12315: p.category12315 ?? undefined,
          content: p.content,
          request: p.request,
          receivedAt: p.receivedAt,
          address: p.address,
          location: p.location ?? undefined,
          entityId,
          respondent: entityId ? undefined : { name: p.respondentName, address: '' },
          complainant: p.complainant ?? undefined,
          anonymous: !p.complainant,
          confidential: p.confidential,
        },
        {
          actor: refs.actor,
          tx,
          status: p.finalStatus === 'registering' ? 'registering' : 'sorting',
          external: p.externalNo ? { source: p.channel, no: p.externalNo } : undefined,
        },
      );
      for (const action of PATHS[p.finalStatus] ?? []) {
        await clues.transitionInternal(tx, refs.actor, created.id, {
          action,
          ...(action === 'answer' ? { answer: p.outcome } : {}),
          ...(action === 'recordResult' ? { result: p.outcome } : {}),
        });
      }
    });
  }
  opts.progress?.(
    `已写入线索 ${planned.length} 条（历史 ${history.length} 条，近 ${opts.recentDays ?? 14} 天经业务流程登记 ${live.length} 条）`,
  );
  return { history: history.length, live: live.length };
}

const NOT_CONSUMPTION =
  '不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议';
const CLOSED: readonly ClueStatus[] = ['closed', 'direct', 'rejected', 'transferred'];

/** One batch of history: clues, their people (sealed) and their ledger events, numbered per receipt day. */
async function writeHistory(
  tx: Transaction<DB>,
  ctx: AppContext,
  batch: readonly PlannedClue[],
  refs: DemoClueRefs,
): Promise<void> {
  const days = [...new Set(batch.map((p) => chinaDayOf(p.receivedAt)))];
  const counters = new Map<string, number>();
  for (const day of days) {
    const r = await tx
      .selectFrom('clue_day_counter')
      .select('last')
      .where('day', '=', day)
      .executeTakeFirst();
    counters.set(day, r?.last ?? 0);
  }
  const rows = batch.map((p) => {
    const day = chinaDayOf(p.receivedAt);
    const seq = counters.get(day)! + 1;
    counters.set(day, seq);
    const place = p.location ? refs.locate(p.location.lng, p.location.lat) : null;
    const rule = complaintRuleOn(ctx.settings, day);
    const settled = new Date(Date.parse(p.receivedAt) + p.settledAfterDays * 86_400_000);
    const resolution: Record<string, unknown> =
      p.finalStatus === 'direct'
        ? { answer: p.outcome }
        : p.finalStatus === 'rejected'
          ? {
              // The ground of the rule in force on the receipt day (migration 0023 seeds both orders).
              groundCode: day < '2026-04-15' ? 'o20.not_consumption' : 'o121.not_consumption',
              groundLabel: NOT_CONSUMPTION,
            }
          : p.finalStatus === 'transferred'
            ? { agency: '县住房和城乡建设局' }
            : ['feedback', 'closed'].includes(p.finalStatus)
              ? { result: p.outcome }
              : {};
    const entityId = p.entityIndex === null ? null : (refs.entityIds.get(p.entityIndex) ?? null);
    return {
      number: `XS${day.replace(/-/g, '')}${String(seq).padStart(6, '0')}`,
      kind: p.kind,
      channel: p.channel,
      status: p.finalStatus,
      business_line: p.businessLine,
      category_12315: p.category12315,
      title: clueTitle(undefined, p.content),
      content: p.content,
      request: p.request,
      received_at: new Date(p.receivedAt),
      receipt_day: day,
      rule_effective_from: rule.effectiveFrom,
      regulation: rule.value.regulation,
      department_id: place?.stationId ?? refs.bureauId,
      station_id: place?.stationId ?? null,
      grid_id: place?.gridId ?? null,
      lng: p.location?.lng ?? null,
      lat: p.location?.lat ?? null,
      address: p.address,
      entity_id: entityId,
      respondent_name: p.respondentName,
      respondent_uscc: null,
      respondent_address: '',
      confidential: p.confidential,
      anonymous: !p.complainant,
      external_source: p.externalNo ? p.channel : null,
      external_no: p.externalNo,
      origin_type: null,
      origin_id: null,
      split_from_id: null,
      merged_into_id: null,
      query_code_hash: null,
      sort_suggestion: json({}),
      resolution: json(resolution),
      result_summary: (resolution.answer ?? resolution.result ?? resolution.groundLabel ?? '') as string,
      closed_at: CLOSED.includes(p.finalStatus) ? settled : null,
      satisfaction:
        p.finalStatus === 'closed' ? (p.settledAfterDays % 7 === 0 ? 'basically' : 'satisfied') : null,
      created_by: refs.actor.id,
      created_by_name: refs.actor.name,
      created_at: new Date(p.receivedAt),
      updated_at: settled,
    } as const;
  });
  const inserted = await tx
    .insertInto('clue')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['external_source', 'external_no']).where('external_no', 'is not', null).doNothing(),
    )
    .returning(['id', 'number', 'department_id', 'status', 'received_at', 'updated_at', 'channel', 'kind'])
    .execute();
  const byNumber = new Map(inserted.map((r) => [r.number, r]));
  const parties = [];
  const events = [];
  for (const [i, p] of batch.entries()) {
    const r = byNumber.get(rows[i]!.number);
    if (!r) continue;
    const clueId = Number(r.id);
    if (p.complainant) {
      parties.push({
        clue_id: clueId,
        department_id: r.department_id,
        role: p.kind === 'report' ? ('informant' as const) : ('complainant' as const),
        name_enc: ctx.pii.encrypt('name', p.complainant.name),
        name_bidx: ctx.pii.blindIndex('name', p.complainant.name),
        phone_enc: ctx.pii.encrypt('phone', p.complainant.phone),
        phone_bidx: ctx.pii.blindIndex('phone', p.complainant.phone),
        id_card_enc: null,
        id_card_bidx: null,
        address_enc: null,
        real_name: p.complainant.realName,
        original_clue_id: clueId,
        channel: p.channel,
      });
    }
    const base = {
      actor_id: refs.actor.id,
      actor_name: refs.actor.name,
      subject_type: 'clue',
      subject_id: String(clueId),
      clue_id: clueId,
      department_id: r.department_id,
    };
    events.push({
      ...base,
      occurred_at: r.received_at,
      kind: 'clue.received',
      payload: json({ number: r.number, kind: r.kind, channel: r.channel, status: 'sorting', history: true }),
    });
    if (r.status !== 'sorting' && r.status !== 'registering') {
      events.push({
        ...base,
        occurred_at: r.updated_at,
        kind: 'clue.history',
        payload: json({
          to: r.status,
          statusLabel: CLUE_STATUS_LABELS[r.status as ClueStatus],
          summary: rows[i]!.result_summary,
          history: true,
        }),
      });
    }
  }
  if (parties.length > 0) await tx.insertInto('clue_party').values(parties).execute();
  if (events.length > 0) await tx.insertInto('ledger_event').values(events).execute();
  for (const [day, last] of counters) {
    await tx
      .insertInto('clue_day_counter')
      .values({ day, last })
      .onConflict((oc) =>
        oc.column('day').doUpdateSet({ last: sql`greatest(clue_day_counter.last, excluded.last)` }),
      )
      .execute();
  }
}

/** After a bulk load the day counters must be past every number written (they are, per batch; this re-checks). */
async function syncCounters(db: Kysely<DB>): Promise<void> {
  await sql`insert into clue_day_counter (day, last)
    select receipt_day, max(right(number, 6)::int) from clue group by receipt_day
    on conflict (day) do update set last = greatest(clue_day_counter.last, excluded.last)`.execute(db);
}
