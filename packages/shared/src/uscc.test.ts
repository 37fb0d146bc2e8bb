import { describe, expect, it } from 'vitest';
import { checkUscc, isValidUscc, usccCheckChar } from './uscc.ts';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts the published positive examples', () => {
    for (const code of ['914403001922038216', '91110000710925462X', '91110108551385082Q']) {
      expect(checkUscc(code)).toEqual({ valid: true });
    }
  });

  it('rejects a wrong check character and names the right one', () => {
    const r = checkUscc('914403001922038217');
    expect(r.valid).toBe(false);
    expect(!r.valid && r.reason).toContain('应为“6”');
  });

  it('rejects forbidden letters, wrong length and a non-numeric region code', () => {
    expect(isValidUscc('91440300192203821')).toBe(false);
    expect(checkUscc('9144030019220382I6')).toMatchObject({ valid: false });
    expect(checkUscc('91AB03001922038216')).toMatchObject({
      valid: false,
      reason: expect.stringContaining('行政区划'),
    });
  });

  it('rejects a first character that is no 登记管理部门, even with a right check character', () => {
    const body = '01110000710925462';
    expect(checkUscc(body + usccCheckChar(body))).toEqual({
      valid: false,
      reason: '第 1 位登记管理部门代码“0”不存在（应为 1–9、A、N 或 Y）',
    });
    const social = '51110000500000000';
    expect(checkUscc(social + usccCheckChar(social))).toEqual({ valid: true });
  });

  it('computes a check character that validates for any body', () => {
    const body = '92320585MA1XYW12K';
    expect(isValidUscc(body + usccCheckChar(body))).toBe(true);
  });
});
