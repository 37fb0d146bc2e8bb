import { z } from 'zod';
import { BUILTIN_ROLES } from '../org/roles.ts';
import { defineSetting } from '../settings/settings.define.ts';

/** Security settings of sign-in (group 'security': edited by the 安全管理员). Defaults follow 等保三级 practice. */

export const passwordPolicySetting = defineSetting({
  key: 'security.password',
  group: 'security',
  label: '密码策略',
  description:
    '口令复杂度、有效期与历史口令限制（等保三级：长度不少于 8 位、至少 3 类字符、定期更换）。初始密码和管理员重置的密码须在首次登录时修改。',
  schema: z.strictObject({
    minLength: z.number().int('应为整数').min(8, '不能少于 8 位').max(64, '不能超过 64 位'),
    minClasses: z.number().int('应为整数').min(1, '不能少于 1 类').max(4, '最多 4 类'),
    expiryDays: z.number().int('应为整数').min(0, '不能为负数').max(3650, '不能超过 3650 天'),
    historyCount: z.number().int('应为整数').min(0, '不能为负数').max(24, '不能超过 24 个'),
  }),
  default: { minLength: 8, minClasses: 3, expiryDays: 90, historyCount: 5 },
  fields: {
    minLength: { label: '最小长度', type: 'number', unit: '位', min: 8, max: 64 },
    minClasses: {
      label: '至少包含的字符类别数',
      type: 'number',
      unit: '类',
      min: 1,
      max: 4,
      help: '字符类别：大写字母、小写字母、数字、特殊符号。',
    },
    expiryDays: {
      label: '密码有效期',
      type: 'number',
      unit: '天',
      min: 0,
      max: 3650,
      help: '到期后登录须先修改密码；0 表示不过期。',
    },
    historyCount: {
      label: '不得重复使用最近的密码个数',
      type: 'number',
      unit: '个',
      min: 0,
      max: 24,
      help: '0 表示不限制。',
    },
  },
});

export const lockoutSetting = defineSetting({
  key: 'security.lockout',
  group: 'security',
  label: '登录失败锁定',
  description: '连续登录失败达到次数后锁定账号一段时间；锁定期间即使密码正确也不能登录。',
  schema: z.strictObject({
    maxFailures: z.number().int('应为整数').min(3, '不能少于 3 次').max(20, '不能超过 20 次'),
    lockMinutes: z.number().int('应为整数').min(10, '不能少于 10 分钟').max(1440, '不能超过 1440 分钟'),
  }),
  default: { maxFailures: 5, lockMinutes: 10 },
  fields: {
    maxFailures: { label: '连续失败次数', type: 'number', unit: '次', min: 3, max: 20 },
    lockMinutes: { label: '锁定时长', type: 'number', unit: '分钟', min: 10, max: 1440 },
  },
});

export const sessionSetting = defineSetting({
  key: 'security.session',
  group: 'security',
  label: '会话超时',
  description:
    '无操作超时与会话最长有效期。留空表示沿用服务器启动参数（RONGJIAN_SESSION_IDLE_MINUTES，默认 30 分钟；RONGJIAN_SESSION_MAX_HOURS，默认 12 小时）。',
  schema: z.strictObject({
    idleMinutes: z
      .number()
      .int('应为整数')
      .min(1, '不能少于 1 分钟')
      .max(1440, '不能超过 1440 分钟')
      .nullable(),
    maxHours: z.number().int('应为整数').min(1, '不能少于 1 小时').max(72, '不能超过 72 小时').nullable(),
  }),
  default: { idleMinutes: null, maxHours: null },
  fields: {
    idleMinutes: {
      label: '无操作超时',
      type: 'number',
      unit: '分钟',
      min: 1,
      max: 1440,
      help: '等保三级要求不超过 30 分钟。',
    },
    maxHours: { label: '会话最长有效期', type: 'number', unit: '小时', min: 1, max: 72 },
  },
});

export const mfaSetting = defineSetting({
  key: 'security.mfa',
  group: 'security',
  label: '双因素认证',
  description:
    '动态口令（TOTP，兼容常见身份验证器应用）。对要求的角色，未绑定动态口令的账号登录后须先完成绑定。',
  schema: z.strictObject({
    requireForAll: z.boolean(),
    requiredRoles: z.array(z.string().min(1).max(64)).max(100),
  }),
  default: { requireForAll: false, requiredRoles: ['sysadmin', 'secadmin', 'auditor'] },
  fields: {
    requireForAll: { label: '所有用户必须启用', type: 'boolean' },
    requiredRoles: {
      label: '必须启用的角色',
      type: 'string[]',
      options: BUILTIN_ROLES.map((r) => ({ value: r.code, label: r.name })),
      help: '等保三级要求管理员使用两种以上鉴别方式；默认三类管理员必须启用。',
    },
  },
});

export type PasswordPolicy = z.infer<typeof passwordPolicySetting.schema>;
export type LockoutPolicy = z.infer<typeof lockoutSetting.schema>;
export type MfaPolicy = z.infer<typeof mfaSetting.schema>;
