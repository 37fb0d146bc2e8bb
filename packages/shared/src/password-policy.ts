/**
 * The password rules of 等保三级 practice, shared so the web can show the same checklist the server enforces.
 * The numbers come from the 密码策略 setting (`security.password`); reuse of earlier passwords needs their hashes
 * and is checked by the server only.
 */
export interface PasswordRules {
  minLength: number;
  minClasses: number;
}

/** The four character classes; a password must mix `minClasses` of them. */
export const CHARACTER_CLASSES = [
  { key: 'upper', label: '大写字母', re: /[A-Z]/ },
  { key: 'lower', label: '小写字母', re: /[a-z]/ },
  { key: 'digit', label: '数字', re: /[0-9]/ },
  // Anything else that is not a space counts as a symbol (including full-width punctuation typed with a Chinese IME).
  { key: 'symbol', label: '特殊符号', re: /[^A-Za-z0-9\s]/ },
] as const;

export const MAX_PASSWORD_LENGTH = 128;

export function characterClassCount(password: string): number {
  return CHARACTER_CLASSES.filter((k) => k.re.test(password)).length;
}

/** Every way `password` breaks the rules, as Chinese sentences for the person choosing it (empty: acceptable). */
export function checkPasswordPolicy(
  rules: PasswordRules,
  password: string,
  ctx: { username: string },
): string[] {
  const reasons: string[] = [];
  const length = [...password].length;
  if (length < rules.minLength) reasons.push(`密码长度不能少于 ${rules.minLength} 位`);
  if (length > MAX_PASSWORD_LENGTH) reasons.push(`密码长度不能超过 ${MAX_PASSWORD_LENGTH} 位`);
  if (characterClassCount(password) < rules.minClasses) {
    reasons.push(`密码须包含大写字母、小写字母、数字、特殊符号中的至少 ${rules.minClasses} 类`);
  }
  if (/\s/.test(password)) reasons.push('密码不能包含空格等空白字符');
  const username = ctx.username.trim().toLowerCase();
  if (username.length >= 3 && password.toLowerCase().includes(username)) reasons.push('密码不能包含用户名');
  return reasons;
}
