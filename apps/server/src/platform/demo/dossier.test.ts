import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { buildGrids } from './county.ts';
import { planDossier } from './dossier.ts';
import { generateEntities } from './entities.ts';
import { createRng } from './random.ts';
import { seedDemoCounty } from './seed.ts';

const TODAY = '2026-11-28';

function plan(seed: number) {
  const grids = buildGrids(createRng(seed, 'grids'));
  const entities = generateEntities(createRng(seed, 'entities'), grids, 2000);
  return { entities, dossier: planDossier(createRng(seed, 'dossier'), entities, TODAY) };
}

describe('demo 一户一档 plan', () => {
  it('is the same for the same seed and day', () => {
    expect(plan(7).dossier).toEqual(plan(7).dossier);
  });

  it('gives food businesses JY licences, pharmacies drug licences, some expiring soon, ~3% abnormal operation', () => {
    const { entities, dossier } = plan(7);
    const food = dossier.licences.filter((l) => l.kind === 'food_business');
    expect(food.length).toBeGreaterThan(200);
    expect(food.every((l) => /^JY\d{14}$/.test(l.licenceNo))).toBe(true);
    expect(new Set(dossier.licences.map((l) => `${l.kind}:${l.licenceNo}`)).size).toBe(
      dossier.licences.length,
    );
    expect(dossier.licences.some((l) => l.kind === 'drug_business')).toBe(true);
    expect(dossier.licences.some((l) => l.kind === 'special_equipment_use')).toBe(true);
    const left = dossier.licences.map((l) => (Date.parse(l.validUntil) - Date.parse(TODAY)) / 86_400_000);
    expect(left.some((d) => d < 0)).toBe(true);
    expect(left.some((d) => d >= 0 && d <= 30)).toBe(true);
    expect(left.some((d) => d > 30 && d <= 60)).toBe(true);
    expect(left.some((d) => d > 60 && d <= 90)).toBe(true);
    const abnormal = dossier.credit.filter((c) => c.kind === 'abnormal_operation').length / entities.length;
    expect(abnormal).toBeGreaterThan(0.015);
    expect(abnormal).toBeLessThan(0.045);
    expect(dossier.credit.some((c) => c.kind === 'administrative_penalty' && (c.amount ?? 0) > 0)).toBe(true);
    // One legal representative (企业, 合作社) or operator (个体工商户) per entity, with a valid-looking ID number.
    expect(dossier.persons).toHaveLength(entities.length);
    expect(dossier.persons.every((p) => /^\d{17}[\dX]$/.test(p.idCard) && /^1\d{10}$/.test(p.phone))).toBe(
      true,
    );
  });
});

describe('seedDemoCounty: 一户一档 data', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t?.close());

  it('writes licences, credit records and encrypted personnel', async () => {
    const res = await seedDemoCounty(t.ctx, {
      seed: 42,
      entities: 300,
      staff: 30,
      password: 'Demo-Pass-2026',
      today: TODAY,
      via: 'direct',
    });
    const count = async (table: 'entity_licence' | 'entity_credit_record' | 'entity_person') =>
      Number(
        (
          await t.ctx.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('entity_licence')).toBe(res.counts.licences);
    expect(await count('entity_credit_record')).toBe(res.counts.creditRecords);
    expect(await count('entity_person')).toBe(300);
    expect(res.counts.licences).toBeGreaterThan(50);
    const person = await t.ctx.db
      .selectFrom('entity_person as p')
      .innerJoin('entity as e', 'e.id', 'p.entity_id')
      .select(['p.id_card_enc', 'p.station_id', 'e.station_id as entity_station'])
      .executeTakeFirstOrThrow();
    expect(person.station_id).toBe(person.entity_station);
    expect(t.ctx.pii.decrypt(person.id_card_enc!)).toMatch(/^320599\d{11}[\dX]$/);
  });
});
