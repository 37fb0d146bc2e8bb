import { type Kysely, sql } from 'kysely';
import { json } from '../../platform/db/json.ts';
import type { DB, EntityType } from '../../platform/db/schema.ts';

/**
 * The intake contract between the data exchange (support/exchange: reading, mapping, validating) and data fusion
 * (this module: deciding which entity a record describes and what the entity's fields become).
 */

/** One validated 登记注册 record, whatever source it came from. */
export interface RegistrationRecord {
  rowNo: number;
  /** Null for older 个体工商户 registrations without a USCC: resolved by name + address. */
  uscc: string | null;
  /** The source's own key when there is no USCC (注册号), else null. */
  sourceKey: string | null;
  name: string;
  type: EntityType;
  address: string;
  regionCode: string;
  establishedOn: string | null;
  status: string;
  businessScope: string | null;
  lon: number | null;
  lat: number | null;
}

export interface IntakeMeta {
  source: string;
  runId: number;
  /** Lower is more trusted (exchange_source.trusted_rank). */
  trustedRank: number;
  receivedAt: Date;
}

export interface ApplyOutcome {
  inserted: number;
  updated: number;
  /** Records whose entity is uncertain, waiting in the merge queue for a person. */
  queued: number;
}

/**
 * Apply one batch of registration records in one transaction. Provisional implementation (USCC only); data fusion
 * replaces it with resolution by USCC or name + address, source records and per-field provenance.
 */
export async function applyRegistrations(
  db: Kysely<DB>,
  batch: RegistrationRecord[],
  _meta: IntakeMeta,
): Promise<ApplyOutcome> {
  return db.transaction().execute(async (tx) => {
    const rows = await tx
      .insertInto('entity')
      .values(
        batch.map((r) => ({
          uscc: r.uscc,
          name: r.name,
          type: r.type,
          address: r.address,
          region_code: r.regionCode,
          established_on: r.establishedOn,
          status: r.status,
          business_scope: r.businessScope,
          business_lines: json<string[]>([]),
        })),
      )
      .onConflict((oc) =>
        oc
          .column('uscc')
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            type: eb.ref('excluded.type'),
            address: eb.ref('excluded.address'),
            region_code: eb.ref('excluded.region_code'),
            established_on: eb.ref('excluded.established_on'),
            status: eb.ref('excluded.status'),
            business_scope: eb.ref('excluded.business_scope'),
            updated_at: sql`now()`,
          }))
          .where(
            sql<boolean>`(entity.name, entity.type, entity.address, entity.region_code, entity.established_on,
              entity.status, entity.business_scope) is distinct from (excluded.name, excluded.type, excluded.address,
              excluded.region_code, excluded.established_on, excluded.status, excluded.business_scope)`,
          ),
      )
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    const inserted = rows.filter((r) => r.inserted).length;
    return { inserted, updated: rows.length - inserted, queued: 0 };
  });
}
