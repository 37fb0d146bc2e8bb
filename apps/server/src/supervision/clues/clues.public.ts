import { timingSafeEqual } from 'node:crypto';
import {
  CLUE_KIND_LABELS,
  type ClueIntake,
  type ClueKind,
  type ClueStatus,
  PUBLIC_STATUS_LABELS,
  type PublicClueProgress,
  type publicClueIntakeSchema,
} from '@rongjian/shared/api';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { purgeIdempotencyRecords } from '../../platform/http/idempotency.ts';
import { purgeRateCounters } from '../../platform/http/rate-limit.ts';
import { type Actor, clueTimeline, type LedgerEvent } from '../../platform/ledger/ledger.service.ts';
import { purgeChallenges } from './clues.challenge.ts';

/** Who the ledger names for a citizen's own submission (never the citizen's name). */
export const PUBLIC_ACTOR: Actor = { id: null, name: '公众（网上提交）' };

/** A clue's number: `XS` + day + six digits. */
export const CLUE_NUMBER_RE = /^XS\d{14}$/;

/** States in which the citizen may still add attachments to their submission. */
export const ATTACHABLE_STATUSES: readonly ClueStatus[] = ['registering', 'sorting'];

export type PublicClueIntake = z.output<typeof publicClueIntakeSchema>;

/** A business line must be one of the dictionary's enabled items (the public form offers exactly those). */
export function checkBusinessLine(
  ctx: Pick<AppContext, 'dicts'>,
  value: string | undefined,
  path = 'businessLine',
): void {
  if (!value) return;
  if (!ctx.dicts.items('business_line').some((i) => i.enabled && i.value === value)) {
    throw new AppError('VALIDATION_FAILED', '业务类别无效', {
      details: [{ path, message: '请从列表中选择' }],
    });
  }
}

/** The public form's fields as a clue of channel `online`. */
export function publicIntakeToClue(input: PublicClueIntake): ClueIntake {
  const anonymous = input.kind === 'report' && input.anonymous;
  return {
    kind: input.kind,
    channel: 'online',
    ...(input.businessLine ? { businessLine: input.businessLine } : {}),
    content: input.content,
    ...(input.request ? { request: input.request } : {}),
    ...(input.address ? { address: input.address } : {}),
    ...(input.location ? { location: input.location } : {}),
    ...(input.respondent ? { respondent: input.respondent } : {}),
    ...(!anonymous && input.complainant
      ? {
          complainant: {
            name: input.complainant.name,
            phone: input.complainant.phone,
            ...(input.complainant.address ? { address: input.complainant.address } : {}),
            realName: true,
          },
        }
      : {}),
    confidential: input.kind === 'report' && input.confidential,
    anonymous,
  };
}

type FoundClue = {
  id: number;
  number: string;
  kind: string;
  status: string;
  received_at: Date;
  department_id: number | null;
  department_name: string | null;
  merged_into_id: number | null;
};

/**
 * The clue behind a number and query code, or null. Unknown number and wrong code look the same (404 for the
 * caller), and the code is compared in constant time.
 */
export async function findByQueryCode(
  ctx: Pick<AppContext, 'db' | 'pii'>,
  number: string,
  code: string,
): Promise<FoundClue | null> {
  const normalized = code.trim().toUpperCase();
  const valid = CLUE_NUMBER_RE.test(number) && /^[A-Z0-9]{4,16}$/.test(normalized);
  const row = valid
    ? await ctx.db
        .selectFrom('clue as c')
        .leftJoin('department as d', 'd.id', 'c.department_id')
        .select([
          'c.id',
          'c.number',
          'c.kind',
          'c.status',
          'c.received_at',
          'c.department_id',
          'c.merged_into_id',
          'c.query_code_hash',
          'd.name as department_name',
        ])
        .where('c.number', '=', number)
        .executeTakeFirst()
    : undefined;
  const given = Buffer.from(ctx.pii.blindIndex('secret', `${number}:${normalized}`));
  const stored = Buffer.from(row?.query_code_hash ?? ctx.pii.blindIndex('secret', 'no-such-clue'));
  const same = given.length === stored.length && timingSafeEqual(given, stored);
  if (!row?.query_code_hash || !same) return null;
  return {
    id: Number(row.id),
    number: row.number,
    kind: row.kind,
    status: row.status,
    received_at: row.received_at,
    department_id: row.department_id === null ? null : Number(row.department_id),
    department_name: row.department_name,
    merged_into_id: row.merged_into_id === null ? null : Number(row.merged_into_id),
  };
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/**
 * One ledger event as the public may see it, or null. Only these kinds, with these fields: never a name, a phone,
 * an officer, an internal note or anything about the informant.
 */
export function publicEvent(
  e: Pick<LedgerEvent, 'kind' | 'payload' | 'occurredAt'>,
): PublicClueProgress['timeline'][number] | null {
  const p = e.payload;
  const at = e.occurredAt;
  switch (e.kind) {
    case 'clue.received':
      return { at, label: '已收到', detail: null };
    case 'clue.register':
      return { at, label: '已登记', detail: null };
    case 'clue.toAnalysis':
    case 'clue.toDispatch':
      return { at, label: '已受理，转有关部门办理', detail: null };
    case 'clue.startHandling':
      return { at, label: '开始办理', detail: null };
    case 'clue.answer':
      return { at, label: '已答复', detail: text(p.answer) };
    case 'clue.recordResult':
      return { at, label: '办理结果', detail: text(p.result) };
    case 'clue.close':
      return { at, label: '已办结', detail: null };
    case 'clue.reject':
      return { at, label: '不予受理', detail: text(p.groundLabel) ?? text(p.ground) };
    case 'clue.transfer':
      return { at, label: '已转有关部门办理', detail: text(p.agency) };
    case 'clue.merge':
      return { at, label: '已与相同事项并案办理', detail: null };
    case 'clue.reopen':
      return { at, label: '重新办理', detail: null };
    default:
      return null;
  }
}

export async function publicProgress(db: Kysely<DB>, clue: FoundClue): Promise<PublicClueProgress> {
  const events = await clueTimeline(db, clue.id, { limit: 1000 });
  const status = clue.status as ClueStatus;
  return {
    number: clue.number,
    kind: clue.kind,
    kindLabel: CLUE_KIND_LABELS[clue.kind as ClueKind] ?? clue.kind,
    receivedAt: new Date(clue.received_at).toISOString(),
    status,
    statusLabel: PUBLIC_STATUS_LABELS[status] ?? status,
    departmentName: clue.department_name,
    acceptsAttachments: ATTACHABLE_STATUSES.includes(status),
    timeline: events
      .filter((e) => e.subjectType === 'clue')
      .map(publicEvent)
      .filter((e): e is NonNullable<typeof e> => e !== null),
  };
}

export const CHANNEL_CLEANUP_JOB = 'clues.channels.cleanup';
export const CHANNEL_CLEANUP_CRON = '25 * * * *';

/** Hourly: Idempotency-Key records past 24 h, finished rate-limit windows, expired challenges. */
export function registerClueChannelJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: CHANNEL_CLEANUP_JOB,
    payload: z.object({}),
    cron: CHANNEL_CLEANUP_CRON,
    async handler(_payload, run) {
      await purgeIdempotencyRecords(run.ctx.db);
      await purgeRateCounters(run.ctx.db);
      await purgeChallenges(run.ctx.db);
    },
  });
}
