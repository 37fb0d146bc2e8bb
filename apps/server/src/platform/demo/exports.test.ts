import { checkUscc } from '@rongjian/shared';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { businessLineKeywordsSetting, deriveBusinessLines } from '../../fusion/entities/entities.lines.ts';
import { buildGrids } from './county.ts';
import { planDossier } from './dossier.ts';
import { generateEntities } from './entities.ts';
import { registrationNoProblem } from '../../support/exchange/exchange.checks.ts';
import { chineseNumber, encodeDemoExports, planDemoExports } from './exports.ts';
import { createRng } from './random.ts';

const TODAY = '2026-11-28';

function plan(seed: number) {
  const grids = buildGrids(createRng(seed, 'grids'));
  const entities = generateEntities(createRng(seed, 'entities'), grids, 3000);
  const dossier = planDossier(createRng(seed, 'dossier'), entities, TODAY);
  return { entities, exports: planDemoExports(createRng(seed, 'exports'), entities, dossier, TODAY) };
}

describe('demo exchange exports', () => {
  it('are the same for the same seed and day', () => {
    expect(plan(3).exports).toEqual(plan(3).exports);
  });

  it('carry every entity once with a valid USCC, plus the planted dirt', () => {
    const { entities, exports } = plan(3);
    const valid = exports.registration.filter(
      (r) => r.统一社会信用代码 && checkUscc(r.统一社会信用代码).valid,
    );
    expect(new Set(valid.map((r) => r.统一社会信用代码)).size).toBe(entities.length);
    const invalid = exports.registration.filter(
      (r) => r.统一社会信用代码 && !checkUscc(r.统一社会信用代码).valid,
    );
    expect(invalid).toHaveLength(exports.dirt.badCheckChar);
    expect(valid.length - entities.length).toBe(exports.dirt.duplicateRows);
    const legacy = exports.registration.filter((r) => !r.统一社会信用代码);
    expect(legacy).toHaveLength(
      exports.dirt.missingAddress +
        exports.dirt.impossibleDate +
        exports.dirt.legacyVariants +
        exports.dirt.legacyOnly,
    );
    // Every 注册号 is 15 digits with its MOD 11,10 check digit.
    for (const r of legacy) {
      expect(registrationNoProblem(r.注册号!)).toBeNull();
    }
    expect(exports.dirt.legacyVariants).toBeGreaterThan(5);
    expect(exports.dirt.withoutCoordinates).toBeGreaterThan(0);
    expect(exports.licence.some((r) => r.发证机关!.startsWith('=HYPERLINK'))).toBe(true);
    expect(exports.dirt.badIdCards + exports.dirt.badPhones).toBeGreaterThan(0);
  });

  it('word each 经营范围 so the default keywords give back exactly the planned 业务条线', () => {
    const { entities, exports } = plan(5);
    const byUscc = new Map(exports.registration.map((r) => [r.统一社会信用代码, r]));
    const keywords = businessLineKeywordsSetting.default;
    for (const e of entities.slice(0, 1000)) {
      const derived = deriveBusinessLines(byUscc.get(e.uscc)!.经营范围!, keywords);
      expect(new Set(derived)).toEqual(new Set(e.businessLines));
    }
  });

  it('encode registration as GBK, licences as XLSX, credit as JSON lines and persons as UTF-8 with a BOM', async () => {
    const { exports } = plan(3);
    const files = await encodeDemoExports(exports);
    const reg = files.find((f) => f.source === 'demo-registration')!;
    const text = iconv.decode(reg.data, 'gbk');
    expect(text.split('\r\n')[0]).toBe(
      '统一社会信用代码,企业名称,主体类型,住所,成立日期,登记状态,经营范围,注册号,行政区划代码,经度,纬度,更新时间',
    );
    expect(reg.data.toString('utf8')).not.toContain('统一社会信用代码'); // really GBK, not UTF-8
    expect(
      files
        .find((f) => f.source === 'demo-licence')!
        .data.subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const credit = files
      .find((f) => f.source === 'demo-credit')!
      .data.toString('utf8')
      .split('\n');
    expect(JSON.parse(credit[0]!)).toHaveProperty('信用类别');
    expect([...files.find((f) => f.source === 'demo-person')!.data.subarray(0, 3)]).toEqual([
      0xef, 0xbb, 0xbf,
    ]);
  });

  it('spells house numbers as a clerk would', () => {
    expect([8, 10, 15, 88, 100, 105, 118, 999].map(chineseNumber)).toEqual([
      '八',
      '十',
      '十五',
      '八十八',
      '一百',
      '一百零五',
      '一百一十八',
      '九百九十九',
    ]);
  });
});
