import { randomInt } from 'node:crypto';
import {
  CLUE_STATUS_LABELS,
  type ClueCreated,
  type ClueDetail,
  type ClueIntake,
  type CluePage,
  type ClueStatus,
  type ClueSummary,
  type ClueTransitionInput,
  clueIntakeSchema,
} from '@rongjian/shared/api';
import type { Insertable, Transaction } from 'kysely';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import { hasPermission } from '../../platform/auth/permissions.ts';
import { chinaDayOf, todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { canSeeEvent } from '../../platform/events/event-bus.ts';
import {
  type Actor,
  appendEvent,
  appendEvents,
  clueTimeline,
  type LedgerAppend,
} from '../../platform/ledger/ledger.service.ts';
import { complaintDeadlines } from '../../platform/settings/settings.builtin.ts';
import { resolveEntityLink } from '../../fusion/entities/entities.lookup.ts';
import { idCardProblem } from '../../support/exchange/exchange.checks.ts';
import { loadGridIndex } from '../../support/gis/gis.locate.ts';
import type { GridIndex } from '../../support/gis/gis.pip.ts';
import { type ClueRow, clueHooks, type IntakeFacts } from './clues.hooks.ts';
import type { ClueTable } from './clues.tables.ts';
import { actionsFrom, edgeFor } from './clues.machine.ts';
import './clues.plugins.ts';
import {
  applyFilter,
  type ClueFilter,
  decodeCursor,
  encodeCursor,
  drawClueNumber,
  nextClueNumber,
  pageOf,
  SUMMARY_COLUMNS,
  visibleClues,
} from './clues.repo.ts';

export const COUNT_CAP = 1_000;
export const MAX_EXPORT_ROWS = 50_000;

/** How the intake was reached, beyond the citizen's or officer's input. */
/** A clue number drawn ahead of the intake, with the receipt time it was drawn for. */
export interface DrawnNumber {
  number: string;
  receivedAt: string;
}

export interface IntakeOptions {
  actor: Actor;
  /** Department of the member of staff who entered it; null for public and machine channels. */
  enteredByDepartmentId?: number | null;
  /** Public channels start at 待登记 (a person checks them); staff and internal channels at 待分拣. */
  status?: Extract<ClueStatus, 'registering' | 'sorting'>;
  /** Give the citizen a query code for the progress page. */
  withQueryCode?: boolean;
  /** 12315/12345 order: idempotent by (source, number). */
  external?: { source: string; no: string };
  /** The object of another module that raised it (analysis finding, alarm, inspection, case, oversight). */
  origin?: { type: string; id: string | number };
  /** Write inside the caller's transaction. */
  tx?: Transaction<DB>;
  /**
   * A number drawn beforehand with `drawNumber` (a caller that wraps the intake in its own transaction, such as an
   * idempotent route, draws first so the day counter's lock is not held for the whole intake).
   */
  drawn?: DrawnNumber;
  /** 拆分 (Order 20 Art.7): the clue this one was split from (sorting copies its parties and attachments). */
  splitFromId?: number;
}

/** Control characters other than tab and newline never reach the database (they break exports and terminals). */
const CONTROL = /[^\P{Cc}\t\n]/gu;
export const cleanText = (s: string) => s.replace(/\r\n?/g, '\n').replace(CONTROL, '');

const QUERY_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newQueryCode = () =>
  Array.from({ length: 8 }, () => QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)]).join('');

/** The title shown in lists: the given one, else the start of the content on one line. */
export function clueTitle(title: string | undefined, content: string): string {
  if (title) return cleanText(title);
  const first = cleanText(content).replace(/\s+/g, ' ').trim();
  return first.length > 30 ? `${first.slice(0, 30)}…` : first;
}

const GRID_CACHE_MS = 60_000;

/** The version of the complaint rules in force on `day` (`YYYY-MM-DD`) and its effective date. */
export function complaintRuleOn(
  settings: Pick<AppContext['settings'], 'getAt' | 'effectiveFromAt'>,
  day: string,
) {
  const value = settings.getAt(complaintDeadlines, day);
  return { value, effectiveFrom: settings.effectiveFromAt(complaintDeadlines.key, day) ?? '0001-01-01' };
}

export function createClueService(ctx: AppContext) {
  const { db, pii, settings } = ctx;
  let gridCache: { at: number; index: GridIndex } | undefined;

  async function gridIndex(tx: Transaction<DB>): Promise<GridIndex> {
    if (!gridCache || Date.now() - gridCache.at > GRID_CACHE_MS) {
      gridCache = { at: Date.now(), index: await loadGridIndex(tx) };
    }
    return gridCache.index;
  }

  const ruleOn = (day: string) => complaintRuleOn(settings, day);

  async function rootDepartment(tx: Transaction<DB>): Promise<number | null> {
    const r = await tx
      .selectFrom('department')
      .select('id')
      .where('parent_id', 'is', null)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return r ? Number(r.id) : null;
  }

  async function write(
    tx: Transaction<DB>,
    raw: ClueIntake,
    opts: IntakeOptions,
    drawn?: string,
  ): Promise<ClueCreated> {
    const input = clueIntakeSchema.parse(raw);
    const idProblem = input.complainant?.idCard
      ? idCardProblem(input.complainant.idCard.toUpperCase(), todayInChina())
      : null;
    if (idProblem) {
      throw new AppError('VALIDATION_FAILED', `身份证号${idProblem}`, {
        details: [{ path: 'complainant.idCard', message: idProblem }],
      });
    }
    if (opts.external) {
      const existing = await tx
        .selectFrom('clue')
        .select(['id', 'number', 'status'])
        .where('external_source', '=', opts.external.source)
        .where('external_no', '=', opts.external.no)
        .executeTakeFirst();
      if (existing) {
        return {
          id: Number(existing.id),
          number: existing.number,
          status: existing.status as ClueStatus,
          queryCode: null,
        };
      }
    }
    const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
    if (receivedAt.getTime() > Date.now() + 5 * 60_000) {
      throw new AppError('VALIDATION_FAILED', '收到时间不能晚于当前时间', {
        details: [{ path: 'receivedAt', message: '不能晚于当前时间' }],
      });
    }
    const receiptDay = chinaDayOf(receivedAt);
    const rule = ruleOn(receiptDay);

    // Respondent: an explicit entity, else the USCC or an exact name from the form.
    const { link: entity, candidates: respondentCandidates } = await resolveEntityLink(tx, {
      id: input.entityId,
      uscc: input.respondent?.uscc,
      name: input.respondent?.name?.trim(),
    });
    if (input.entityId && !entity) {
      throw new AppError('VALIDATION_FAILED', '所选经营主体不存在', {
        details: [{ path: 'entityId', message: '经营主体不存在' }],
      });
    }

    // Where: an explicit grid, else the point's grid, else the respondent's.
    let gridId: number | null = null;
    let stationId: number | null = null;
    if (input.gridId) {
      const g = await tx
        .selectFrom('grid')
        .select(['id', 'station_id'])
        .where('id', '=', input.gridId)
        .executeTakeFirst();
      if (!g) {
        throw new AppError('VALIDATION_FAILED', '所选网格不存在', {
          details: [{ path: 'gridId', message: '网格不存在' }],
        });
      }
      gridId = Number(g.id);
      stationId = Number(g.station_id);
    } else if (input.location) {
      const hit = (await gridIndex(tx)).locate(input.location.lng, input.location.lat);
      if (hit) {
        gridId = hit.id;
        stationId = hit.stationId;
      }
    }
    if (gridId === null && entity) {
      gridId = entity.gridId;
      stationId = entity.stationId;
    }
    let departmentId = input.departmentId ?? null;
    if (departmentId !== null) {
      const d = await tx
        .selectFrom('department')
        .select('id')
        .where('id', '=', departmentId)
        .executeTakeFirst();
      if (!d) {
        throw new AppError('VALIDATION_FAILED', '承办部门不存在', {
          details: [{ path: 'departmentId', message: '部门不存在' }],
        });
      }
    }
    departmentId ??= stationId ?? opts.enteredByDepartmentId ?? (await rootDepartment(tx));

    const number = drawn ?? (await nextClueNumber(tx, receiptDay));
    const queryCode = opts.withQueryCode ? newQueryCode() : null;
    const location =
      input.location ??
      (entity && entity.lon !== null && entity.lat !== null
        ? { lng: entity.lon, lat: entity.lat }
        : undefined);
    const draft: Insertable<ClueTable> = {
      number,
      kind: input.kind,
      channel: input.channel,
      status: opts.status ?? 'sorting',
      business_line: input.businessLine ?? null,
      category_12315: input.category12315 ?? null,
      title: clueTitle(input.title, input.content),
      content: cleanText(input.content),
      request: cleanText(input.request ?? ''),
      received_at: receivedAt,
      receipt_day: receiptDay,
      rule_effective_from: rule.effectiveFrom,
      regulation: rule.value.regulation,
      department_id: departmentId,
      station_id: stationId,
      grid_id: gridId,
      lng: location?.lng ?? null,
      lat: location?.lat ?? null,
      address: cleanText(input.address ?? ''),
      entity_id: entity?.id ?? null,
      respondent_name: cleanText(entity?.name ?? input.respondent?.name ?? ''),
      respondent_uscc: entity?.uscc ?? input.respondent?.uscc ?? null,
      respondent_address: cleanText(input.respondent?.address || entity?.address || ''),
      confidential: input.kind === 'report' ? input.confidential : false,
      anonymous: input.anonymous || !input.complainant,
      external_source: opts.external?.source ?? null,
      external_no: opts.external?.no ?? null,
      origin_type: opts.origin?.type ?? null,
      origin_id: opts.origin ? String(opts.origin.id) : null,
      split_from_id: opts.splitFromId ?? null,
      merged_into_id: null,
      query_code_hash: queryCode ? pii.blindIndex('secret', `${number}:${queryCode}`) : null,
      sort_suggestion: json({}),
      resolution: json({}),
      closed_at: null,
      satisfaction: null,
      created_by: opts.actor.id,
      created_by_name: opts.actor.name,
    };
    for (const h of clueHooks()) {
      if (h.beforeInsert)
        Object.assign(draft, await h.beforeInsert(tx, ctx, draft, { respondentCandidates }));
    }
    const row = await tx.insertInto('clue').values(draft).returningAll().executeTakeFirstOrThrow();
    const clueId = Number(row.id);

    const person = input.anonymous ? undefined : input.complainant;
    if (person) {
      await tx
        .insertInto('clue_party')
        .values({
          clue_id: clueId,
          department_id: departmentId,
          role: input.kind === 'report' ? 'informant' : 'complainant',
          ...sealPerson(person),
          real_name: person.realName,
          original_clue_id: clueId,
          channel: input.channel,
        })
        .execute();
    }

    const received: LedgerAppend = {
      actor: opts.actor,
      subjectType: 'clue',
      subjectId: clueId,
      clueId,
      departmentId,
      kind: 'clue.received',
      payload: {
        number,
        kind: input.kind,
        channel: input.channel,
        status: row.status,
        statusLabel: CLUE_STATUS_LABELS[row.status as ClueStatus],
        regulation: rule.value.regulation,
        ...(opts.external ? { externalSource: opts.external.source, externalNo: opts.external.no } : {}),
        ...(opts.origin ? { originType: opts.origin.type, originId: String(opts.origin.id) } : {}),
      },
    };
    // The respondent's 一户一档 timeline shows the clue too (no personal data in the payload).
    const linked: LedgerAppend | undefined = entity && {
      actor: opts.actor,
      subjectType: 'entity',
      subjectId: entity.id,
      clueId,
      departmentId,
      kind: 'clue.linked',
      payload: { number, kind: input.kind, channel: input.channel, title: row.title },
    };
    await appendEvents(tx, linked ? [received, linked] : [received]);
    const facts: IntakeFacts = {
      actor: opts.actor,
      enteredByDepartmentId: opts.enteredByDepartmentId ?? null,
      hasRealNameComplainant: !!person && person.realName,
    };
    for (const h of clueHooks()) await h.afterIntake?.(tx, ctx, row, facts);
    return { id: clueId, number, status: row.status as ClueStatus, queryCode };
  }

  function sealPerson(p: NonNullable<ClueIntake['complainant']>) {
    return {
      name_enc: pii.encrypt('name', p.name),
      name_bidx: pii.blindIndex('name', p.name),
      phone_enc: p.phone ? pii.encrypt('phone', p.phone) : null,
      phone_bidx: p.phone ? pii.blindIndex('phone', p.phone) : null,
      id_card_enc: p.idCard ? pii.encrypt('idcard', p.idCard.toUpperCase()) : null,
      id_card_bidx: p.idCard ? pii.blindIndex('idcard', p.idCard) : null,
      address_enc: p.address ? pii.encrypt('address', p.address) : null,
    };
  }

  async function loadForUpdate(
    tx: Transaction<DB>,
    viewer: SessionUser | null,
    id: number,
  ): Promise<ClueRow> {
    let q = tx.selectFrom('clue as c').selectAll('c').where('c.id', '=', id);
    if (viewer) {
      q = q.where((eb) => inDataScope(eb, viewer, { department: 'c.department_id', owner: 'c.created_by' }));
    }
    const row = await q.forUpdate().executeTakeFirst();
    if (!row) throw notFound('线索');
    return row;
  }

  /**
   * Apply one edge of the machine: guard (state, version, permission, required fields, module handlers) →
   * update with the next version → ledger event → hooks. `viewer` null is an internal call by another module
   * (its own permission was checked where the user acted).
   */
  async function applyTransition(
    tx: Transaction<DB>,
    viewer: SessionUser | null,
    actor: Actor,
    id: number,
    input: ClueTransitionInput,
  ): Promise<ClueRow> {
    const clue = await loadForUpdate(tx, viewer, id);
    const edge = edgeFor(input.action);
    const status = clue.status as ClueStatus;
    if (viewer && !hasPermission(viewer.permissions, edge.permission)) {
      throw new AppError('FORBIDDEN', `没有“${edge.label}”的权限`);
    }
    if (!edge.from.includes(status)) {
      throw new AppError(
        'CLUE_STATE_CONFLICT',
        `线索当前状态为“${CLUE_STATUS_LABELS[status]}”，不能${edge.label}`,
        { status: 409 },
      );
    }
    if (clue.version !== input.version) {
      throw new AppError(
        'VERSION_CONFLICT',
        `线索已被他人处理（当前状态“${CLUE_STATUS_LABELS[status]}”），请刷新后重试`,
      );
    }
    for (const field of edge.requires ?? []) {
      const v = (input as Record<string, unknown>)[field];
      if (v === undefined || v === '') {
        throw new AppError('VALIDATION_FAILED', `${edge.label}需要填写${FIELD_LABELS[field] ?? field}`, {
          details: [{ path: field, message: '必填' }],
        });
      }
    }
    const base = { clue, edge, input, actor };
    let patch: Record<string, unknown> = {};
    let resolution: Record<string, unknown> = {};
    let payload: Record<string, unknown> = {};
    for (const h of clueHooks()) {
      const out = await h.actions?.[input.action]?.(tx, ctx, base);
      if (!out) continue;
      patch = { ...patch, ...(out.patch ?? {}) };
      resolution = { ...resolution, ...(out.resolution ?? {}) };
      payload = { ...payload, ...(out.payload ?? {}) };
    }
    const builtin = builtinOutcome(edge.action, input);
    const closes =
      edge.to === 'closed' || edge.to === 'direct' || edge.to === 'rejected' || edge.to === 'transferred';
    const after = await tx
      .updateTable('clue')
      .set({
        ...builtin.patch,
        ...patch,
        status: edge.to,
        version: clue.version + 1,
        updated_at: new Date(),
        resolution: json({ ...clue.resolution, ...builtin.resolution, ...resolution }),
        ...(closes ? { closed_at: new Date() } : {}),
        ...(edge.action === 'reopen' ? { closed_at: null, satisfaction: null, satisfaction_reason: '' } : {}),
      })
      .where('id', '=', clue.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(tx, {
      actor,
      subjectType: 'clue',
      subjectId: clue.id,
      clueId: clue.id,
      departmentId: after.department_id,
      kind: `clue.${edge.action}`,
      payload: {
        from: status,
        to: edge.to,
        label: edge.label,
        statusLabel: CLUE_STATUS_LABELS[edge.to],
        ...(input.note ? { note: input.note } : {}),
        ...builtin.payload,
        ...payload,
      },
    });
    for (const h of clueHooks()) {
      await h.afterTransition?.(tx, ctx, { before: clue, after, edge, input, actor });
    }
    return after;
  }

  async function toDetail(
    viewer: SessionUser,
    row: ClueRow & { department_name: string | null; grid_name: string | null },
  ): Promise<ClueDetail> {
    const id = Number(row.id);
    const [parties, attachments, merged, timeline] = await Promise.all([
      db.selectFrom('clue_party').selectAll().where('clue_id', '=', id).orderBy('id').execute(),
      db
        .selectFrom('clue_attachment')
        .select(['id', 'file_name', 'mime', 'size_bytes', 'sha256', 'uploaded_at', 'uploaded_by_name'])
        .where('clue_id', '=', id)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('clue')
        .select(['id', 'number', 'channel', 'received_at'])
        .where('merged_into_id', '=', id)
        .orderBy('received_at')
        .execute(),
      clueTimeline(db, id, { limit: 1000 }),
    ]);
    const mergedIds = merged.map((m) => Number(m.id));
    const mergedEvents = (
      await Promise.all(mergedIds.map((m) => clueTimeline(db, m, { limit: 200 })))
    ).flat();
    const events = [...timeline, ...mergedEvents]
      .filter((e) => canSeeEvent(viewer, e))
      .sort((a, b) => a.id - b.id);
    const status = row.status as ClueStatus;
    return {
      ...summaryOf(row),
      content: row.content,
      request: row.request,
      receiptDay: row.receipt_day,
      regulation: row.regulation,
      ruleEffectiveFrom: row.rule_effective_from,
      stationId: row.station_id === null ? null : Number(row.station_id),
      address: row.address,
      location: row.lng !== null && row.lat !== null ? { lng: row.lng, lat: row.lat } : null,
      respondentUscc: row.respondent_uscc,
      respondentAddress: row.respondent_address,
      confidential: row.confidential,
      anonymous: row.anonymous,
      externalSource: row.external_source,
      originType: row.origin_type,
      originId: row.origin_id,
      splitFromId: row.split_from_id === null ? null : Number(row.split_from_id),
      sortSuggestion: row.sort_suggestion,
      resolution: row.resolution,
      resultSummary: row.result_summary,
      closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
      satisfaction: row.satisfaction,
      satisfactionReason: row.satisfaction_reason,
      createdByName: row.created_by_name,
      version: row.version,
      parties: parties.map((p) => ({
        id: Number(p.id),
        role: p.role,
        nameMasked: pii.maskToken('name', p.name_enc),
        phoneMasked: pii.maskToken('phone', p.phone_enc),
        idCardMasked: pii.maskToken('idcard', p.id_card_enc),
        addressMasked: pii.maskToken('address', p.address_enc),
        realName: p.real_name,
        channel: p.channel,
        originalClueId: Number(p.original_clue_id),
      })),
      attachments: attachments.map((a) => ({
        id: Number(a.id),
        fileName: a.file_name,
        mime: a.mime,
        sizeBytes: a.size_bytes,
        sha256: a.sha256,
        uploadedAt: new Date(a.uploaded_at).toISOString(),
        uploadedByName: a.uploaded_by_name,
      })),
      mergedClues: merged.map((m) => ({
        id: Number(m.id),
        number: m.number,
        channel: m.channel,
        receivedAt: new Date(m.received_at).toISOString(),
      })),
      timeline: events.map((e) => ({
        id: e.id,
        occurredAt: e.occurredAt,
        actorName: e.actorName,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        kind: e.kind,
        payload: e.payload,
      })),
      actions: actionsFrom(status)
        .filter((e) => hasPermission(viewer.permissions, e.permission))
        .map((e) => ({ action: e.action, label: e.label, to: e.to })),
    };
  }

  return {
    /**
     * Draw the clue's number in a short transaction of its own. The day counter's row lock would otherwise
     * serialise every concurrent intake for the whole of its transaction (found at 1,000,000 clues: 43 intakes/s).
     * A failed intake leaves a gap in the day's numbers, never a duplicate (docs/clues.md). Undefined when the
     * input will be refused anyway or names an external order already imported.
     */
    async drawNumber(
      input: ClueIntake,
      opts: Pick<IntakeOptions, 'external'> = {},
    ): Promise<DrawnNumber | undefined> {
      const receivedAt = input.receivedAt ?? new Date().toISOString();
      const at = Date.parse(receivedAt);
      if (Number.isNaN(at) || at > Date.now() + 5 * 60_000 || !clueIntakeSchema.safeParse(input).success)
        return;
      const known =
        opts.external &&
        (await db
          .selectFrom('clue')
          .select('id')
          .where('external_source', '=', opts.external.source)
          .where('external_no', '=', opts.external.no)
          .executeTakeFirst());
      if (known) return;
      const number = await drawClueNumber(db, chinaDayOf(receivedAt));
      return { number, receivedAt };
    },

    /** Raise a clue from any channel. Idempotent for external orders; one transaction (or the caller's). */
    async intake(input: ClueIntake, opts: IntakeOptions): Promise<ClueCreated> {
      const run = (tx: Transaction<DB>, drawn: DrawnNumber | undefined) =>
        write(tx, drawn ? { ...input, receivedAt: drawn.receivedAt } : input, opts, drawn?.number);
      if (opts.tx) return run(opts.tx, opts.drawn);
      const drawn = await this.drawNumber(input, opts);
      return db.transaction().execute((tx) => run(tx, drawn));
    },

    async transition(viewer: SessionUser, id: number, input: ClueTransitionInput): Promise<ClueDetail> {
      await db
        .transaction()
        .execute((tx) => applyTransition(tx, viewer, { id: viewer.id, name: viewer.displayName }, id, input));
      return this.get(viewer, id);
    },

    /**
     * Another module moves a clue (dispatch reports a result, analysis judges it) inside its own transaction.
     * The caller checked its own permission; the clue's guards (state, version) still apply.
     */
    async transitionInternal(
      tx: Transaction<DB>,
      actor: Actor,
      id: number,
      input: Omit<ClueTransitionInput, 'version'> & { version?: number },
    ): Promise<ClueRow> {
      const current = await tx.selectFrom('clue').select('version').where('id', '=', id).executeTakeFirst();
      if (!current) throw notFound('线索');
      return applyTransition(tx, null, actor, id, { ...input, version: input.version ?? current.version });
    },

    async get(viewer: SessionUser, id: number): Promise<ClueDetail> {
      const row = await visibleClues(db, viewer)
        .selectAll('c')
        .select(['d.name as department_name', 'g.name as grid_name'])
        .where('c.id', '=', id)
        .executeTakeFirst();
      if (!row) throw notFound('线索');
      return toDetail(viewer, row);
    },

    async list(viewer: SessionUser, f: ClueFilter & { after?: string; limit: number }): Promise<CluePage> {
      const after = decodeCursor(f.after);
      if (f.after && !after) throw new AppError('VALIDATION_FAILED', '分页游标无效，请从第一页重新查询');
      const filtered = applyFilter(visibleClues(db, viewer), f);
      const [rows, count] = await Promise.all([
        pageOf(filtered.select(SUMMARY_COLUMNS), after, f.limit).execute(),
        db
          .selectFrom(
            filtered
              .select('c.id')
              .limit(COUNT_CAP + 1)
              .as('x'),
          )
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      const items = rows.map(summaryOf);
      const last = rows.at(-1);
      return {
        items,
        total: Math.min(Number(count.n), COUNT_CAP),
        totalCapped: Number(count.n) > COUNT_CAP,
        nextAfter:
          rows.length === f.limit && last
            ? encodeCursor({ at: new Date(last.received_at).toISOString(), id: Number(last.id) })
            : null,
      };
    },

    async exportRows(viewer: SessionUser, f: ClueFilter): Promise<ClueSummary[]> {
      const rows = await pageOf(
        applyFilter(visibleClues(db, viewer), f).select(SUMMARY_COLUMNS),
        undefined,
        MAX_EXPORT_ROWS,
      ).execute();
      return rows.map(summaryOf);
    },
  };
}

export type ClueService = ReturnType<typeof createClueService>;

const FIELD_LABELS: Record<string, string> = {
  answer: '答复内容',
  result: '办理结果',
  groundCode: '不予受理理由',
  agency: '接收机关',
  targetId: '并入的线索',
  reason: '原因',
};

/** What the core records for its own actions (module handlers add theirs). */
function builtinOutcome(
  action: ClueTransitionInput['action'],
  input: ClueTransitionInput,
): { patch: Record<string, unknown>; resolution: Record<string, unknown>; payload: Record<string, unknown> } {
  switch (action) {
    case 'answer':
      return {
        patch: { result_summary: input.answer },
        resolution: { answer: input.answer },
        payload: { answer: input.answer },
      };
    case 'recordResult':
      return {
        patch: { result_summary: input.result },
        resolution: { result: input.result },
        payload: { result: input.result },
      };
    case 'reopen':
      return { patch: {}, resolution: { reopenReason: input.reason }, payload: { reason: input.reason } };
    default:
      return { patch: {}, resolution: {}, payload: {} };
  }
}

function summaryOf(r: {
  id: number;
  number: string;
  kind: string;
  channel: string;
  status: string;
  title: string;
  business_line: string | null;
  category_12315: string | null;
  received_at: Date;
  department_id: number | null;
  department_name: string | null;
  grid_id: number | null;
  grid_name: string | null;
  entity_id: number | null;
  respondent_name: string;
  external_no: string | null;
  merged_into_id: number | null;
}): ClueSummary {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: Number(r.id),
    number: r.number,
    kind: r.kind as ClueSummary['kind'],
    channel: r.channel,
    status: r.status as ClueStatus,
    title: r.title,
    businessLine: r.business_line,
    category12315: r.category_12315,
    receivedAt: new Date(r.received_at).toISOString(),
    departmentId: n(r.department_id),
    departmentName: r.department_name,
    gridId: n(r.grid_id),
    gridName: r.grid_name,
    entityId: n(r.entity_id),
    respondentName: r.respondent_name,
    externalNo: r.external_no,
    mergedIntoId: n(r.merged_into_id),
  };
}

/** Channels through which the platform's own modules raise clues (8.2.1: analysis, sensing, execution, oversight). */
export type InternalChannel = 'sensing' | 'analysis' | 'inspection' | 'enforcement' | 'supervision';

export interface RaiseClueInput {
  channel: InternalChannel;
  kind?: ClueIntake['kind'];
  content: string;
  title?: string;
  businessLine?: string;
  entityId?: number;
  location?: { lng: number; lat: number };
  departmentId?: number;
  /** The raising module's object: one clue per object, however often it is raised. */
  origin: { type: string; id: string | number };
}

/**
 * The service function other modules call to raise a clue about their object, inside their own transaction
 * (ARCHITECTURE.md §2). Raising the same object again returns the clue it already raised.
 */
export async function raiseClue(
  tx: Transaction<DB>,
  ctx: AppContext,
  input: RaiseClueInput,
  actor: Actor,
): Promise<ClueCreated & { existing: boolean }> {
  const existing = await tx
    .selectFrom('clue')
    .select(['id', 'number', 'status'])
    .where('origin_type', '=', input.origin.type)
    .where('origin_id', '=', String(input.origin.id))
    .executeTakeFirst();
  if (existing) {
    return {
      id: Number(existing.id),
      number: existing.number,
      status: existing.status as ClueStatus,
      queryCode: null,
      existing: true,
    };
  }
  const created = await createClueService(ctx).intake(
    {
      kind: input.kind ?? 'other',
      channel: input.channel,
      content: input.content,
      title: input.title,
      businessLine: input.businessLine,
      entityId: input.entityId,
      location: input.location,
      departmentId: input.departmentId,
      confidential: false,
      anonymous: true,
    },
    { actor, tx, status: 'sorting', origin: input.origin },
  );
  return { ...created, existing: false };
}
