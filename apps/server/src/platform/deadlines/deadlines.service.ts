import type {
  Deadline,
  DeadlineBoardPage,
  DeadlineDetail,
  DeadlineExtension,
  DeadlinePause,
} from '@rongjian/shared/api';
import type { Kysely, Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { parseDay, todayInChina } from '../calendar/calendar.rules.ts';
import type { WorkdayCalendar } from '../calendar/calendar.service.ts';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { type Actor, appendEvent } from '../ledger/ledger.service.ts';
import { complaintDeadlines } from '../settings/settings.builtin.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import * as repo from './deadlines.repo.ts';
import * as rules from './deadlines.rules.ts';
import { deadlineWarningSetting } from './deadlines.settings.ts';
import type { DayKind } from './deadlines.tables.ts';

/**
 * 法定时限 as a platform service: any module starts a limit for its subject inside its own transaction (so the
 * limit exists exactly when the change that started it committed), stops it when the duty is done, and the sweep
 * (deadlines.jobs.ts) raises 预警 and 逾期. No dependency on the subject's tables: the caller passes the clue id,
 * department and assignee it knows.
 */
export interface StartDeadlineInput {
  subjectType: string;
  subjectId: string | number;
  /** How the board names the subject (clue number, order number); never personal data. */
  subjectLabel?: string | null;
  clueId?: number | null;
  departmentId?: number | null;
  assigneeId?: number | null;
  ruleKey: string;
  label: string;
  regulation: string;
  ruleEffectiveFrom: string;
  days: number;
  dayKind: DayKind;
  /** `YYYY-MM-DD`: the day of receipt (not counted). */
  startOn: string;
  /** Most days of extension that may be approved in total; 0 (default) = the rule allows no extension. */
  maxExtensionDays?: number;
  /** Whether an extension may still be requested after the due day (default false). */
  extensionAfterDue?: boolean;
}

export interface SubjectKey {
  subjectType: string;
  subjectId: string | number;
  ruleKey: string;
}

/** The limits of the complaint/report rules (`rules.complaintDeadlines`), by rule key. */
export type ComplaintRuleKey = 'complaint.accept' | 'complaint.mediation' | 'report.verify' | 'report.reply';

export type RuleSpec = Pick<
  StartDeadlineInput,
  | 'ruleKey'
  | 'label'
  | 'regulation'
  | 'ruleEffectiveFrom'
  | 'days'
  | 'dayKind'
  | 'maxExtensionDays'
  | 'extensionAfterDue'
>;

type Viewer = Pick<SessionUser, 'id' | 'scope'>;

const conflict = (message: string) => new AppError('DEADLINE_CONFLICT', message, { status: 409 });
const refused = (message: string) => new AppError('EXTENSION_NOT_ALLOWED', message, { status: 409 });

const SUBJECT_TYPE = /^[a-z][a-z0-9_]{0,39}$/;
const RULE_KEY = /^[a-z][a-z0-9_.]{0,59}$/;

function iso(d: Date | string | null): string | null {
  if (d === null) return null;
  return (d instanceof Date ? d : new Date(d)).toISOString();
}

function toExtension(r: repo.ExtensionRow): DeadlineExtension {
  return {
    id: r.id,
    deadlineId: r.deadline_id,
    days: r.days,
    reason: r.reason,
    requestedById: r.requested_by,
    requestedBy: r.requested_by_name,
    requestedAt: iso(r.requested_at) ?? '',
    status: r.status,
    decidedBy: r.decided_by_name,
    decidedAt: iso(r.decided_at),
    note: r.note,
  };
}

function toPause(r: repo.PauseRow): DeadlinePause {
  return {
    id: r.id,
    fromOn: r.from_on,
    toOn: r.to_on,
    reason: r.reason,
    actorName: r.actor_name,
    resumedBy: r.resumed_by,
  };
}

function validateStart(input: StartDeadlineInput): void {
  const bad = (path: string, message: string) =>
    new AppError('VALIDATION_FAILED', message, { details: [{ path, message }] });
  if (!SUBJECT_TYPE.test(input.subjectType)) throw bad('subjectType', `对象类型“${input.subjectType}”无效`);
  const subjectId = String(input.subjectId);
  if (subjectId.length < 1 || subjectId.length > 64) throw bad('subjectId', '对象编号无效');
  if (!RULE_KEY.test(input.ruleKey)) throw bad('ruleKey', `规则编码“${input.ruleKey}”无效`);
  if (!input.label.trim() || input.label.length > 60) throw bad('label', '时限名称不能为空，最多 60 个字');
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > 1000) {
    throw bad('days', `时限天数“${input.days}”无效，应为 1 到 1000 之间的整数`);
  }
  if (input.dayKind !== 'working' && input.dayKind !== 'natural')
    throw bad('dayKind', '请指定工作日或自然日');
  if (parseDay(input.startOn) === null) throw bad('startOn', `起算日“${input.startOn}”不是有效的日期`);
  const max = input.maxExtensionDays ?? 0;
  if (!Number.isInteger(max) || max < 0 || max > 1000) throw bad('maxExtensionDays', '最多延长天数无效');
}

export function createDeadlineService(deps: {
  db: Kysely<DB>;
  calendar: WorkdayCalendar;
  settings: SettingsService;
  /** Today in China; tests pass a fixed day. */
  today?: () => string;
}) {
  const { db, calendar, settings } = deps;
  const today = deps.today ?? (() => todayInChina());

  async function toView(
    r: repo.DeadlineRow,
    day: string,
    pending: repo.ExtensionRow | undefined,
  ): Promise<Deadline> {
    const open = r.status === 'running' || r.status === 'paused';
    const d = { status: r.status, warnOn: r.warn_on, dueOn: r.due_on, dayKind: r.day_kind };
    return {
      id: r.id,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      subjectLabel: r.subject_label,
      clueId: r.clue_id,
      departmentId: r.department_id,
      departmentName: r.department_name,
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name,
      ruleKey: r.rule_key,
      label: r.label,
      regulation: r.regulation,
      ruleEffectiveFrom: r.rule_effective_from,
      dayKind: r.day_kind,
      days: r.days,
      extendedDays: r.extended_days,
      maxExtensionDays: r.max_extension_days,
      extensionAfterDue: r.extension_after_due,
      startOn: r.start_on,
      dueOn: r.due_on,
      warnOn: r.warn_on,
      status: r.status,
      state: rules.stateOf(d, day),
      remainingDays: open ? await rules.remainingDays(calendar, d, day) : null,
      warnedAt: iso(r.warned_at),
      overdueAt: iso(r.overdue_at),
      closedOn: r.closed_on,
      metInTime: r.met_in_time,
      pendingExtension: pending ? toExtension(pending) : null,
      version: r.version,
    };
  }

  async function views(executor: repo.Executor, rows: repo.DeadlineRow[]): Promise<Deadline[]> {
    const day = today();
    const pending = new Map(
      (
        await repo.pendingExtensions(
          executor,
          rows.map((r) => r.id),
        )
      ).map((e) => [e.deadline_id, e]),
    );
    const out: Deadline[] = [];
    for (const r of rows) out.push(await toView(r, day, pending.get(r.id)));
    return out;
  }

  async function detail(executor: repo.Executor, id: number): Promise<DeadlineDetail> {
    const row = await repo.findById(executor, id);
    if (!row) throw notFound('时限');
    const [view] = await views(executor, [row]);
    const [pauses, extensions] = await Promise.all([
      repo.pausesOf(executor, id),
      repo.extensionsOf(executor, id),
    ]);
    return { ...(view as Deadline), pauses: pauses.map(toPause), extensions: extensions.map(toExtension) };
  }

  /** Due and warning days from the row's start, approved extensions and closed pauses. */
  async function reschedule(tx: Transaction<DB>, row: { id: number } & RowBasics, extendedDays: number) {
    const pauses = await repo.pausesOf(tx, row.id);
    return rules.schedule(calendar, {
      startOn: row.start_on,
      days: row.days,
      dayKind: row.day_kind,
      extendedDays,
      pauses: pauses.map((p) => ({ fromOn: p.from_on, toOn: p.to_on })),
      ratio: settings.get(deadlineWarningSetting),
    });
  }

  /** New dates; a warning or overdue mark that no longer holds is cleared so the sweep raises it again later. */
  function datesUpdate(s: rules.Schedule, day: string) {
    return {
      due_on: s.dueOn,
      warn_on: s.warnOn,
      ...(s.warnOn > day ? { warned_at: null } : {}),
      ...(s.dueOn >= day ? { overdue_at: null } : {}),
    };
  }

  async function locked(tx: Transaction<DB>, id: number) {
    const row = await repo.lock(tx, id);
    if (!row) throw notFound('时限');
    return row;
  }

  function event(
    tx: Transaction<DB>,
    actor: Actor,
    row: RowBasics & { id: number },
    kind: string,
    payload: Record<string, unknown> = {},
  ) {
    return appendEvent(tx, {
      actor,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      clueId: row.clue_id,
      departmentId: row.department_id,
      kind,
      payload: { deadlineId: row.id, ruleKey: row.rule_key, label: row.label, ...payload },
    });
  }

  const service = {
    today,

    /**
     * Start a limit for a subject (idempotent: the open one of the same subject and rule is returned as is).
     * Ledger `deadline.started`.
     */
    async start(tx: Transaction<DB>, input: StartDeadlineInput): Promise<Deadline> {
      const id = await service.open(tx, input);
      const row = await repo.findById(tx, id);
      if (!row) throw notFound('时限');
      // Even one just inserted is read back for the department and assignee names.
      return (await views(tx, [row]))[0]!;
    },

    /**
     * `start` without reading the limit back: the id of the new (or already open) limit. For callers that only
     * need it started — one statement on the intake path instead of three.
     */
    async open(tx: Transaction<DB>, input: StartDeadlineInput): Promise<number> {
      validateStart(input);
      const subjectId = String(input.subjectId);
      // Insert first: the partial unique key (subject, rule, open) decides, so the common case is one statement.
      const s = await rules.schedule(calendar, {
        startOn: input.startOn,
        days: input.days,
        dayKind: input.dayKind,
        extendedDays: 0,
        pauses: [],
        ratio: settings.get(deadlineWarningSetting),
      });
      const inserted = await tx
        .insertInto('deadline')
        .values({
          subject_type: input.subjectType,
          subject_id: subjectId,
          subject_label: input.subjectLabel ?? null,
          clue_id: input.clueId ?? null,
          department_id: input.departmentId ?? null,
          assignee_id: input.assigneeId ?? null,
          rule_key: input.ruleKey,
          label: input.label.trim(),
          regulation: input.regulation,
          rule_effective_from: input.ruleEffectiveFrom,
          day_kind: input.dayKind,
          days: input.days,
          max_extension_days: input.maxExtensionDays ?? 0,
          extension_after_due: input.extensionAfterDue ?? false,
          start_on: input.startOn,
          due_on: s.dueOn,
          warn_on: s.warnOn,
        })
        .onConflict((oc) =>
          oc
            .columns(['subject_type', 'subject_id', 'rule_key'])
            .where('status', 'in', [...repo.OPEN_STATUSES])
            .doNothing(),
        )
        .returningAll()
        .executeTakeFirst();
      if (!inserted) {
        // Already open (or started concurrently by another transaction that committed first): returned as is.
        const other = await tx
          .selectFrom('deadline')
          .select('id')
          .where('subject_type', '=', input.subjectType)
          .where('subject_id', '=', subjectId)
          .where('rule_key', '=', input.ruleKey)
          .where('status', 'in', [...repo.OPEN_STATUSES])
          .executeTakeFirstOrThrow();
        return other.id;
      }
      await event(tx, { id: null, name: '系统' }, inserted, 'deadline.started', {
        regulation: inserted.regulation,
        ruleEffectiveFrom: inserted.rule_effective_from,
        dayKind: inserted.day_kind,
        days: inserted.days,
        startOn: inserted.start_on,
        dueOn: inserted.due_on,
        warnOn: inserted.warn_on,
        calendarWarnings: s.warnings,
      });
      return inserted.id;
    },

    /**
     * Close the open limit of a subject and rule: `met` (the duty was done; whether in time is recorded) or
     * `cancelled` (the duty fell away). No-op (null) when none is open. Ledger `deadline.met` / `deadline.cancelled`.
     */
    async stop(
      tx: Transaction<DB>,
      key: SubjectKey,
      actor: Actor,
      outcome: 'met' | 'cancelled',
    ): Promise<Deadline | null> {
      const open = await tx
        .selectFrom('deadline')
        .select('id')
        .where('subject_type', '=', key.subjectType)
        .where('subject_id', '=', String(key.subjectId))
        .where('rule_key', '=', key.ruleKey)
        .where('status', 'in', [...repo.OPEN_STATUSES])
        .executeTakeFirst();
      if (!open) return null;
      const row = await locked(tx, open.id);
      if (row.status !== 'running' && row.status !== 'paused') return null;
      const day = today();
      let dueOn = row.due_on;
      if (row.status === 'paused') {
        // The clock stood still until today: close the pause so the due day reflects it.
        await tx
          .updateTable('deadline_pause')
          .set({ to_on: day, resumed_by: actor.name })
          .where('deadline_id', '=', row.id)
          .where('to_on', 'is', null)
          .execute();
        dueOn = (await reschedule(tx, row, row.extended_days)).dueOn;
      }
      const inTime = outcome === 'met' ? rules.metInTime(dueOn, day) : null;
      await tx
        .updateTable('deadline')
        .set({
          status: outcome,
          due_on: dueOn,
          closed_on: day,
          closed_at: new Date(),
          closed_by: actor.name,
          met_in_time: inTime,
          version: row.version + 1,
          updated_at: new Date(),
        })
        .where('id', '=', row.id)
        .execute();
      // A pending extension has nothing left to extend.
      await tx
        .updateTable('deadline_extension')
        .set({ status: 'rejected', decided_by_name: '系统', decided_at: new Date(), note: '时限已结束' })
        .where('deadline_id', '=', row.id)
        .where('status', '=', 'pending')
        .execute();
      await event(tx, actor, row, outcome === 'met' ? 'deadline.met' : 'deadline.cancelled', {
        closedOn: day,
        dueOn,
        ...(inTime === null ? {} : { metInTime: inTime }),
      });
      return (await views(tx, [(await repo.findById(tx, row.id)) as repo.DeadlineRow]))[0] ?? null;
    },

    /**
     * Hand the open limits of a subject to another department and assignee (转办 of a dispatch order): the clock
     * keeps running — a transfer neither restarts nor extends it. Ledger `deadline.reassigned` per limit.
     */
    async reassign(
      tx: Transaction<DB>,
      subject: { subjectType: string; subjectId: string | number },
      to: { departmentId: number; assigneeId: number | null },
      actor: Actor,
    ): Promise<number> {
      const open = await tx
        .selectFrom('deadline')
        .select('id')
        .where('subject_type', '=', subject.subjectType)
        .where('subject_id', '=', String(subject.subjectId))
        .where('status', 'in', [...repo.OPEN_STATUSES])
        .execute();
      for (const { id } of open) {
        const row = await locked(tx, id);
        await tx
          .updateTable('deadline')
          .set({
            department_id: to.departmentId,
            assignee_id: to.assigneeId,
            version: row.version + 1,
            updated_at: new Date(),
          })
          .where('id', '=', id)
          .execute();
        await event(tx, actor, { ...row, department_id: to.departmentId }, 'deadline.reassigned', {
          fromDepartmentId: row.department_id,
          departmentId: to.departmentId,
          assigneeId: to.assigneeId,
        });
      }
      return open.length;
    },

    /** 中止: the clock stops from today until resumed. Ledger `deadline.paused`. */
    async pause(tx: Transaction<DB>, id: number, actor: Actor, reason: string): Promise<DeadlineDetail> {
      const row = await locked(tx, id);
      if (row.status !== 'running') {
        throw conflict(row.status === 'paused' ? '该时限已中止' : '该时限已结束，不能中止');
      }
      const day = today();
      await tx
        .insertInto('deadline_pause')
        .values({ deadline_id: id, from_on: day, reason, actor_id: actor.id, actor_name: actor.name })
        .execute();
      await tx
        .updateTable('deadline')
        .set({ status: 'paused', version: row.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
      await event(tx, actor, row, 'deadline.paused', { fromOn: day, reason });
      return detail(tx, id);
    },

    /** 恢复: the paused days are added to the due day. Ledger `deadline.resumed`. */
    async resume(tx: Transaction<DB>, id: number, actor: Actor): Promise<DeadlineDetail> {
      const row = await locked(tx, id);
      if (row.status !== 'paused') throw conflict('该时限未中止，无需恢复');
      const day = today();
      await tx
        .updateTable('deadline_pause')
        .set({ to_on: day, resumed_by: actor.name })
        .where('deadline_id', '=', id)
        .where('to_on', 'is', null)
        .execute();
      const s = await reschedule(tx, row, row.extended_days);
      await tx
        .updateTable('deadline')
        .set({ status: 'running', ...datesUpdate(s, day), version: row.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
      await event(tx, actor, row, 'deadline.resumed', { toOn: day, dueOn: s.dueOn, warnOn: s.warnOn });
      return detail(tx, id);
    },

    /** 申请延期 within the rule's allowance; approved by someone else (decideExtension). */
    async requestExtension(
      tx: Transaction<DB>,
      id: number,
      actor: Actor,
      input: { days: number; reason: string },
    ): Promise<DeadlineExtension> {
      const row = await locked(tx, id);
      if (row.status !== 'running' && row.status !== 'paused') throw refused('该时限已结束，不能申请延期');
      if (row.max_extension_days <= 0) throw refused(`“${row.label}”时限依规定不得延长`);
      const day = today();
      if (day > row.due_on && !row.extension_after_due) {
        throw refused(`“${row.label}”已于 ${row.due_on} 届满，届满后不能再申请延期`);
      }
      const pending = await repo.pendingExtensions(tx, [id]);
      if (pending.length > 0) throw refused('已有待审批的延期申请，请等待审批结果');
      const left = row.max_extension_days - row.extended_days;
      if (!Number.isInteger(input.days) || input.days < 1 || input.days > left) {
        const message =
          left > 0
            ? `延长天数应为 1 到 ${left} 之间的整数（最多可延长 ${row.max_extension_days} 天，已延长 ${row.extended_days} 天）`
            : `“${row.label}”已延长 ${row.extended_days} 天，达到上限，不能再延长`;
        throw new AppError('VALIDATION_FAILED', message, { details: [{ path: 'days', message }] });
      }
      const ext = await tx
        .insertInto('deadline_extension')
        .values({
          deadline_id: id,
          days: input.days,
          reason: input.reason,
          requested_by: actor.id,
          requested_by_name: actor.name,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await event(tx, actor, row, 'deadline.extension.requested', {
        extensionId: ext.id,
        days: input.days,
        reason: input.reason,
      });
      return toExtension(ext);
    },

    /** Approve or reject an extension; the requester may not decide his own. Approval moves the due day. */
    async decideExtension(
      tx: Transaction<DB>,
      extensionId: number,
      actor: Actor,
      approve: boolean,
      note: string,
    ): Promise<DeadlineDetail> {
      const ext = await tx
        .selectFrom('deadline_extension')
        .selectAll()
        .where('id', '=', extensionId)
        .forUpdate()
        .executeTakeFirst();
      if (!ext) throw notFound('延期申请');
      if (ext.status !== 'pending') throw conflict('该延期申请已审批');
      if (actor.id !== null && actor.id === ext.requested_by) {
        throw new AppError('SELF_APPROVAL', '延期申请须由申请人以外的人员审批', { status: 403 });
      }
      const row = await locked(tx, ext.deadline_id);
      const now = new Date();
      await tx
        .updateTable('deadline_extension')
        .set({
          status: approve ? 'approved' : 'rejected',
          decided_by: actor.id,
          decided_by_name: actor.name,
          decided_at: now,
          note: note || null,
        })
        .where('id', '=', extensionId)
        .execute();
      if (approve) {
        const extended = row.extended_days + ext.days;
        const s = await reschedule(tx, row, extended);
        await tx
          .updateTable('deadline')
          .set({
            extended_days: extended,
            // While paused the due day is recomputed on resume; the extension is already counted then.
            ...(row.status === 'running' ? datesUpdate(s, today()) : {}),
            version: row.version + 1,
            updated_at: now,
          })
          .where('id', '=', row.id)
          .execute();
        await event(tx, actor, row, 'deadline.extension.approved', {
          extensionId,
          days: ext.days,
          dueOn: s.dueOn,
          note,
        });
      } else {
        await event(tx, actor, row, 'deadline.extension.rejected', { extensionId, days: ext.days, note });
      }
      return detail(tx, row.id);
    },

    /** Every limit of a subject, oldest first (the subject's page checks the viewer's access itself). */
    async forSubject(executor: repo.Executor, subjectType: string, subjectId: string | number) {
      const rows = await repo
        .selectDeadlines(executor)
        .where('d.subject_type', '=', subjectType)
        .where('d.subject_id', '=', String(subjectId))
        .orderBy('d.id')
        .execute();
      return views(executor, rows);
    },

    /** Every limit of every subject linked to a clue, oldest first (for the clue page). */
    async forClue(executor: repo.Executor, clueId: number) {
      const rows = await repo
        .selectDeadlines(executor)
        .where('d.clue_id', '=', clueId)
        .orderBy('d.id')
        .execute();
      return views(executor, rows);
    },

    /** The deadline board within the viewer's data scope. */
    async board(viewer: Viewer, filter: Omit<repo.BoardFilter, 'after'> & { after?: string | undefined }) {
      const [dueOn, id] = (filter.after ?? '').split('|');
      const after = filter.after && dueOn && id ? { dueOn, id: Number(id) } : undefined;
      const day = today();
      const rows = await repo.board(db, viewer, { ...filter, after }, day);
      const items = await views(db, rows.slice(0, filter.limit));
      const last = items.at(-1);
      const page: DeadlineBoardPage = {
        items,
        nextAfter: rows.length > filter.limit && last ? `${last.dueOn}|${last.id}` : null,
        today: day,
      };
      return page;
    },

    /** One deadline with pauses and extensions; outside the viewer's scope it does not exist. */
    async get(viewer: Viewer, id: number, executor: repo.Executor = db): Promise<DeadlineDetail> {
      if (!(await repo.isVisible(executor, viewer, id))) throw notFound('时限');
      return detail(executor, id);
    },

    /** The deadline an extension belongs to, when the viewer may see it (else 404). */
    async deadlineOfExtension(viewer: Viewer, extensionId: number, executor: repo.Executor = db) {
      const ext = await executor
        .selectFrom('deadline_extension')
        .select('deadline_id')
        .where('id', '=', extensionId)
        .executeTakeFirst();
      if (!ext || !(await repo.isVisible(executor, viewer, ext.deadline_id))) throw notFound('延期申请');
      return ext.deadline_id;
    },

    /**
     * The limit of a complaint/report rule in force on the day of receipt (`rules.complaintDeadlines`), ready to
     * spread into `start()`.
     */
    complaintRule(ruleKey: ComplaintRuleKey, receivedOn: string): RuleSpec {
      const r = settings.getAt(complaintDeadlines, receivedOn);
      const effectiveFrom = settings.effectiveFromAt(complaintDeadlines.key, receivedOn) ?? 'default';
      const base = { ruleKey, regulation: r.regulation, ruleEffectiveFrom: effectiveFrom };
      switch (ruleKey) {
        case 'complaint.accept':
          return { ...base, label: '投诉受理决定', days: r.acceptDays, dayKind: r.acceptDayKind as DayKind };
        case 'complaint.mediation':
          return {
            ...base,
            label: '投诉调解',
            days: r.mediationDays,
            dayKind: r.mediationDayKind as DayKind,
          };
        case 'report.verify':
          return {
            ...base,
            label: '举报核查',
            days: r.reportVerifyDays,
            dayKind: 'working',
            maxExtensionDays: r.reportVerifyExtensionDays,
            extensionAfterDue: false,
          };
        case 'report.reply':
          return { ...base, label: '举报立案告知', days: r.reportReplyDays, dayKind: 'working' };
      }
    },
  };
  return service;
}

type RowBasics = {
  subject_type: string;
  subject_id: string;
  clue_id: number | null;
  department_id: number | null;
  rule_key: string;
  label: string;
  start_on: string;
  days: number;
  day_kind: DayKind;
};

export type DeadlineService = ReturnType<typeof createDeadlineService>;
