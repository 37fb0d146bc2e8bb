import {
  FINDING_STATUS_LABELS,
  type Finding,
  type FindingDetector,
  type FindingEvidence,
  type FindingPage,
  type FindingStatus,
} from '@rongjian/shared/api';
import type { Kysely, Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';

/** SQL of the findings list and of 确认 / 忽略. Every read applies the viewer's data scope to the finding's department. */
type Executor = Kysely<DB> | Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

export interface FindingFilter {
  detector?: FindingDetector | undefined;
  status?: FindingStatus | undefined;
  businessLine?: string | undefined;
  gridId?: number | undefined;
  after?: number | undefined;
  limit: number;
}

function visible(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('analysis_finding as f')
    .leftJoin('grid as g', 'g.id', 'f.grid_id')
    .leftJoin('department as d', 'd.id', 'f.department_id')
    .leftJoin('clue as c', 'c.id', 'f.clue_id')
    .leftJoin('app_user as u', 'u.id', 'f.handled_by')
    .where((eb) => inDataScope(eb, viewer, { department: 'f.department_id' }))
    .select([
      'f.id',
      'f.detector',
      'f.finding_key',
      'f.title',
      'f.evidence',
      'f.entity_id',
      'f.grid_id',
      'g.name as grid_name',
      'f.business_line',
      'f.department_id',
      'd.name as department_name',
      'f.clue_id',
      'c.number as clue_number',
      'c.status as clue_status',
      'f.status',
      'f.created_at',
      'f.handled_by',
      'u.display_name as handled_by_name',
      'f.handled_at',
      'f.note',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof visible>['executeTakeFirstOrThrow']>>;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const isoOf = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function toFinding(r: Row): Finding {
  return {
    id: Number(r.id),
    detector: r.detector,
    findingKey: r.finding_key,
    title: r.title,
    evidence: r.evidence as unknown as FindingEvidence,
    entityId: num(r.entity_id),
    gridId: num(r.grid_id),
    gridName: r.grid_name ?? null,
    businessLine: r.business_line,
    departmentId: num(r.department_id),
    departmentName: r.department_name ?? null,
    clueId: num(r.clue_id),
    clueNumber: r.clue_number ?? null,
    clueStatus: r.clue_status ?? null,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    handledBy: num(r.handled_by),
    handledByName: r.handled_by_name ?? null,
    handledAt: isoOf(r.handled_at),
    note: r.note,
  };
}

/** Newest first, keyset on id (`after` = the last id of the previous page). */
export async function listFindings(db: Executor, viewer: Viewer, f: FindingFilter): Promise<FindingPage> {
  let q = visible(db, viewer);
  if (f.detector) q = q.where('f.detector', '=', f.detector);
  if (f.status) q = q.where('f.status', '=', f.status);
  if (f.businessLine) q = q.where('f.business_line', '=', f.businessLine);
  if (f.gridId !== undefined) q = q.where('f.grid_id', '=', f.gridId);
  if (f.after !== undefined) q = q.where('f.id', '<', f.after);
  const rows = await q
    .orderBy('f.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const items = rows.slice(0, f.limit).map(toFinding);
  return { items, nextAfter: rows.length > f.limit ? String(items.at(-1)!.id) : null };
}

export async function getFinding(db: Executor, viewer: Viewer, id: number): Promise<Finding> {
  const row = await visible(db, viewer).where('f.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('发现');
  return toFinding(row);
}

/** 确认 / 忽略 an open finding with a note; the raised clue's timeline gets the decision. */
export async function handleFinding(
  tx: Transaction<DB>,
  viewer: Viewer & { displayName: string },
  id: number,
  decision: 'confirmed' | 'dismissed',
  note: string,
): Promise<Finding> {
  const current = await visible(tx, viewer).where('f.id', '=', id).forUpdate('f').executeTakeFirst();
  if (!current) throw notFound('发现');
  if (current.status !== 'open') {
    throw new AppError(
      'CONFLICT',
      `该发现已${FINDING_STATUS_LABELS[current.status]}（${current.handled_by_name ?? '系统'}），不能重复处理`,
    );
  }
  await tx
    .updateTable('analysis_finding')
    .set({ status: decision, handled_by: viewer.id, handled_at: new Date(), note })
    .where('id', '=', id)
    .execute();
  await appendEvent(tx, {
    actor: { id: viewer.id, name: viewer.displayName },
    subjectType: 'analysis_finding',
    subjectId: id,
    clueId: num(current.clue_id),
    departmentId: num(current.department_id),
    kind: decision === 'confirmed' ? 'analysis.finding.confirmed' : 'analysis.finding.dismissed',
    payload: { findingId: id, detector: current.detector, title: current.title, note },
  });
  return getFinding(tx, viewer, id);
}
