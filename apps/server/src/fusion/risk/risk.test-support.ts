import type { Kysely } from 'kysely';
import { createOrg } from '../../../test/fixtures.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import { addDays } from '../entities/entities.dossier.ts';
import type { CreditKind, LicenceKind, LicenceStatus } from '../entities/entities.tables.ts';

/**
 * Test helpers of fusion/risk: a bureau with two 所 and entities whose dossier each test writes by hand. Dates are
 * relative to today, the day settings changed in a test take effect.
 */
export const AS_OF = todayInChina();
/** `n` days from AS_OF. */
export const day = (n: number): string => addDays(AS_OF, n);

export async function riskTestOrg(db: Kysely<DB>) {
  const org = await createOrg(db);
  const [stationA, stationB] = org.stations as [number, number];
  let seq = 0;

  async function entity(
    name: string,
    over: {
      station?: number;
      status?: string;
      establishedOn?: string | null;
      riskClass?: 'A' | 'B' | 'C' | 'D';
    } = {},
  ): Promise<number> {
    const r = await db
      .insertInto('entity')
      .values({
        name,
        type: 'enterprise',
        address: `测试路 ${++seq} 号`,
        region_code: '320599',
        station_id: over.station ?? stationA,
        business_lines: json(['食品']),
        status: over.status ?? '存续',
        established_on: over.establishedOn === undefined ? '2015-03-01' : over.establishedOn,
        risk_class: over.riskClass ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async function licence(
    entityId: number,
    l: { validUntil: string | null; status?: LicenceStatus; kind?: LicenceKind; runId?: number },
  ): Promise<number> {
    const r = await db
      .insertInto('entity_licence')
      .values({
        entity_id: entityId,
        kind: l.kind ?? 'food_business',
        licence_no: `JY1320599${String(++seq).padStart(7, '0')}`,
        issued_on: '2021-01-01',
        valid_until: l.validUntil,
        status: l.status ?? '有效',
        source_run_id: l.runId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async function credit(
    entityId: number,
    c: {
      kind: CreditKind;
      decidedOn: string;
      removedOn?: string | null;
      amount?: number | null;
      reason?: string;
      runId?: number;
    },
  ): Promise<void> {
    await db
      .insertInto('entity_credit_record')
      .values({
        entity_id: entityId,
        kind: c.kind,
        decided_on: c.decidedOn,
        removed_on: c.removedOn ?? null,
        amount: c.amount ?? null,
        reason: c.reason ?? '',
        document_no: `苏市监〔2026〕${++seq}号`,
        source_run_id: c.runId ?? null,
      })
      .execute();
  }

  return { ...org, stationA, stationB, entity, licence, credit };
}
