import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdCard, maskName, maskPhone } from './mask.ts';

describe('maskPhone', () => {
  it('shows the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('138 1234 1234')).toBe('138****1234');
    expect(maskPhone('+86 138-1234-1234')).toBe('138****1234');
  });

  it('keeps the area code and last four digits of a landline', () => {
    expect(maskPhone('0512-68881234')).toBe('0512-****1234');
    expect(maskPhone('010-62345678')).toBe('010-****5678');
    expect(maskPhone('02161234567')).toBe('021-****4567');
  });

  it('never shows a short number in full', () => {
    expect(maskPhone('12345')).toBe('*2345');
    expect(maskPhone('110')).toBe('***');
  });
});

describe('maskIdCard', () => {
  it('keeps the first six and the last four characters of an 18-digit number', () => {
    expect(maskIdCard('32050619900101123X')).toBe('320506********123X');
    expect(maskIdCard('32050619900101123x')).toBe('320506********123X');
  });

  it('handles the old 15-digit numbers', () => {
    expect(maskIdCard('320506900101123')).toBe('320506*****1123');
  });

  it('hides a too-short value completely', () => {
    expect(maskIdCard('1234567')).toBe('*******');
  });
});

describe('maskName', () => {
  it('keeps the surname character and masks every other character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName(' 李四 ')).toBe('李*');
  });

  it('keeps the middle dot of minority names and hides single characters', () => {
    expect(maskName('买买提·艾力')).toBe('买**·**');
    expect(maskName('王')).toBe('*');
    expect(maskName('')).toBe('');
  });
});

describe('maskAddress', () => {
  it('keeps the address up to the road and hides the house number', () => {
    expect(maskAddress('江苏省苏州市吴中区东吴北路88号3幢201室')).toBe('江苏省苏州市吴中区东吴北路****');
    expect(maskAddress('长桥街道宝带西路1001号')).toBe('长桥街道宝带西路****');
    expect(maskAddress('木渎镇金山村12组35号')).toBe('木渎镇金山村12组****');
  });

  it('leaves an address without a house number as it is, and truncates one without any street', () => {
    expect(maskAddress('东吴北路')).toBe('东吴北路');
    expect(maskAddress('苏州工业园区星海小区')).toBe('苏州工业园****');
  });
});
