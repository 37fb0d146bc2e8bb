import { DISPOSALS, type DisposalCode } from '@rongjian/shared';
import {
  type AnalysisQueueItem,
  type AnalysisQueuePage,
  type AnalysisQueueQuery,
  CLUE_STATUS_LABELS,
  type ClueKind,
  type ClueStatus,
  type Judgment,
  type JudgmentInput,
  type JudgmentResult,
  type JudgmentSuggestion,
  type Workbench,
  type WorkbenchEntity,
  type WorkbenchSimilar,
  type WorkbenchSuggestion,
} from '@rongjian/shared/api';
import { type Kysely, type Selectable, sql, type SqlBool, type Transaction } from 'kysely';
import { createEntityService } from '../../fusion/entities/entities.service.ts';
import { findEntityLink } from '../../fusion/entities/entities.lookup.ts';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isTimestampText } from '../../platform/inbox/inbox.service.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { classify } from '../clues/clues.classifier.ts';
import { bigrams, normaliseName, similarity } from '../clues/clues.duplicates.ts';
import type { ClueRow } from '../clues/clues.hooks.ts';
import { reclassifyClue, visibleClues } from '../clues/clues.repo.ts';
import { createClueService } from '../clues/clues.service.ts';
import { versionConflict } from '../clues/clues.sorting.ts';
import type { AnalysisJudgmentTable, JudgmentSuggestionSnapshot } from './analysis.judgments.tables.ts';
import { linkEntities, visibleCandidates } from './analysis.linking.ts';
import { predictTriage } from './analysis.triage.ts';

type Executor = Kysely<DB> | Transaction<DB>;
type JudgmentRow = Selectable<AnalysisJudgmentTable>;

const DAY_MS = 86_400_000;
/** Similar clues: how far back, how many of the same respondent and how many recent ones are compared. */
const SIMILAR_YEARS = 2;
const SAME_RESPONDENT_SCAN = 200;
const RECENT_SCAN = 500;
const SIMILAR_MIN_TEXT = 0.3;
const SIMILAR_MAX = 10;
const HISTORY_MAX = 20;

/** Same expression as `clue_respondent_norm_idx` (migration 0023) and `normaliseName` in clues.duplicates.ts. */
const NAME_NORM_SQL = sql<string>`lower(regexp_replace(c.respondent_name, '[[:space:]()（）【】·,，.。、_/-]', '', 'g'))`;

const ACTION_OF: Record<DisposalCode, 'toDispatch' | 'answer' | 'reject' | 'transfer'> = {
  inspection: 'toDispatch',
  enforcement: 'toDispatch',
  direct: 'answer',
  reject: 'reject',
  transfer: 'transfer',
};

/** The triage model's suggestion for a text; null while no model is loaded (the workbench still works). */
export function suggestFor(text: string): WorkbenchSuggestion | null {
  try {
    const p = predictTriage(text);
    return {
      kind: p.kind,
      line: p.line,
      category: p.category,
      disposal: p.disposal,
      confidence: p.confidence,
      modelVersion: p.modelVersion,
    };
  } catch {
    return null;
  }
}

const snapshotOf = (s: WorkbenchSuggestion | null): JudgmentSuggestionSnapshot | null =>
  s
    ? {
        kind: s.kind.value,
        line: s.line.value,
        category: s.category.value,
        disposal: s.disposal.value,
        confidence: s.confidence,
        modelVersion: s.modelVersion,
      }
    : null;

// ── queue ────────────────────────────────────────────────────────────────────────────────────────────────────

function decodeAfter(s: string | undefined): { k: string; id: number } | undefined {
  if (!s) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && isTimestampText(v[0]) && Number.isSafeInteger(v[1]))
      return { k: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', '分页参数 after 无效，请从第一页重新加载', {
    details: [{ path: 'after', message: '无效的分页游标' }],
  });
}

/** Clues waiting in 待研判 within the viewer's scope, longest waiting first, each with the model's suggestion. */
export async function analysisQueue(
  db: Executor,
  viewer: SessionUser,
  q: AnalysisQueueQuery,
): Promise<AnalysisQueuePage> {
  const after = decodeAfter(q.after);
  let query = visibleClues(db, viewer)
    .where('c.status', '=', 'analysing')
    .where('c.merged_into_id', 'is', null)
    .select([
      'c.id',
      'c.number',
      'c.version',
      'c.kind',
      'c.channel',
      'c.title',
      'c.content',
      'c.business_line',
      'c.category_12315',
      'c.received_at',
      'd.name as department_name',
      'c.respondent_name',
      'c.entity_id',
      sql<string>`c.received_at::text`.as('k'),
    ]);
  if (q.businessLine) query = query.where('c.business_line', '=', q.businessLine);
  if (q.kind) query = query.where('c.kind', '=', q.kind);
  if (q.channel) query = query.where('c.channel', '=', q.channel);
  if (after)
    query = query.where(sql<SqlBool>`(c.received_at, c.id) > (${after.k}::timestamptz, ${after.id})`);
  const rows = await query
    .orderBy('c.received_at')
    .orderBy('c.id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(
      (r): AnalysisQueueItem => ({
        id: Number(r.id),
        number: r.number,
        version: r.version,
        kind: r.kind,
        channel: r.channel,
        title: r.title,
        businessLine: r.business_line,
        category12315: r.category_12315,
        receivedAt: new Date(r.received_at).toISOString(),
        departmentName: r.department_name,
        respondentName: r.respondent_name,
        entityId: r.entity_id === null ? null : Number(r.entity_id),
        suggestion: suggestFor(r.content),
      }),
    ),
    nextAfter:
      rows.length > q.limit && last
        ? Buffer.from(JSON.stringify([last.k, Number(last.id)])).toString('base64url')
        : null,
  };
}

// ── judgments read ───────────────────────────────────────────────────────────────────────────────────────────

async function judgmentViews(db: Executor, rows: JudgmentRow[]): Promise<Judgment[]> {
  if (rows.length === 0) return [];
  const users = await db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('id', 'in', [...new Set(rows.map((r) => Number(r.judged_by)))])
    .execute();
  const clues = await db
    .selectFrom('clue')
    .select(['id', 'number'])
    .where('id', 'in', [...new Set(rows.map((r) => Number(r.clue_id)))])
    .execute();
  const nameOf = new Map(users.map((u) => [Number(u.id), u.display_name]));
  const numberOf = new Map(clues.map((c) => [Number(c.id), c.number]));
  const n = (v: number | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    id: Number(r.id),
    groupId: n(r.group_id),
    clueId: Number(r.clue_id),
    clueNumber: numberOf.get(Number(r.clue_id)) ?? '',
    disposal: r.disposal as DisposalCode,
    kind: r.kind,
    businessLine: r.business_line,
    category12315: r.category_12315,
    entityId: n(r.entity_id),
    conclusion: r.conclusion,
    basis: r.basis,
    suggestion: (r.suggestion as JudgmentSuggestion | null) ?? null,
    judgedBy: Number(r.judged_by),
    judgedByName: nameOf.get(Number(r.judged_by)) ?? '',
    judgedAt: new Date(r.judged_at).toISOString(),
    departmentId: n(r.department_id),
  }));
}

/** Judgments of a clue the viewer may see, oldest first (404 outside the scope). */
export async function judgmentsOfClue(
  db: Executor,
  viewer: SessionUser,
  clueId: number,
): Promise<Judgment[]> {
  const clue = await visibleClues(db, viewer).select('c.id').where('c.id', '=', clueId).executeTakeFirst();
  if (!clue) throw notFound('线索');
  const rows = await db
    .selectFrom('analysis_judgment')
    .selectAll()
    .where('clue_id', '=', clueId)
    .orderBy('id')
    .execute();
  return judgmentViews(db, rows);
}

// ── workbench ────────────────────────────────────────────────────────────────────────────────────────────────

async function entityCard(
  ctx: AppContext,
  viewer: SessionUser,
  entityId: number,
): Promise<{ entity: WorkbenchEntity; history: Workbench['entityHistory'] } | null> {
  const entities = createEntityService({ db: ctx.db, pii: ctx.pii, settings: ctx.settings });
  let profile: Awaited<ReturnType<typeof entities.get>>;
  try {
    profile = await entities.get(viewer, entityId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
  const since = new Date(Date.now() - 365 * DAY_MS);
  const recent = await visibleClues(ctx.db, viewer)
    .where('c.entity_id', '=', entityId)
    .where('c.received_at', '>=', since)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const top = profile.risk?.contributions[0];
  return {
    entity: {
      id: profile.id,
      name: profile.name,
      uscc: profile.uscc,
      address: profile.address,
      status: profile.status,
      businessLines: profile.businessLines,
      riskClass: profile.risk?.riskClass ?? profile.riskClass ?? null,
      riskLabel: profile.risk?.label ?? null,
      riskHeadline: top ? `${top.label}：${top.detail}` : null,
      licences: profile.licences.map((l) => ({
        kindLabel: l.kindLabel,
        licenceNo: l.licenceNo,
        validUntil: l.validUntil,
        expiry: l.expiry,
        daysLeft: l.daysLeft,
      })),
      creditRecords: profile.creditRecords.length,
      activeCreditRecords: profile.creditRecords.filter((c) => c.removedOn === null).length,
      recentClues: Number(recent.n),
    },
    history: [...profile.timeline].sort((a, b) => b.id - a.id).slice(0, HISTORY_MAX),
  };
}

/** Earlier clues like this one: same respondent (entity or normalised name) or similar text, within two years. */
export async function similarClues(
  db: Executor,
  viewer: SessionUser,
  clue: Pick<ClueRow, 'id' | 'entity_id' | 'respondent_name' | 'content' | 'business_line'>,
): Promise<WorkbenchSimilar[]> {
  const since = new Date(Date.now() - SIMILAR_YEARS * 365 * DAY_MS);
  const base = () =>
    visibleClues(db, viewer)
      .where('c.id', '!=', Number(clue.id))
      .where('c.merged_into_id', 'is', null)
      .where('c.received_at', '>=', since)
      .select([
        'c.id',
        'c.number',
        'c.title',
        'c.kind',
        'c.status',
        'c.received_at',
        'c.content',
        'c.result_summary',
        'c.entity_id',
        'c.respondent_name',
      ]);
  const entityId = clue.entity_id === null ? null : Number(clue.entity_id);
  const name = normaliseName(clue.respondent_name);
  const [same, recent] = await Promise.all([
    entityId !== null || name.length >= 2
      ? base()
          .where((eb) => {
            const or = [];
            if (entityId !== null) or.push(eb('c.entity_id', '=', entityId));
            if (name.length >= 2) or.push(eb(NAME_NORM_SQL, '=', name).and('c.respondent_name', '<>', ''));
            return eb.or(or);
          })
          .orderBy('c.received_at', 'desc')
          .limit(SAME_RESPONDENT_SCAN)
          .execute()
      : Promise.resolve([]),
    (clue.business_line ? base().where('c.business_line', '=', clue.business_line) : base())
      .orderBy('c.received_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(RECENT_SCAN)
      .execute(),
  ]);
  const mine = bigrams(clue.content);
  const seen = new Set<number>();
  const scored: { row: (typeof recent)[number]; score: number; rank: number; reasons: string[] }[] = [];
  for (const row of [...same, ...recent]) {
    const id = Number(row.id);
    if (seen.has(id)) continue;
    seen.add(id);
    const text = Math.round(similarity(mine, bigrams(row.content)) * 100) / 100;
    const sameEntity = entityId !== null && row.entity_id !== null && Number(row.entity_id) === entityId;
    const sameName = !sameEntity && name.length >= 2 && normaliseName(row.respondent_name) === name;
    if (!sameEntity && !sameName && text < SIMILAR_MIN_TEXT) continue;
    const reasons: string[] = [];
    if (sameEntity) reasons.push('同一经营主体');
    if (sameName) reasons.push(`被投诉（举报）对象名称相同：${row.respondent_name}`);
    reasons.push(`内容相似度 ${Math.round(text * 100)}%`);
    scored.push({ row, score: text, rank: text + (sameEntity || sameName ? 0.5 : 0), reasons });
  }
  const top = scored
    .sort((a, b) => b.rank - a.rank || +new Date(b.row.received_at) - +new Date(a.row.received_at))
    .slice(0, SIMILAR_MAX);
  const ids = top.map((t) => Number(t.row.id));
  const [outcomes, disposals] = ids.length
    ? await Promise.all([
        db
          .selectFrom('ledger_event')
          .select(['clue_id', 'payload', 'id'])
          .where('clue_id', 'in', ids)
          .where('kind', '=', 'dispatch.order.completed')
          .orderBy('id', 'desc')
          .execute(),
        db
          .selectFrom('analysis_judgment')
          .select(['clue_id', 'disposal', 'id'])
          .where('clue_id', 'in', ids)
          .orderBy('id', 'desc')
          .execute(),
      ])
    : [[], []];
  const outcomeOf = new Map<number, Record<string, unknown>>();
  for (const e of outcomes)
    if (!outcomeOf.has(Number(e.clue_id))) outcomeOf.set(Number(e.clue_id), e.payload);
  const disposalOf = new Map<number, string>();
  for (const j of disposals)
    if (!disposalOf.has(Number(j.clue_id))) disposalOf.set(Number(j.clue_id), j.disposal);
  return top.map(({ row, score, reasons }) => {
    const id = Number(row.id);
    const o = outcomeOf.get(id);
    const result = row.result_summary.trim();
    return {
      id,
      number: row.number,
      title: row.title,
      kind: row.kind,
      status: row.status as ClueStatus,
      receivedAt: new Date(row.received_at).toISOString(),
      score,
      reasons,
      result: result ? (result.length > 120 ? `${result.slice(0, 120)}…` : result) : null,
      disposal: disposalOf.get(id) ?? null,
      outcome: o
        ? {
            outcome: String(o.outcome ?? 'other'),
            summary: String(o.summary ?? ''),
            orderNumber: typeof o.number === 'string' ? o.number : null,
          }
        : null,
    };
  });
}

/** Everything the analyst needs to judge one clue (404 outside the viewer's scope). */
export async function workbench(ctx: AppContext, viewer: SessionUser, clueId: number): Promise<Workbench> {
  const clues = createClueService(ctx);
  const detail = await clues.get(viewer, clueId);
  const row = await ctx.db.selectFrom('clue').selectAll().where('id', '=', clueId).executeTakeFirstOrThrow();
  const [rules, card, similar, judgments] = await Promise.all([
    classify(ctx.db, row.content, { title: row.title, channel: row.channel, kind: row.kind }),
    row.entity_id === null ? Promise.resolve(null) : entityCard(ctx, viewer, Number(row.entity_id)),
    similarClues(ctx.db, viewer, row),
    judgmentsOfClue(ctx.db, viewer, clueId),
  ]);
  let candidates: Workbench['candidates'] = [];
  if (!card) {
    const text = [row.respondent_name, row.respondent_uscc ?? '', row.respondent_address, row.content]
      .filter(Boolean)
      .join('\n');
    const found = await linkEntities(ctx.db, text, { limit: 8, vault: ctx.pii });
    candidates = await visibleCandidates(ctx.db, viewer, found, 5);
  }
  return {
    clue: detail,
    suggestion: suggestFor(row.content),
    rules: rules
      ? {
          classifier: rules.classifier,
          kind: rules.kind ?? null,
          businessLine: rules.businessLine ?? null,
          category12315: rules.category12315 ?? null,
          route: rules.route ?? null,
          confidence: rules.confidence,
          ruleNames: rules.ruleNames ?? [],
          matched: rules.matched ?? [],
        }
      : null,
    entity: card?.entity ?? null,
    candidates,
    // entities.get already kept only the events the viewer may see.
    entityHistory: card?.history ?? [],
    similar,
    judgments,
  };
}

// ── judging ──────────────────────────────────────────────────────────────────────────────────────────────────

function required(ok: boolean, path: string, message: string): void {
  if (!ok) throw new AppError('VALIDATION_FAILED', message, { details: [{ path, message: '必填' }] });
}

/**
 * Record one decision for one clue or a group, and move every clue on — all in one transaction: a clue outside
 * the viewer's scope is 404, a clue another person moved (version or state) is 409 with its current state, and
 * in either case nothing is written for any clue of the group.
 */
export async function judge(
  ctx: AppContext,
  viewer: SessionUser,
  input: JudgmentInput,
): Promise<JudgmentResult> {
  const ids = input.clues.map((c) => c.id);
  if (new Set(ids).size !== ids.length) {
    throw new AppError('VALIDATION_FAILED', '同一条线索不能重复选择', {
      details: [{ path: 'clues', message: '有重复的线索' }],
    });
  }
  required(input.disposal !== 'direct' || Boolean(input.answer), 'answer', '直接办结需要填写答复内容');
  required(input.disposal !== 'reject' || Boolean(input.groundCode), 'groundCode', '不予受理需要选择理由');
  required(input.disposal !== 'transfer' || Boolean(input.agency), 'agency', '转办需要填写接收机关');
  const actor: Actor = { id: viewer.id, name: viewer.displayName };
  const clueService = createClueService(ctx);
  const decided = await ctx.db.transaction().execute(async (tx) => {
    const rows = await visibleClues(tx, viewer)
      .selectAll('c')
      .where('c.id', 'in', ids)
      .orderBy('c.id')
      .forUpdate('c')
      .execute();
    if (rows.length !== ids.length) throw notFound('线索');
    const byId = new Map(rows.map((r) => [Number(r.id), r as unknown as ClueRow]));
    const stale = input.clues.flatMap((c, i) => {
      const r = byId.get(c.id)!;
      return r.status === 'analysing' && r.version === c.version ? [] : [{ i, r }];
    });
    if (stale.length > 0) {
      const label = (r: ClueRow) => CLUE_STATUS_LABELS[r.status as ClueStatus];
      const first = stale[0]!.r;
      throw new AppError(
        'VERSION_CONFLICT',
        `线索 ${first.number} 已被他人处理（当前状态“${label(first)}”），请刷新后重试${stale.length > 1 ? `（共 ${stale.length} 条）` : ''}；本次研判未保存`,
        {
          status: 409,
          details: stale.map(({ i, r }) => ({
            path: `clues.${i}`,
            message: `${r.number}：当前状态“${label(r)}”，版本 ${r.version}`,
          })),
        },
      );
    }
    let entity: { id: number; name: string; uscc: string | null } | null | undefined;
    if (input.entityId === null) entity = null;
    else if (input.entityId !== undefined) {
      const e = await findEntityLink(tx, { id: input.entityId });
      if (!e) {
        throw new AppError('VALIDATION_FAILED', '所选经营主体不存在', {
          details: [{ path: 'entityId', message: '经营主体不存在' }],
        });
      }
      entity = { id: e.id, name: e.name, uscc: e.uscc };
    }
    let groupId: number | null = null;
    const judged: number[] = [];
    for (const ref of input.clues) {
      const clue = byId.get(ref.id)!;
      const suggestion = snapshotOf(suggestFor(clue.content));
      const current = {
        kind: clue.kind as string,
        businessLine: clue.business_line,
        category12315: clue.category_12315,
        entityId: clue.entity_id === null ? null : Number(clue.entity_id),
      };
      const final = {
        kind: input.kind ?? current.kind,
        businessLine: input.businessLine ?? current.businessLine,
        category12315: input.category12315 ?? current.category12315,
        entityId: entity === undefined ? current.entityId : (entity?.id ?? null),
      };
      const changes = (Object.keys(current) as (keyof typeof current)[])
        .filter((k) => current[k] !== final[k])
        .map((k) => ({ field: k, from: current[k], to: final[k] }));
      let version = clue.version;
      if (changes.length > 0) {
        // Through the clue module's own path (the row is locked above, so the version still holds).
        const next = await reclassifyClue(tx, clue, clue.version, {
          kind: final.kind as ClueKind,
          businessLine: final.businessLine,
          category12315: final.category12315,
          entityId: final.entityId,
          ...(entity ? { respondent: { name: entity.name, uscc: entity.uscc } } : {}),
        });
        if (next === undefined) throw versionConflict();
        version = next;
      }
      const inserted: { id: number } = await tx
        .insertInto('analysis_judgment')
        .values({
          group_id: groupId,
          clue_id: clue.id,
          disposal: input.disposal,
          kind: final.kind,
          business_line: final.businessLine,
          category_12315: final.category12315,
          entity_id: final.entityId,
          conclusion: input.conclusion,
          basis: input.basis,
          suggestion: json(suggestion),
          judged_by: viewer.id,
          department_id: clue.department_id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const judgmentId: number = Number(inserted.id);
      if (input.clues.length > 1 && groupId === null) {
        groupId = judgmentId;
        await tx
          .updateTable('analysis_judgment')
          .set({ group_id: groupId })
          .where('id', '=', judgmentId)
          .execute();
      }
      judged.push(judgmentId);
      const decision = { ...final, disposal: input.disposal };
      await appendEvent(tx, {
        actor,
        subjectType: 'analysis_judgment',
        subjectId: judgmentId,
        clueId: Number(clue.id),
        departmentId: clue.department_id,
        kind: 'analysis.judged',
        payload: {
          judgmentId,
          groupId,
          groupSize: input.clues.length,
          disposal: input.disposal,
          disposalLabel: DISPOSALS[input.disposal],
          conclusion: input.conclusion,
          basis: input.basis,
          suggestion,
          decision,
          followed: suggestion
            ? {
                kind: suggestion.kind === decision.kind,
                line: suggestion.line === decision.businessLine,
                category: suggestion.category === decision.category12315,
                disposal: suggestion.disposal === decision.disposal,
              }
            : null,
          changes,
        },
      });
      await clueService.transitionInternal(tx, actor, Number(clue.id), {
        action: ACTION_OF[input.disposal],
        version,
        note: `研判：${DISPOSALS[input.disposal]}`,
        ...(input.disposal === 'direct' ? { answer: input.answer } : {}),
        ...(input.disposal === 'reject' ? { groundCode: input.groundCode } : {}),
        ...(input.disposal === 'transfer'
          ? { agency: input.agency, reason: input.conclusion.slice(0, 1000) }
          : {}),
      });
    }
    return judged;
  });
  const rows = await ctx.db
    .selectFrom('analysis_judgment')
    .selectAll()
    .where('id', 'in', decided)
    .orderBy('id')
    .execute();
  const after = await ctx.db
    .selectFrom('clue')
    .select(['id', 'status', 'version'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  return {
    judgments: await judgmentViews(ctx.db, rows),
    clues: after.map((c) => ({ id: Number(c.id), status: c.status as ClueStatus, version: c.version })),
  };
}
