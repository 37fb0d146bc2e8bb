import type { Kysely, Transaction } from 'kysely';
import { notifyMany } from '../db/database.ts';
import { json } from '../db/json.ts';
import type { DB } from '../db/schema.ts';

/**
 * The flow ledger: one append-only list of everything that happens to a clue and to every object that work
 * produces from it. Modules append inside their own transaction, so an event exists exactly when the change
 * it describes was committed; NOTIFY (delivered on commit) tells listeners on every node.
 */
export const LEDGER_CHANNEL = 'rongjian_ledger';

export interface Actor {
  id: number | null;
  name: string;
}

export const systemActor: Actor = { id: null, name: '系统' };

export interface LedgerAppend {
  actor: Actor;
  subjectType: string;
  subjectId: string | number;
  clueId?: number | null;
  departmentId?: number | null;
  kind: string;
  payload?: Record<string, unknown>;
}

export interface LedgerEvent {
  id: number;
  occurredAt: string;
  actorId: number | null;
  actorName: string;
  subjectType: string;
  subjectId: string;
  clueId: number | null;
  departmentId: number | null;
  kind: string;
  payload: Record<string, unknown>;
}

type Executor = Kysely<DB> | Transaction<DB>;

const columns = [
  'id',
  'occurred_at',
  'actor_id',
  'actor_name',
  'subject_type',
  'subject_id',
  'clue_id',
  'department_id',
  'kind',
  'payload',
] as const;

function toEvent(r: {
  id: number;
  occurred_at: Date;
  actor_id: number | null;
  actor_name: string;
  subject_type: string;
  subject_id: string;
  clue_id: number | null;
  department_id: number | null;
  kind: string;
  payload: Record<string, unknown>;
}): LedgerEvent {
  return {
    id: r.id,
    occurredAt: new Date(r.occurred_at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    clueId: r.clue_id,
    departmentId: r.department_id,
    kind: r.kind,
    payload: r.payload,
  };
}

/** Append one event through `tx` (pass the caller's transaction so the event commits with the change). */
export async function appendEvent(tx: Executor, e: LedgerAppend): Promise<LedgerEvent> {
  const [event] = await appendEvents(tx, [e]);
  return event!;
}

/** Append several events of one change in one statement, in the order given (ids ascending). */
export async function appendEvents(tx: Executor, es: readonly LedgerAppend[]): Promise<LedgerEvent[]> {
  if (es.length === 0) return [];
  const rows = await tx
    .insertInto('ledger_event')
    .values(
      es.map((e) => ({
        actor_id: e.actor.id,
        actor_name: e.actor.name,
        subject_type: e.subjectType,
        subject_id: String(e.subjectId),
        clue_id: e.clueId ?? null,
        department_id: e.departmentId ?? null,
        kind: e.kind,
        payload: json(e.payload ?? {}),
      })),
    )
    .returning(columns)
    .execute();
  const events = rows.map(toEvent).sort((a, b) => a.id - b.id);
  // Only the id travels in the notification (payloads can exceed NOTIFY's 8 kB limit); listeners read the row.
  await notifyMany(
    tx as Kysely<DB>,
    LEDGER_CHANNEL,
    events.map((e) => String(e.id)),
  );
  return events;
}

export interface TimelineQuery {
  /** Return events with id greater than this (keyset pagination). */
  afterId?: number;
  limit?: number;
}

/** A subject's own timeline, oldest first. */
export async function subjectTimeline(
  db: Executor,
  subjectType: string,
  subjectId: string | number,
  q: TimelineQuery = {},
): Promise<LedgerEvent[]> {
  const rows = await db
    .selectFrom('ledger_event')
    .select(columns)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', String(subjectId))
    .where('id', '>', q.afterId ?? 0)
    .orderBy('id')
    .limit(Math.min(q.limit ?? 200, 1000))
    .execute();
  return rows.map(toEvent);
}

/** Everything that happened under one clue — the clue itself and every object that work produced from it. */
export async function clueTimeline(
  db: Executor,
  clueId: number,
  q: TimelineQuery = {},
): Promise<LedgerEvent[]> {
  const rows = await db
    .selectFrom('ledger_event')
    .select(columns)
    .where('clue_id', '=', clueId)
    .where('id', '>', q.afterId ?? 0)
    .orderBy('id')
    .limit(Math.min(q.limit ?? 200, 1000))
    .execute();
  return rows.map(toEvent);
}

export async function eventsByIds(db: Executor, ids: number[]): Promise<LedgerEvent[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('ledger_event')
    .select(columns)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  return rows.map(toEvent);
}

export async function eventsAfter(db: Executor, afterId: number, limit = 500): Promise<LedgerEvent[]> {
  const rows = await db
    .selectFrom('ledger_event')
    .select(columns)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}
