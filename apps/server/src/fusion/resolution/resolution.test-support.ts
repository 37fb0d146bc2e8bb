import { usccCheckChar } from '@rongjian/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { json } from '../../platform/db/json.ts';
import { applyRegistrations, type RegistrationRecord } from './resolution.apply.ts';

/** Test helpers of fusion/resolution: sources, runs and registration records as an exchange would deliver them. */

export function uscc(n: number, category = '1'): string {
  const first17 = `9${category}320500MA${String(n).padStart(7, '0')}`;
  return first17 + usccCheckChar(first17);
}

export function reg(
  over: Partial<RegistrationRecord> & { name: string; address: string },
): RegistrationRecord {
  return {
    rowNo: 2,
    uscc: null,
    sourceKey: null,
    type: 'individual',
    regionCode: '320500',
    establishedOn: '2015-03-01',
    status: '存续',
    businessScope: '餐饮服务',
    lon: null,
    lat: null,
    ...over,
  };
}

/** A file source with the given trust rank (lower = more trusted). */
export async function addSource(db: Kysely<DB>, name: string, trustedRank: number): Promise<void> {
  await db
    .insertInto('exchange_source')
    .values({
      name,
      label: `测试来源 ${name}`,
      kind: 'file',
      dataset: 'registration',
      mapping: json({}),
      trusted_rank: trustedRank,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Deliver records as one run of `source`; returns the outcome and the run id. */
export async function deliver(
  db: Kysely<DB>,
  source: string,
  records: RegistrationRecord[],
  receivedAt = new Date(),
) {
  const s = await db
    .selectFrom('exchange_source')
    .select('trusted_rank')
    .where('name', '=', source)
    .executeTakeFirstOrThrow();
  const run = await db
    .insertInto('exchange_run')
    .values({
      source,
      file_name: 'test.csv',
      sha256: '0'.repeat(64),
      actor_name: '测试',
      quality: json([]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const runId = Number(run.id);
  const outcome = await applyRegistrations(db, records, {
    source,
    runId,
    trustedRank: s.trusted_rank,
    receivedAt,
  });
  return { ...outcome, runId };
}

export async function counts(db: Kysely<DB>) {
  const n = async (t: 'entity' | 'entity_source_record' | 'entity_match') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    entities: await n('entity'),
    records: await n('entity_source_record'),
    matches: await n('entity_match'),
  };
}

export async function entityOfRecord(db: Kysely<DB>, source: string, sourceKey: string): Promise<number> {
  const r = await db
    .selectFrom('entity_source_record')
    .select('entity_id')
    .where('source', '=', source)
    .where('source_key', '=', sourceKey)
    .executeTakeFirstOrThrow();
  return Number(r.entity_id);
}
