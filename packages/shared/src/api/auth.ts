import { z } from 'zod';

/**
 * A signed-in session that must put the account in order before anything else: change an initial, reset or
 * expired password (`password_change`), or enroll the TOTP second factor its role requires (`mfa_enroll`).
 */
export const sessionRestrictionSchema = z.enum(['password_change', 'mfa_enroll']);
export type SessionRestriction = z.infer<typeof sessionRestrictionSchema>;

/** The signed-in user, as `POST /api/auth/login` and `GET /api/auth/me` return it. */
export const sessionUserSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  isDemo: z.boolean(),
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  csrfToken: z.string(),
  /** Null for a normal session; otherwise only the account pages work until it is resolved. */
  restriction: sessionRestrictionSchema.nullable(),
  /** The account has an active TOTP second factor. */
  mfaEnabled: z.boolean(),
  /** The security policy requires a second factor for this account (it cannot be switched off). */
  mfaRequired: z.boolean(),
  /** When the current password expires (ISO time); null when passwords do not expire for this account. */
  passwordExpiresAt: z.string().nullable(),
});
export type SessionUserView = z.infer<typeof sessionUserSchema>;

/** `GET /api/auth/password-policy`: the rules a new password must meet (from the 密码策略 setting). */
export const passwordRulesSchema = z.object({
  minLength: z.number(),
  minClasses: z.number(),
  /** 0: passwords do not expire. */
  expiryDays: z.number(),
  /** The new password may not be any of the last N (0: no limit). */
  historyCount: z.number(),
});
export type PasswordRulesView = z.infer<typeof passwordRulesSchema>;

/** `POST /api/auth/totp/enroll`: what an authenticator app needs; valid until a first code confirms it. */
export const totpEnrollmentSchema = z.object({
  otpauthUrl: z.string(),
  /** PNG data URL of the QR code of `otpauthUrl`. */
  qrDataUrl: z.string(),
  /** Base32 secret for apps that cannot scan. */
  secretForManualEntry: z.string(),
  issuer: z.string(),
  accountName: z.string(),
});
export type TotpEnrollment = z.infer<typeof totpEnrollmentSchema>;

/** One signed-in session in 在线用户 (`GET /api/system/sessions`). `id` is opaque, never the cookie token. */
export const onlineSessionSchema = z.object({
  id: z.string(),
  userId: z.number(),
  username: z.string(),
  displayName: z.string(),
  departmentName: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  restriction: sessionRestrictionSchema.nullable(),
  /** The session making this request (it cannot be force-logged-out; use 退出登录). */
  current: z.boolean(),
});
export type OnlineSession = z.infer<typeof onlineSessionSchema>;

export const onlineSessionListSchema = z.object({
  items: z.array(onlineSessionSchema),
  total: z.number(),
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: z.number().nullable(),
});
export type OnlineSessionList = z.infer<typeof onlineSessionListSchema>;
