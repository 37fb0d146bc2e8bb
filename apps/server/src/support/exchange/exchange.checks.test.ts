import { describe, expect, it } from 'vitest';
import { idCard } from '../../../test/exchange-fixtures.ts';
import {
  idCardProblem,
  isRegionCode,
  normalisePhone,
  parseAmount,
  parseDate,
  parseDateTime,
  registrationNoCheckDigit,
  registrationNoProblem,
} from './exchange.checks.ts';

const TODAY = '2026-01-15';

describe('exchange field checks', () => {
  it('accepts the usual ways exports write a date, and only real dates', () => {
    expect(['2024-02-29', '2024/2/29', '2024.02.29', '2024年2月29日', '20240229'].map(parseDate)).toEqual(
      Array(5).fill('2024-02-29'),
    );
    expect(['2023-02-29', '2024-13-01', '2024-00-10', '明天', ''].map(parseDate)).toEqual(
      Array(5).fill(null),
    );
  });

  it('reads 更新时间 in China time unless a zone is given', () => {
    expect(parseDateTime('2025-06-01 09:30:00')).toBe('2025-06-01T01:30:00.000Z');
    expect(parseDateTime('2025-06-01T09:30:00Z')).toBe('2025-06-01T09:30:00.000Z');
    expect(parseDateTime('2025-06-01T09:30:00+0000')).toBe('2025-06-01T09:30:00.000Z');
    expect(parseDateTime('2025/6/1')).toBe('2025-05-31T16:00:00.000Z');
    expect(parseDateTime('2025-06-01 25:00')).toBeNull();
  });

  it('checks a 公民身份号码: length, region, birth date, ISO 7064 MOD 11-2 check character', () => {
    const good = idCard(42);
    expect(idCardProblem(good, TODAY)).toBeNull();
    // Published sample number of GB 11643-1999 (check character X).
    expect(idCardProblem('11010519491231002X', TODAY)).toBeNull();
    const wrong = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    expect(idCardProblem(wrong, TODAY)).toBe(`校验位错误：应为 ${good[17]}`);
    expect(idCardProblem('32050019800231001X', TODAY)).toBe('出生日期“19800231”不是有效日期');
    expect(idCardProblem('320500203001010015', TODAY)).toBe('出生日期晚于今天');
    expect(idCardProblem('990500198001010011', TODAY)).toBe('地址码“990500”不是有效的行政区划代码');
    expect(idCardProblem('32050019800101001', TODAY)).toBe('应为 18 位，实际 17 位');
    expect(idCardProblem('3205001980010100AX', TODAY)).toBe('前 17 位应为数字');
  });

  it('accepts mobiles and landlines with an area code, nothing else', () => {
    expect(normalisePhone('138 1234 5678')).toBe('13812345678');
    expect(normalisePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(normalisePhone('0512-65123456')).toBe('051265123456');
    expect(normalisePhone('(010)87654321')).toBe('01087654321');
    expect(
      ['12812345678', '1381234567', '65123456', '00512651234', '138一二三四5678'].map(normalisePhone),
    ).toEqual(Array(5).fill(null));
  });

  it('checks a 注册号 by ISO 7064 MOD 11,10', () => {
    const body = '32050860000012';
    const no = body + registrationNoCheckDigit(body);
    expect(registrationNoProblem(no)).toBeNull();
    // Any single changed digit breaks the check.
    for (let i = 0; i < 15; i++) {
      const changed = no.slice(0, i) + String((Number(no[i]) + 3) % 10) + no.slice(i + 1);
      expect(registrationNoProblem(changed)).not.toBeNull();
    }
    expect(registrationNoProblem('3205086000001')).toBe('应为 15 位数字');
  });

  it('knows GB/T 2260 provinces and reads amounts', () => {
    expect(isRegionCode('320508')).toBe(true);
    expect(isRegionCode('990000')).toBe(false);
    expect(isRegionCode('32050')).toBe(false);
    expect(['5,000.00', '5000元', '0.5'].map(parseAmount)).toEqual([5000, 5000, 0.5]);
    expect(['-1', '1.234', '五千'].map(parseAmount)).toEqual([null, null, null]);
  });
});
