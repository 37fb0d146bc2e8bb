import { CLUE_CHANNEL_LABELS, type ClueChannel, type DuplicateCandidate } from '@rongjian/shared/api';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { type ClueRow, registerClueHooks } from './clues.hooks.ts';
import { OPEN_STATES } from './clues.machine.ts';
import { clueDuplicatesSetting } from './clues.settings.ts';

type Executor = Kysely<DB> | Transaction<DB>;

const DAY_MS = 86_400_000;
/** Earlier clues of one respondent read per check: enough for a busy shop's month, bounded for a chain store. */
const SCAN_LIMIT = 300;
const MAX_CANDIDATES = 10;

/** Same normalisation as the `clue_respondent_norm_idx` expression of migration 0023. */
const NAME_PUNCT = /[\s()（）【】·,，.。、_/-]/g;
export const normaliseName = (s: string) => s.replace(NAME_PUNCT, '').toLowerCase();
const NAME_NORM_SQL = sql<string>`lower(regexp_replace(c.respondent_name, '[[:space:]()（）【】·,，.。、_/-]', '', 'g'))`;

/** Character bigrams of the text without whitespace and punctuation (Chinese has no spaces to split on). */
export function bigrams(text: string): Set<string> {
  const chars = [...text.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '')];
  const out = new Set<string>();
  if (chars.length === 1) out.add(chars[0] as string);
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  return out;
}

/** Jaccard similarity of two bigram sets, 0..1. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) inter++;
  return inter / (a.size + b.size - inter);
}

export interface DuplicateProbe {
  entityId?: number | null;
  respondentName?: string | null;
  content: string;
  receivedAt?: Date;
  channel?: string | null;
  /** The clue itself and its split relatives. */
  excludeIds?: number[];
  /** Only candidates still open (the 并案 queue); the intake form also shows closed ones. */
  openOnly?: boolean;
}

const channelLabel = (c: string) => CLUE_CHANNEL_LABELS[c as ClueChannel] ?? c;

/**
 * Earlier (or later) clues about the same respondent with similar text, received within the window. Same
 * respondent = same entity record, or the same name after removing spaces and punctuation. Any channel.
 */
export async function findDuplicates(
  db: Executor,
  ctx: Pick<AppContext, 'settings'>,
  probe: DuplicateProbe,
  viewer?: SessionUser,
): Promise<DuplicateCandidate[]> {
  const { windowDays, minSimilarity } = ctx.settings.get(clueDuplicatesSetting);
  const name = normaliseName(probe.respondentName ?? '');
  const entityId = probe.entityId ?? null;
  if (entityId === null && name.length < 2) return [];
  const at = probe.receivedAt ?? new Date();
  const from = new Date(at.getTime() - windowDays * DAY_MS);
  const to = new Date(at.getTime() + windowDays * DAY_MS);
  let q = db
    .selectFrom('clue as c')
    .select([
      'c.id',
      'c.number',
      'c.title',
      'c.kind',
      'c.channel',
      'c.status',
      'c.received_at',
      'c.respondent_name',
      'c.entity_id',
      'c.content',
    ])
    .where('c.received_at', '>=', from)
    .where('c.received_at', '<=', to)
    .where('c.merged_into_id', 'is', null)
    .where('c.status', 'not in', ['merged', 'rejected', 'transferred'])
    .where((eb) => {
      const same = [];
      if (entityId !== null) same.push(eb('c.entity_id', '=', entityId));
      if (name.length >= 2) same.push(eb(NAME_NORM_SQL, '=', name).and('c.respondent_name', '<>', ''));
      return eb.or(same);
    });
  if (probe.openOnly) q = q.where('c.status', 'in', [...OPEN_STATES]);
  const exclude = (probe.excludeIds ?? []).filter((n) => Number.isFinite(n));
  if (exclude.length > 0) q = q.where('c.id', 'not in', exclude);
  if (viewer)
    q = q.where((eb) => inDataScope(eb, viewer, { department: 'c.department_id', owner: 'c.created_by' }));
  const rows = await q.orderBy('c.received_at', 'desc').limit(SCAN_LIMIT).execute();
  const mine = bigrams(probe.content);
  const out: DuplicateCandidate[] = [];
  for (const r of rows) {
    const score = Math.round(similarity(mine, bigrams(r.content)) * 100) / 100;
    if (score < minSimilarity) continue;
    const receivedAt = new Date(r.received_at);
    const days = Math.round(Math.abs(receivedAt.getTime() - at.getTime()) / DAY_MS);
    const reasons = [
      entityId !== null && r.entity_id !== null && Number(r.entity_id) === entityId
        ? '同一经营主体（主体档案）'
        : `被投诉（举报）对象名称相同：${r.respondent_name}`,
      `内容相似度 ${Math.round(score * 100)}%`,
      days === 0 ? '同一天收到' : `收到时间相隔 ${days} 天`,
    ];
    if (probe.channel && probe.channel !== r.channel) {
      reasons.push(`来源渠道不同（${channelLabel(probe.channel)} / ${channelLabel(r.channel)}）`);
    }
    out.push({
      id: Number(r.id),
      number: r.number,
      title: r.title,
      kind: r.kind,
      channel: r.channel,
      status: r.status as DuplicateCandidate['status'],
      receivedAt: receivedAt.toISOString(),
      respondentName: r.respondent_name,
      score,
      reasons,
    });
  }
  return out
    .sort((a, b) => b.score - a.score || b.receivedAt.localeCompare(a.receivedAt))
    .slice(0, MAX_CANDIDATES);
}

/** Ids related to `clue` by a split (they share a respondent and often words, but are not repeats). */
export async function splitRelatives(
  db: Executor,
  clue: Pick<ClueRow, 'id' | 'split_from_id'>,
): Promise<number[]> {
  const root = clue.split_from_id === null ? Number(clue.id) : Number(clue.split_from_id);
  const rows = await db
    .selectFrom('clue')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', root), eb('split_from_id', '=', root)]))
    .execute();
  return [...new Set([Number(clue.id), ...rows.map((r) => Number(r.id))])];
}

/** Candidates of a stored clue (the detail page's 疑似重复). */
export async function duplicatesOfClue(
  db: Executor,
  ctx: Pick<AppContext, 'settings'>,
  clue: ClueRow,
  viewer?: SessionUser,
  opts: { openOnly?: boolean; justReceived?: boolean } = {},
): Promise<DuplicateCandidate[]> {
  const { openOnly = false, justReceived = false } = opts;
  // A clue being received has no split children yet: only a split-off child has relatives to look up.
  const excludeIds =
    justReceived && clue.split_from_id === null ? [Number(clue.id)] : await splitRelatives(db, clue);
  return findDuplicates(
    db,
    ctx,
    {
      entityId: clue.entity_id === null ? null : Number(clue.entity_id),
      respondentName: clue.respondent_name,
      content: clue.content,
      receivedAt: new Date(clue.received_at),
      channel: clue.channel,
      excludeIds,
      openOnly,
    },
    viewer,
  );
}

/** Store the open candidates of a new clue for the 并案 queue (same transaction as the intake). */
export async function recordDuplicateCandidates(
  tx: Transaction<DB>,
  ctx: Pick<AppContext, 'settings'>,
  clue: ClueRow,
): Promise<number> {
  const found = await duplicatesOfClue(tx, ctx, clue, undefined, {
    openOnly: true,
    justReceived: true,
  });
  if (found.length === 0) return 0;
  await tx
    .insertInto('clue_duplicate_candidate')
    .values(
      found.map((f) => ({
        clue_id: Number(clue.id),
        candidate_id: f.id,
        score: f.score,
        reasons: json(f.reasons),
        department_id: clue.department_id,
      })),
    )
    .onConflict((oc) => oc.columns(['clue_id', 'candidate_id']).doNothing())
    .execute();
  return found.length;
}

registerClueHooks({
  name: 'duplicates',
  async afterIntake(tx, ctx, clue) {
    await recordDuplicateCandidates(tx, ctx, clue);
  },
});
