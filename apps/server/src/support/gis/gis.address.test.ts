import { describe, expect, it } from 'vitest';
import { addressKeys, keyList, normaliseAddress } from './gis.address.ts';
import { precisionOfLevel } from './gis.tianditu.ts';

describe('addressKeys', () => {
  it('cuts a street address into 门牌 / 道路 / 乡镇 keys from the town down, without building and room', () => {
    expect(addressKeys('江苏省苏州市示范县城厢镇人民南路12号3幢501室')).toEqual({
      door: '城厢镇人民南路12号',
      road: '城厢镇人民南路',
      village: null,
      town: '城厢镇',
    });
    // The same house written without province and county, with full-width digits and a remark.
    expect(addressKeys('城厢镇 人民南路１２号（东门）').door).toBe('城厢镇人民南路12号');
    expect(addressKeys('示范县城厢镇人民南路12号-5').door).toBe('城厢镇人民南路12号');
  });

  it('keeps 村 / 社区 as their own level, with 组 and house number as the door', () => {
    expect(addressKeys('示范县沙溪镇松南村5组12号')).toEqual({
      door: '沙溪镇松南村5组12号',
      road: null,
      village: '沙溪镇松南村',
      town: '沙溪镇',
    });
    expect(addressKeys('示范县娄东街道北京东路88号')).toMatchObject({
      road: '娄东街道北京东路',
      town: '娄东街道',
    });
  });

  it('does not mistake a road named after a village or town for the village or town', () => {
    expect(addressKeys('示范县城厢镇新村路5号')).toMatchObject({ village: null, road: '城厢镇新村路' });
    expect(addressKeys('示范县新镇路5号')).toMatchObject({ town: null, road: '示范县新镇路' });
  });

  it('lists keys most precise first and gives none for an address it cannot read', () => {
    expect(keyList(addressKeys('示范县城厢镇人民南路12号')).map((k) => k.precision)).toEqual([
      'door',
      'road',
      'town',
    ]);
    expect(keyList(addressKeys('不详'))).toEqual([]);
    expect(normaliseAddress(' 城厢镇，人民南路 ')).toBe('城厢镇人民南路');
  });
});

describe('天地图 level → precision', () => {
  it('maps address-level matches to door, roads to road, and refuses county-level guesses', () => {
    expect(precisionOfLevel('门址')).toBe('door');
    expect(precisionOfLevel('地名地址')).toBe('door');
    expect(precisionOfLevel('道路')).toBe('road');
    expect(precisionOfLevel('村庄')).toBe('village');
    expect(precisionOfLevel('乡镇')).toBe('town');
    expect(precisionOfLevel('区县')).toBeNull();
    expect(precisionOfLevel('城市')).toBeNull();
    expect(precisionOfLevel(undefined)).toBe('town');
  });
});
