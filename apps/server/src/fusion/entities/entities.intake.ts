import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { PiiKind } from '../../platform/pii/pii.registry.ts';
import type { CreditKind, LicenceKind, LicenceStatus, PersonRole } from './entities.tables.ts';

/**
 * Intake of 一户一档 rows beyond registration — licences, credit records, personnel — from the data exchange.
 * Each record names its 经营主体 by USCC or by exact name; every write is an idempotent upsert on the row's
 * natural key that changes nothing when nothing changed, so re-importing a file is a no-op.
 */

/** How a row names its entity. */
export interface EntityRef {
  rowNo: number;
  uscc: string | null;
  entityName: string | null;
}

export interface LicenceIntake extends EntityRef {
  kind: LicenceKind;
  licenceNo: string;
  issuedOn: string | null;
  validUntil: string | null;
  status: LicenceStatus;
  issuer: string;
}

export interface CreditIntake extends EntityRef {
  kind: CreditKind;
  decidedOn: string;
  removedOn: string | null;
  authority: string;
  reason: string;
  documentNo: string;
  amount: number | null;
}

export interface PersonIntake extends EntityRef {
  role: PersonRole;
  name: string;
  idCard: string | null;
  phone: string | null;
}

export interface IntakeMeta {
  source: string;
  runId: number;
  /**
   * Natural keys (entity resolved) the run has written so far, with the row that wrote each: a later row of the
   * run naming the same record — its entity by USCC in one row and by name in another, batches apart — is
   * refused as a duplicate, as it would be within one batch. Without it the record took whichever row came last,
   * and every re-import of the file changed it back and forth.
   */
  linked?: Map<string, number>;
}

/** A row that could not be written, with the field to blame and why (Chinese). */
export interface IntakeRejection {
  rowNo: number;
  field: string;
  reason: string;
}

export interface IntakeOutcome {
  inserted: number;
  updated: number;
  rejected: IntakeRejection[];
}

/** What person intake needs of the PII vault. */
export interface PiiSealer {
  encrypt(kind: PiiKind, plaintext: string): string;
  blindIndex(kind: PiiKind, plaintext: string): string;
}

type Linked = { entityId: number };

export const ENTITY_NOT_FOUND = '未找到对应的经营主体';
export const ENTITY_AMBIGUOUS = '名称对应多个经营主体，请提供统一社会信用代码';

/**
 * The entity each row names: by USCC (an entity merged into another resolves to the survivor), else by exact name
 * among unmerged entities, which must match exactly one. A rejection instead when neither finds one.
 */
export async function linkEntities(
  tx: Transaction<DB>,
  refs: readonly EntityRef[],
): Promise<(Linked | IntakeRejection)[]> {
  const usccs = [...new Set(refs.map((r) => r.uscc).filter((u): u is string => !!u))];
  const names = [...new Set(refs.filter((r) => !r.uscc && r.entityName).map((r) => r.entityName!))];
  const byUscc = new Map<string, Linked>();
  if (usccs.length > 0) {
    const { rows } = await sql<{ uscc: string; id: number }>`
      with recursive chain (uscc, id, merged_into, depth) as (
        select uscc, id, merged_into, 0 from entity where uscc in (${sql.join(usccs)})
        union all
        select c.uscc, e.id, e.merged_into, c.depth + 1
          from chain c join entity e on e.id = c.merged_into where c.depth < 20
      )
      select uscc, id from chain where merged_into is null`.execute(tx);
    for (const r of rows) byUscc.set(r.uscc.trim(), { entityId: Number(r.id) });
  }
  const byName = new Map<string, Linked | 'ambiguous'>();
  if (names.length > 0) {
    const rows = await tx
      .selectFrom('entity')
      .select(['id', 'name'])
      .where('merged_into', 'is', null)
      .where('name', 'in', names)
      .execute();
    for (const r of rows) {
      byName.set(r.name, byName.has(r.name) ? 'ambiguous' : { entityId: Number(r.id) });
    }
  }
  return refs.map((r): Linked | IntakeRejection => {
    if (r.uscc) {
      return (
        byUscc.get(r.uscc) ?? {
          rowNo: r.rowNo,
          field: 'uscc',
          reason: `${ENTITY_NOT_FOUND}（统一社会信用代码 ${r.uscc}）`,
        }
      );
    }
    const hit = r.entityName ? byName.get(r.entityName) : undefined;
    if (hit === 'ambiguous') return { rowNo: r.rowNo, field: 'entityName', reason: ENTITY_AMBIGUOUS };
    return (
      hit ?? { rowNo: r.rowNo, field: 'entityName', reason: `${ENTITY_NOT_FOUND}（名称“${r.entityName}”）` }
    );
  });
}

const isRejection = (x: Linked | IntakeRejection): x is IntakeRejection => 'reason' in x;

/**
 * Link a batch and drop rows that link to the same natural key as an earlier row of the batch, or of the run when
 * `seen` is the run's (two spellings of one entity): one upsert statement may touch a row only once.
 */
async function linkBatch<T extends EntityRef>(
  tx: Transaction<DB>,
  batch: readonly T[],
  keyOf: (r: T, l: Linked) => string,
  seen: Map<string, number> = new Map(),
): Promise<{ rows: { r: T; l: Linked }[]; rejected: IntakeRejection[] }> {
  const links = await linkEntities(tx, batch);
  const rows: { r: T; l: Linked }[] = [];
  const rejected: IntakeRejection[] = [];
  batch.forEach((r, i) => {
    const l = links[i]!;
    if (isRejection(l)) {
      rejected.push(l);
      return;
    }
    const key = keyOf(r, l);
    const first = seen.get(key);
    // The same row again is a batch written a second time (after a deadlock), not a duplicate.
    if (first !== undefined && first !== r.rowNo) {
      rejected.push({
        rowNo: r.rowNo,
        field: r.uscc ? 'uscc' : 'entityName',
        reason: `与第 ${first} 行是同一条记录（对应同一经营主体）`,
      });
      return;
    }
    seen.set(key, r.rowNo);
    rows.push({ r, l });
  });
  return { rows, rejected };
}

const countInserted = (rows: { inserted: boolean }[]) => rows.filter((x) => x.inserted).length;

/** Upsert licences on (kind, licence_no); a licence whose facts are unchanged is not touched. */
export async function writeLicences(
  tx: Transaction<DB>,
  batch: readonly LicenceIntake[],
  meta: IntakeMeta,
): Promise<IntakeOutcome> {
  const { rows, rejected } = await linkBatch(tx, batch, (r) => `${r.kind}\t${r.licenceNo}`, meta.linked);
  if (rows.length === 0) return { inserted: 0, updated: 0, rejected };
  const written = await tx
    .insertInto('entity_licence')
    .values(
      rows.map(({ r, l }) => ({
        entity_id: l.entityId,
        kind: r.kind,
        licence_no: r.licenceNo,
        issued_on: r.issuedOn,
        valid_until: r.validUntil,
        status: r.status,
        issuer: r.issuer,
        source: meta.source,
        source_run_id: meta.runId,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['kind', 'licence_no'])
        .doUpdateSet((eb) => ({
          entity_id: eb.ref('excluded.entity_id'),
          issued_on: eb.ref('excluded.issued_on'),
          valid_until: eb.ref('excluded.valid_until'),
          status: eb.ref('excluded.status'),
          issuer: eb.ref('excluded.issuer'),
          source: eb.ref('excluded.source'),
          source_run_id: eb.ref('excluded.source_run_id'),
          updated_at: sql`now()`,
        }))
        .where(
          sql<boolean>`(entity_licence.entity_id, entity_licence.issued_on, entity_licence.valid_until,
            entity_licence.status, entity_licence.issuer) is distinct from (excluded.entity_id, excluded.issued_on,
            excluded.valid_until, excluded.status, excluded.issuer)`,
        ),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .execute();
  const inserted = countInserted(written);
  return { inserted, updated: written.length - inserted, rejected };
}

/** Upsert credit records on (entity, kind, decided_on, document_no). */
export async function writeCreditRecords(
  tx: Transaction<DB>,
  batch: readonly CreditIntake[],
  meta: IntakeMeta,
): Promise<IntakeOutcome> {
  const { rows, rejected } = await linkBatch(
    tx,
    batch,
    (r, l) => `${l.entityId}\t${r.kind}\t${r.decidedOn}\t${r.documentNo}`,
    meta.linked,
  );
  if (rows.length === 0) return { inserted: 0, updated: 0, rejected };
  const written = await tx
    .insertInto('entity_credit_record')
    .values(
      rows.map(({ r, l }) => ({
        entity_id: l.entityId,
        kind: r.kind,
        decided_on: r.decidedOn,
        removed_on: r.removedOn,
        authority: r.authority,
        reason: r.reason,
        document_no: r.documentNo,
        amount: r.amount,
        source: meta.source,
        source_run_id: meta.runId,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['entity_id', 'kind', 'decided_on', 'document_no'])
        .doUpdateSet((eb) => ({
          removed_on: eb.ref('excluded.removed_on'),
          authority: eb.ref('excluded.authority'),
          reason: eb.ref('excluded.reason'),
          amount: eb.ref('excluded.amount'),
          source: eb.ref('excluded.source'),
          source_run_id: eb.ref('excluded.source_run_id'),
          updated_at: sql`now()`,
        }))
        .where(
          sql<boolean>`(entity_credit_record.removed_on, entity_credit_record.authority, entity_credit_record.reason,
            entity_credit_record.amount) is distinct from (excluded.removed_on, excluded.authority, excluded.reason,
            excluded.amount)`,
        ),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .execute();
  const inserted = countInserted(written);
  return { inserted, updated: written.length - inserted, rejected };
}

/**
 * Upsert personnel: name, ID number and phone sealed by the vault, found again by blind index — on (entity, role,
 * ID number) when the row has one, else on (entity, role, name). `station_id` (data scope) follows the entity's by
 * trigger (migration 0035).
 */
export async function writePersons(
  tx: Transaction<DB>,
  batch: readonly PersonIntake[],
  meta: IntakeMeta,
  pii: PiiSealer,
): Promise<IntakeOutcome> {
  const sealed = batch.map((r) => ({
    nameBidx: pii.blindIndex('name', r.name),
    idCardBidx: r.idCard ? pii.blindIndex('idcard', r.idCard) : null,
  }));
  const at = new Map(batch.map((r, i) => [r, i]));
  const { rows, rejected } = await linkBatch(
    tx,
    batch,
    (r, l) => {
      const s = sealed[at.get(r)!]!;
      return `${l.entityId}\t${r.role}\t${s.idCardBidx ?? `n:${s.nameBidx}`}`;
    },
    meta.linked,
  );
  let inserted = 0;
  let updated = 0;
  const values = rows.map(({ r, l }) => {
    const s = sealed[at.get(r)!]!;
    return {
      entity_id: l.entityId,
      role: r.role,
      name_enc: pii.encrypt('name', r.name),
      name_bidx: s.nameBidx,
      id_card_enc: r.idCard ? pii.encrypt('idcard', r.idCard) : null,
      id_card_bidx: s.idCardBidx,
      phone_enc: r.phone ? pii.encrypt('phone', r.phone) : null,
      phone_bidx: r.phone ? pii.blindIndex('phone', r.phone) : null,
      source: meta.source,
      source_run_id: meta.runId,
    };
  });
  const withId = values.filter((v) => v.id_card_bidx !== null);
  const byName = values.filter((v) => v.id_card_bidx === null);
  if (withId.length > 0) {
    const written = await tx
      .insertInto('entity_person')
      .values(withId)
      .onConflict((oc) =>
        oc
          .columns(['entity_id', 'role', 'id_card_bidx'])
          .where('id_card_bidx', 'is not', null)
          .doUpdateSet((eb) => ({
            name_enc: eb.ref('excluded.name_enc'),
            name_bidx: eb.ref('excluded.name_bidx'),
            id_card_enc: eb.ref('excluded.id_card_enc'),
            phone_enc: eb.ref('excluded.phone_enc'),
            phone_bidx: eb.ref('excluded.phone_bidx'),
            source: eb.ref('excluded.source'),
            source_run_id: eb.ref('excluded.source_run_id'),
            updated_at: sql`now()`,
          }))
          .where(
            sql<boolean>`(entity_person.name_bidx, entity_person.phone_bidx)
              is distinct from (excluded.name_bidx, excluded.phone_bidx)`,
          ),
      )
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    const n = countInserted(written);
    inserted += n;
    updated += written.length - n;
  }
  if (byName.length > 0) {
    const written = await tx
      .insertInto('entity_person')
      .values(byName)
      .onConflict((oc) =>
        oc
          .columns(['entity_id', 'role', 'name_bidx'])
          .where('id_card_bidx', 'is', null)
          .doUpdateSet((eb) => ({
            phone_enc: eb.ref('excluded.phone_enc'),
            phone_bidx: eb.ref('excluded.phone_bidx'),
            source: eb.ref('excluded.source'),
            source_run_id: eb.ref('excluded.source_run_id'),
            updated_at: sql`now()`,
          }))
          .where(sql<boolean>`entity_person.phone_bidx is distinct from excluded.phone_bidx`),
      )
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    const n = countInserted(written);
    inserted += n;
    updated += written.length - n;
  }
  return { inserted, updated, rejected };
}
