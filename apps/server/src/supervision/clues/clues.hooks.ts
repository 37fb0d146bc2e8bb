import type { ClueTransitionAction, ClueTransitionInput } from '@rongjian/shared/api';
import type { Insertable, Selectable, Transaction, Updateable } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Actor } from '../../platform/ledger/ledger.service.ts';
import type { ClueEdge } from './clues.machine.ts';
import type { ClueTable } from './clues.tables.ts';

export type ClueRow = Selectable<ClueTable>;

/** What the intake knew beyond the stored row (the raw channel input, e.g. for sorting rules). */
export interface IntakeFacts {
  actor: Actor;
  /** The department that entered it (staff channels) — null for public and machine channels. */
  enteredByDepartmentId: number | null;
  hasRealNameComplainant: boolean;
}

/** What the intake found out before the row exists. */
export interface IntakeHints {
  /** Entities sharing the respondent's exact name when it named no single one (none link by themselves). */
  respondentCandidates: { id: number; name: string; uscc: string | null }[];
}

export interface ActionContext {
  clue: ClueRow;
  edge: ClueEdge;
  input: ClueTransitionInput;
  actor: Actor;
}

/** What an action handler adds to the transition: columns to set and facts for the ledger event. */
export interface ActionOutcome {
  patch?: Updateable<ClueTable>;
  /** Merged into `clue.resolution` (what was decided and on what ground). */
  resolution?: Record<string, unknown>;
  /** Extra fields of the `clue.<action>` ledger event. */
  payload?: Record<string, unknown>;
}

export type ActionHandler = (
  tx: Transaction<DB>,
  ctx: AppContext,
  a: ActionContext,
) => Promise<ActionOutcome | undefined>;

export interface ClueHooks {
  name: string;
  /**
   * Columns a module adds to a new clue before its row is inserted (the sorting suggestion): part of the same
   * insert instead of an update of the row just written. Must not overwrite what the intake set.
   */
  beforeInsert?: (
    tx: Transaction<DB>,
    ctx: AppContext,
    draft: Readonly<Insertable<ClueTable>>,
    hints: IntakeHints,
  ) => Promise<Partial<Insertable<ClueTable>>>;
  /** After the clue row, its parties and the `clue.received` event are written, in the same transaction. */
  afterIntake?: (tx: Transaction<DB>, ctx: AppContext, clue: ClueRow, facts: IntakeFacts) => Promise<void>;
  /** Guards and side effects of one action, before the status changes; throw an AppError to refuse. */
  actions?: Partial<Record<ClueTransitionAction, ActionHandler>>;
  /** After the status changed and the event was appended, in the same transaction. */
  afterTransition?: (
    tx: Transaction<DB>,
    ctx: AppContext,
    t: { before: ClueRow; after: ClueRow; edge: ClueEdge; input: ClueTransitionInput; actor: Actor },
  ) => Promise<void>;
}

const hooks = new Map<string, ClueHooks>();

/**
 * The clue service's extension points. Sorting, duplicates, deadlines, work-order feedback and later modules plug
 * in here (imported from `clues.plugins.ts`) instead of the core knowing each of them.
 */
export function registerClueHooks(h: ClueHooks): void {
  hooks.set(h.name, h);
}

export const clueHooks = (): ClueHooks[] => [...hooks.values()];
