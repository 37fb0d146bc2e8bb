import { describe, expect, it } from 'vitest';
import { characterClassCount, checkPasswordPolicy } from './password-policy.ts';

const POLICY = { minLength: 8, minClasses: 3 };

describe('password policy (等保: ≥ 8 characters, 3 of 4 character classes)', () => {
  it('accepts a long enough password that mixes three classes', () => {
    expect(checkPasswordPolicy(POLICY, 'Spring2024', { username: 'zhangsan' })).toEqual([]);
    expect(checkPasswordPolicy(POLICY, 'spring-2024', { username: 'zhangsan' })).toEqual([]);
  });

  it('explains in Chinese every rule a password breaks', () => {
    expect(checkPasswordPolicy(POLICY, 'abc', { username: 'zhangsan' })).toEqual([
      '密码长度不能少于 8 位',
      '密码须包含大写字母、小写字母、数字、特殊符号中的至少 3 类',
    ]);
    expect(checkPasswordPolicy(POLICY, 'abcdefgh12', { username: 'zhangsan' })).toEqual([
      '密码须包含大写字母、小写字母、数字、特殊符号中的至少 3 类',
    ]);
  });

  it('refuses a password containing the username, and whitespace', () => {
    expect(checkPasswordPolicy(POLICY, 'Zhangsan#1', { username: 'zhangsan' })).toEqual([
      '密码不能包含用户名',
    ]);
    expect(checkPasswordPolicy(POLICY, 'Good Pass 1', { username: 'lisi' })).toEqual([
      '密码不能包含空格等空白字符',
    ]);
  });

  it('follows the configured numbers', () => {
    const strict = { minLength: 12, minClasses: 4 };
    expect(checkPasswordPolicy(strict, 'Spring2024', { username: 'x' })).toHaveLength(2);
    expect(checkPasswordPolicy(strict, 'Spring-2024!ab', { username: 'x' })).toEqual([]);
  });

  it('counts full-width punctuation typed with a Chinese input method as a symbol', () => {
    expect(characterClassCount('abc，')).toBe(2);
    expect(checkPasswordPolicy(POLICY, 'mima2024。', { username: 'wangwu' })).toEqual([]);
  });
});
