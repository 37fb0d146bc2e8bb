import type { ClueKind, ClueStatus } from '@rongjian/shared/api';
import { type Kysely, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import { chinaDayStart } from '../../platform/calendar/calendar.rules.ts';
import type { DB } from '../../platform/db/schema.ts';
import { likeContains, likePrefix } from '../../platform/db/like.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

export interface ClueFilter {
  status?: ClueStatus[];
  kind?: ClueKind;
  channel?: string;
  businessLine?: string;
  category12315?: string;
  departmentId?: number;
  gridId?: number;
  entityId?: number;
  /** Number (exact or prefix), external order number, respondent or text fragment. */
  q?: string;
  receivedFrom?: string;
  receivedTo?: string;
  /** Include clues merged into another (hidden by default: their survivor stands for them). */
  includeMerged?: boolean;
}

export interface ClueCursor {
  at: string;
  id: number;
}

export const encodeCursor = (c: ClueCursor) => `${c.at}|${c.id}`;
export function decodeCursor(s: string | undefined): ClueCursor | undefined {
  if (!s) return undefined;
  const [at, id] = s.split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^\d+$/.test(id)) return undefined;
  return { at, id: Number(id) };
}

/** Clues the viewer may see: the clue's department within the data scope (the entering user always sees theirs). */
export function visibleClues(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('clue as c')
    .leftJoin('department as d', 'd.id', 'c.department_id')
    .leftJoin('grid as g', 'g.id', 'c.grid_id')
    .where((eb) => inDataScope(eb, viewer, { department: 'c.department_id', owner: 'c.created_by' }));
}

type ClueQuery = ReturnType<typeof visibleClues>;

export function applyFilter(q: ClueQuery, f: ClueFilter): ClueQuery {
  let out = q;
  if (f.status && f.status.length > 0) out = out.where('c.status', 'in', f.status);
  if (!f.includeMerged) out = out.where('c.merged_into_id', 'is', null);
  if (f.kind) out = out.where('c.kind', '=', f.kind);
  if (f.channel) out = out.where('c.channel', '=', f.channel);
  if (f.businessLine) out = out.where('c.business_line', '=', f.businessLine);
  if (f.category12315) out = out.where('c.category_12315', '=', f.category12315);
  if (f.departmentId) out = out.where('c.department_id', '=', f.departmentId);
  if (f.gridId) out = out.where('c.grid_id', '=', f.gridId);
  if (f.entityId) out = out.where('c.entity_id', '=', f.entityId);
  // Receipt days are China days; as bounds on received_at the (…, received_at desc, id desc) indexes serve the
  // range instead of a scan filtering receipt_day (1,000,000 clues: 215 ms → see docs/performance.md).
  if (f.receivedFrom) out = out.where('c.received_at', '>=', chinaDayStart(f.receivedFrom));
  if (f.receivedTo) out = out.where('c.received_at', '<', chinaDayStart(f.receivedTo, 1));
  if (f.q) {
    const text = f.q;
    if (/^XS\d{6,}$/i.test(text)) {
      out = out.where('c.number', 'like', likePrefix(text.toUpperCase()));
    } else {
      const pattern = likeContains(text);
      out = out.where((eb) =>
        eb.or([
          eb('c.external_no', '=', text),
          eb('c.respondent_name', 'like', pattern),
          eb('c.title', 'like', pattern),
          eb('c.content', 'like', pattern),
        ]),
      );
    }
  }
  return out;
}

export const SUMMARY_COLUMNS = [
  'c.id',
  'c.number',
  'c.kind',
  'c.channel',
  'c.status',
  'c.title',
  'c.business_line',
  'c.category_12315',
  'c.received_at',
  'c.department_id',
  'd.name as department_name',
  'c.grid_id',
  'g.name as grid_name',
  'c.entity_id',
  'c.respondent_name',
  'c.external_no',
  'c.merged_into_id',
] as const;

export function pageOf<O>(
  q: SelectQueryBuilder<DB & { c: DB['clue'] }, 'c', O>,
  after: ClueCursor | undefined,
  limit: number,
) {
  let out = q;
  if (after) {
    out = out.where(sql<boolean>`(c.received_at, c.id) < (${new Date(after.at)}::timestamptz, ${after.id})`);
  }
  return out.orderBy('c.received_at', 'desc').orderBy('c.id', 'desc').limit(limit);
}

/**
 * Draw the next number of `day` in one statement of its own (autocommit), without waiting for the disk: the
 * counter's row lock goes at once instead of after an fsync, which would cap every node at one number per flush.
 * `set_config(…, true)` lasts until the end of the statement's implicit transaction — its commit included — and
 * the pooled connection keeps the server default. Still unique after a crash: the WAL is written in order, so a
 * clue that uses the number commits durably only after the increment is on disk; a number lost in a crash
 * belonged to no committed clue (a gap, never a duplicate).
 */
export async function drawClueNumber(db: Kysely<DB>, day: string): Promise<string> {
  const r = await sql<{ last: number }>`
    insert into clue_day_counter (day, last)
    select ${day}, 1 from (select set_config('synchronous_commit', 'off', true)) as no_flush_wait
    on conflict (day) do update set last = clue_day_counter.last + 1
    returning last`.execute(db);
  return formatClueNumber(day, Number(r.rows[0]!.last));
}

const formatClueNumber = (day: string, n: number) =>
  `XS${day.replace(/-/g, '')}${String(n).padStart(6, '0')}`;

/**
 * The next number of the receipt day inside the caller's transaction: `XS` + `YYYYMMDD` + six digits; the row lock
 * makes it unique across nodes.
 */
export async function nextClueNumber(tx: Transaction<DB>, day: string): Promise<string> {
  const row = await tx
    .insertInto('clue_day_counter')
    .values({ day, last: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet({ last: sql`clue_day_counter.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return formatClueNumber(day, row.last);
}

/**
 * 分拣确认 and 研判 correct how a clue is classified — kind, business line, 12315 category, respondent — through
 * this one path: the confidentiality flag only survives on a 举报, the clue's own people take the role of the new
 * kind, and the version moves on. Undefined when `expectedVersion` is no longer current (someone else acted).
 */
export async function reclassifyClue(
  tx: Transaction<DB>,
  clue: { id: number | string; kind: string; confidential: boolean },
  expectedVersion: number,
  fix: {
    kind: ClueKind;
    businessLine: string | null;
    category12315: string | null;
    entityId: number | null;
    /** Shown name and USCC of the respondent; unchanged when absent. */
    respondent?: { name: string; uscc: string | null };
  },
): Promise<number | undefined> {
  const updated = await tx
    .updateTable('clue')
    .set({
      kind: fix.kind,
      business_line: fix.businessLine,
      category_12315: fix.category12315,
      entity_id: fix.entityId,
      ...(fix.respondent
        ? { respondent_name: fix.respondent.name, respondent_uscc: fix.respondent.uscc }
        : {}),
      confidential: fix.kind === 'report' ? clue.confidential : false,
      version: expectedVersion + 1,
      updated_at: new Date(),
    })
    .where('id', '=', Number(clue.id))
    .where('version', '=', expectedVersion)
    .returning('version')
    .executeTakeFirst();
  if (!updated) return undefined;
  if (fix.kind !== clue.kind) await alignPartyRoles(tx, Number(clue.id), fix.kind);
  return updated.version;
}

/**
 * A clue's own people take the role its kind implies — informants of a 举报, complainants otherwise — after
 * sorting or a split changed the kind. People merged in from other clues keep the role of their own clue.
 */
export async function alignPartyRoles(tx: Transaction<DB>, clueId: number, kind: ClueKind): Promise<void> {
  await tx
    .updateTable('clue_party')
    .set({ role: kind === 'report' ? 'informant' : 'complainant' })
    .where('clue_id', '=', clueId)
    .where('original_clue_id', '=', clueId)
    .execute();
}
