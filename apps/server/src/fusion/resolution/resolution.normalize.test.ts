import { describe, expect, it } from 'vitest';
import {
  chineseNumeral,
  houseNumber,
  normalizeAddress,
  normalizeName,
  normalizeNameForKey,
} from './resolution.normalize.ts';
import { matchScore } from './resolution.score.ts';

const W = { nameWeight: 0.6, numberMismatchFactor: 0.5 };
const score = (a: [string, string], b: [string, string]) =>
  matchScore(
    { name: normalizeName(a[0]), address: normalizeAddress(a[1]) },
    { name: normalizeName(b[0]), address: normalizeAddress(b[1]) },
    { name: 0, address: 0 },
    W,
  );

describe('normal forms', () => {
  it('gives two spellings of one shop the same name', () => {
    expect(normalizeName('老王烧烤店')).toBe('老王烧烤');
    expect(normalizeName('老王烧烤（个体工商户）')).toBe('老王烧烤');
    expect(normalizeName('老王烧烤(个体工商户)')).toBe('老王烧烤');
    expect(normalizeName(' 示范县 老王烧烤店 ')).toBe('老王烧烤');
    expect(normalizeName('苏州市示范食品有限公司')).toBe('示范食品');
    expect(normalizeName('苏州示范食品有限责任公司')).toBe('苏州示范食品');
    expect(normalizeName('ＡＢＣ便利店')).toBe('abc便利');
  });

  it('drops the 个体工商户 marker 个体, bracketed or bare', () => {
    for (const name of [
      '城厢镇晓红快餐（个体）',
      '城厢镇晓红快餐(个体)',
      '城厢镇晓红快餐 【个体】',
      '城厢镇晓红快餐个体',
      '城厢镇晓红快餐个体户',
      '（个体）城厢镇晓红快餐',
      '城厢镇晓红快餐（个体）店',
    ]) {
      expect(normalizeName(name), name).toBe('城厢镇晓红快餐');
    }
    // Nothing but the marker: the name stays.
    expect(normalizeName('个体')).toBe('个体');
    // Source keys of records without a USCC keep the form they were first hashed from.
    expect(normalizeNameForKey('城厢镇晓红快餐（个体）')).toBe('城厢镇晓红快餐个体');
    expect(normalizeNameForKey('老王烧烤（个体工商户）')).toBe('老王烧烤');
  });

  it('keeps what tells shops apart', () => {
    expect(normalizeName('联华超市人民路店')).toBe('联华超市人民路');
    expect(normalizeName('城西老王烧烤摊')).toBe('城西老王烧烤摊');
    expect(normalizeName('苏州（示范）食品厂')).toBe('苏州示范食品厂');
    // Nothing left but the generic part: the name stays as it is.
    expect(normalizeName('店')).toBe('店');
  });

  it('writes house numbers in digits, one spelling per unit, without the region prefix', () => {
    expect(normalizeAddress('建设路八十八号')).toBe('建设路88号');
    expect(normalizeAddress('建设路88号')).toBe('建设路88号');
    expect(normalizeAddress('江苏省苏州市示范县建设路 88 號')).toBe('建设路88号');
    expect(normalizeAddress('示范县人民路一百零五号3幢二〇一室')).toBe('人民路105号3栋201室');
    expect(normalizeAddress('人民路88#')).toBe('人民路88号');
    expect(normalizeAddress('人民路88－1号')).toBe('人民路88-1号');
    expect(normalizeAddress('城东区菜市场路5号')).toBe('菜市场路5号');
    expect(normalizeAddress('阳光花园小区3栋')).toBe('阳光花园小区3栋');
  });

  it('reads Chinese numerals', () => {
    expect(chineseNumeral('八十八')).toBe('88');
    expect(chineseNumeral('十二')).toBe('12');
    expect(chineseNumeral('一百零五')).toBe('105');
    expect(chineseNumeral('二〇一')).toBe('201');
    expect(chineseNumeral('两千')).toBe('2000');
    expect(chineseNumeral('建设')).toBeNull();
    expect(houseNumber('建设路88-1号2栋')).toBe('88-1');
    expect(houseNumber('建设路')).toBeNull();
  });
});

describe('match score', () => {
  it('scores two spellings of one shop at the same door as certain', () => {
    const s = score(['老王烧烤店', '建设路88号'], ['老王烧烤（个体工商户）', '建设路八十八号']);
    expect(s).toMatchObject({ score: 1, nameScore: 1, addressScore: 1, numberMismatch: false });
  });

  it('scores a shop written with and without 个体 at the same address as certain', () => {
    const s = score(['城厢镇晓红快餐个体', '城厢镇人民南路12号'], ['城厢镇晓红快餐', '城厢镇人民南路12号']);
    expect(s).toMatchObject({ score: 1, nameScore: 1 });
    expect(score(['晓红快餐（个体）', '建设路8号'], ['晓红快餐', '建设路八号']).score).toBe(1);
  });

  it('keeps a one-character typo in a short name close', () => {
    const s = score(['老王烧烤店', '建设路88号'], ['老汪烧烤', '建设路88号']);
    expect(s.nameScore).toBe(0.75);
    expect(s.score).toBe(0.85);
  });

  it('scores a similar name at another address low, and halves the address for another house number', () => {
    expect(score(['老王烧烤店', '建设路88号'], ['城西老王烧烤摊', '城西测试路1号']).score).toBeLessThan(0.6);
    const sameRoad = score(['老王烧烤店', '建设路88号'], ['老王烧烤店', '建设路90号']);
    expect(sameRoad.numberMismatch).toBe(true);
    expect(sameRoad.addressScore).toBeLessThan(0.5);
  });
});
