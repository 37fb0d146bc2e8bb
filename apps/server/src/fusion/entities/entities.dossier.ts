import { maskIdCard, maskName, maskPhone } from '@rongjian/shared';
import {
  CREDIT_KIND_LABELS,
  type EntityCreditRecord,
  type EntityLicence,
  type EntityPerson,
  LICENCE_KIND_LABELS,
  type LicenceExpiry,
  type LicenceStatusFilter,
  PERSON_ROLE_LABELS,
} from '@rongjian/shared/api';
import { sql } from 'kysely';
import type { PiiVault } from '../../platform/pii/pii.vault.ts';
import type { Executor } from './entities.repo.ts';

/**
 * Licences, credit records and personnel of one entity (一户一档). Callers have already checked that the entity is
 * within the viewer's data scope; these reads are by entity id only.
 */
const DAY_MS = 86_400_000;

/** Whole days from `today` to `day` (both ISO dates). */
export function daysBetween(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

const TIERS = ['within30', 'within60', 'within90'] as const;

/** Expiry tier of a licence: revoked/cancelled ones carry no warning (their status says it). */
export function classifyExpiry(
  status: string,
  validUntil: string | null,
  today: string,
  tiers: readonly number[],
): LicenceExpiry {
  if (status === '过期') return 'expired';
  if (status !== '有效' || validUntil === null) return 'ok';
  const left = daysBetween(today, validUntil);
  if (left < 0) return 'expired';
  for (let i = 0; i < TIERS.length; i++) if (left <= (tiers[i] ?? 0)) return TIERS[i]!;
  return 'ok';
}

/** The configured day count of an expiry tier (within30 → the first tier), null for expired/ok. */
export function tierDays(expiry: LicenceExpiry, tiers: readonly number[]): number | null {
  const i = TIERS.indexOf(expiry as (typeof TIERS)[number]);
  return i < 0 ? null : (tiers[i] ?? null);
}

/** The search window of a licence-status filter. */
export function licenceWindow(
  status: LicenceStatusFilter,
  today: string,
  tiers: readonly number[],
): { today: string; until: string | null } {
  if (status === 'expired') return { today, until: null };
  return { today, until: addDays(today, tiers[TIERS.indexOf(status)] ?? 0) };
}

const day = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

export async function loadLicences(
  db: Executor,
  entityId: number,
  today: string,
  tiers: readonly number[],
): Promise<EntityLicence[]> {
  const rows = await db
    .selectFrom('entity_licence')
    .select(['id', 'kind', 'licence_no', 'status', 'issuer', 'source'])
    .select([day('issued_on').as('issued_on'), day('valid_until').as('valid_until')])
    .where('entity_id', '=', entityId)
    .orderBy('valid_until')
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const expiry = classifyExpiry(r.status, r.valid_until, today, tiers);
    return {
      id: Number(r.id),
      kind: r.kind,
      kindLabel: LICENCE_KIND_LABELS[r.kind],
      licenceNo: r.licence_no,
      issuedOn: r.issued_on,
      validUntil: r.valid_until,
      status: r.status,
      issuer: r.issuer,
      source: r.source,
      expiry,
      expiryDays: tierDays(expiry, tiers),
      daysLeft: r.valid_until === null ? null : daysBetween(today, r.valid_until),
    };
  });
}

export async function loadCreditRecords(db: Executor, entityId: number): Promise<EntityCreditRecord[]> {
  const rows = await db
    .selectFrom('entity_credit_record')
    .select(['id', 'kind', 'authority', 'reason', 'document_no', 'amount', 'source'])
    .select([day('decided_on').as('decided_on'), day('removed_on').as('removed_on')])
    .where('entity_id', '=', entityId)
    .orderBy('decided_on', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    kindLabel: CREDIT_KIND_LABELS[r.kind],
    decidedOn: r.decided_on ?? '',
    removedOn: r.removed_on,
    authority: r.authority,
    reason: r.reason,
    documentNo: r.document_no,
    amount: r.amount === null ? null : Number(r.amount),
    source: r.source,
  }));
}

const ROLE_ORDER = { legal_rep: 0, principal: 1, employee: 2 } as const;

/** Personnel with masked values only: decrypted in memory for the mask, plaintext never leaves this function. */
export async function loadPersonnel(db: Executor, pii: PiiVault, entityId: number): Promise<EntityPerson[]> {
  const rows = await db
    .selectFrom('entity_person')
    .select(['id', 'role', 'name_enc', 'id_card_enc', 'phone_enc'])
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows
    .map((r) => ({
      id: Number(r.id),
      role: r.role,
      roleLabel: PERSON_ROLE_LABELS[r.role],
      nameMasked: maskName(pii.decrypt(r.name_enc)),
      idCardMasked: r.id_card_enc === null ? null : maskIdCard(pii.decrypt(r.id_card_enc)),
      phoneMasked: r.phone_enc === null ? null : maskPhone(pii.decrypt(r.phone_enc)),
    }))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.id - b.id);
}
