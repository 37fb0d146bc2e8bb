/**
 * Password policy checks (`checkPasswordPolicy(policy, password, { username })` → Chinese reasons). The rules
 * themselves live in @rongjian/shared so the web's checklist is the server's; the numbers come from the
 * 密码策略 setting. Reuse of the last N passwords is checked in `setUserPassword` (auth.passwords.ts).
 */
export {
  CHARACTER_CLASSES,
  characterClassCount,
  checkPasswordPolicy,
  MAX_PASSWORD_LENGTH,
  type PasswordRules,
} from '@rongjian/shared/password-policy';
export type { PasswordPolicy } from './auth.settings.ts';
