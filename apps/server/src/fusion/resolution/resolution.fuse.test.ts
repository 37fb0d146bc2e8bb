import { describe, expect, it } from 'vitest';
import { type EntityColumns, type FusionRecord, planFusion } from './resolution.fuse.ts';
import { fieldRulesSetting, type FieldRules } from './resolution.settings.ts';

const rules = (rule: 'newest' | 'trusted' | 'manual'): FieldRules =>
  Object.fromEntries(Object.keys(fieldRulesSetting.default).map((k) => [k, rule])) as FieldRules;

const rec = (
  id: number,
  over: Partial<FusionRecord> & { fields: Record<string, unknown> },
): FusionRecord => ({
  id,
  source: `s${id}`,
  runId: id * 10,
  at: new Date('2026-01-01T00:00:00Z'),
  rank: 50,
  manual: false,
  ...over,
  fields: {
    name: '甲店',
    type: 'individual',
    address: '人民路1号',
    regionCode: '320500',
    status: '存续',
    ...over.fields,
  },
});

const registry = rec(1, { rank: 10, at: new Date('2026-01-01T00:00:00Z'), fields: { name: '甲店（登记）' } });
const county = rec(2, { rank: 50, at: new Date('2026-03-01T00:00:00Z'), fields: { name: '甲店（县平台）' } });
const person = rec(3, {
  source: 'manual',
  runId: null,
  rank: 0,
  manual: true,
  at: new Date('2026-02-01T00:00:00Z'),
  fields: { name: '甲店（人工）' },
});

describe('field rules', () => {
  it('newest takes the most recent record, trusted the lowest rank', () => {
    expect(planFusion(null, [registry, county], rules('newest')).columns.name).toBe('甲店（县平台）');
    const trusted = planFusion(null, [registry, county], rules('trusted'));
    expect(trusted.columns.name).toBe('甲店（登记）');
    expect(trusted.provenance.name).toEqual({
      source: 's1',
      runId: 10,
      at: '2026-01-01T00:00:00.000Z',
      rule: 'trusted',
      recordId: 1,
    });
  });

  it('manual keeps a person’s value against later deliveries; newest lets a later delivery win', () => {
    expect(planFusion(null, [registry, county, person], rules('manual')).columns.name).toBe('甲店（人工）');
    expect(planFusion(null, [registry, county, person], rules('newest')).columns.name).toBe('甲店（县平台）');
    // Without a manual value, `manual` falls back to the newest record.
    expect(planFusion(null, [registry, county], rules('manual')).columns.name).toBe('甲店（县平台）');
  });

  it('empties an optional field fusion had filled once no record gives it, but keeps legacy values', () => {
    const current: EntityColumns = {
      uscc: null,
      name: '甲店',
      type: 'individual',
      address: '人民路1号',
      region_code: '320500',
      established_on: '2010-01-01',
      status: '存续',
      business_scope: '由别的记录带来',
      lon: null,
      lat: null,
      provenance: { businessScope: { source: 's9', runId: 90, at: '2026-01-01T00:00:00Z', rule: 'trusted' } },
    };
    const plan = planFusion(current, [registry], rules('trusted'));
    expect(plan.columns.business_scope).toBeNull();
    expect(plan.provenance.businessScope).toBeUndefined();
    // 成立日期 has no provenance: written before fusion, it stays.
    expect(plan.columns.established_on).toBe('2010-01-01');
  });

  it('takes coordinates only from records that have both, and never over a point a GIS step set', () => {
    const located = rec(4, { fields: { lon: 120.5, lat: 31.2 } });
    const half = rec(5, { at: new Date('2027-01-01T00:00:00Z'), fields: { lon: 121 } });
    const plan = planFusion(null, [located, half], rules('newest'));
    expect([plan.columns.lon, plan.columns.lat]).toEqual([120.5, 31.2]);
    const current = {
      ...plan.columns,
      lon: 120.7,
      lat: 31.4,
      provenance: {},
      geo_source: 'manual',
    } satisfies EntityColumns;
    const kept = planFusion(current, [located], rules('newest'));
    expect([kept.columns.lon, kept.columns.lat]).toEqual([120.7, 31.4]);
    expect(kept.provenance.lon).toBeUndefined();
    // A geocoded guess gives way to a source's real coordinates, and stays while no source has any.
    const guessed = { ...current, geo_source: 'geocoder' } satisfies EntityColumns;
    const replaced = planFusion(guessed, [located], rules('newest'));
    expect([replaced.columns.lon, replaced.columns.lat]).toEqual([120.5, 31.2]);
    const unlocated = rec(6, { fields: { lon: null, lat: null } });
    const stays = planFusion(guessed, [unlocated], rules('newest'));
    expect([stays.columns.lon, stays.columns.lat]).toEqual([120.7, 31.4]);
  });
});
