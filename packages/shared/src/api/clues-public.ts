import { z } from 'zod';
import {
  CLUE_CONTENT_MAX,
  type ClueStatus,
  clueLocationSchema,
  clueRespondentInputSchema,
  PHONE_RE,
} from './clues.ts';

/**
 * 公众入口 (`/api/public/*`, no login): a citizen files a complaint, report, inquiry or suggestion and follows its
 * progress with the number and query code; Open311 clients are managed by the system administrator.
 */
export const publicClueKindSchema = z.enum(['complaint', 'report', 'inquiry', 'suggestion'], {
  message: '请选择投诉、举报、咨询或建议',
});
export type PublicClueKind = z.infer<typeof publicClueKindSchema>;

export const publicChallengeSchema = z.object({
  id: z.string(),
  /** An SVG image (drawn on the server, no external assets) of a small sum or difference to solve. */
  svg: z.string(),
  expiresAt: z.string(),
});
export type PublicChallenge = z.infer<typeof publicChallengeSchema>;

export const publicClueIntakeSchema = z
  .strictObject({
    kind: publicClueKindSchema,
    businessLine: z.string().trim().max(40).optional(),
    content: z
      .string()
      .trim()
      .min(5, '内容至少 5 个字')
      .max(CLUE_CONTENT_MAX, `内容最多 ${CLUE_CONTENT_MAX} 个字`),
    request: z.string().trim().max(2000, '诉求最多 2000 个字').optional(),
    address: z.string().trim().max(200, '地址最多 200 个字').optional(),
    location: clueLocationSchema.optional(),
    respondent: clueRespondentInputSchema.optional(),
    complainant: z
      .strictObject({
        name: z.string().trim().min(1, '姓名不能为空').max(50, '姓名最多 50 个字'),
        phone: z
          .string()
          .trim()
          .regex(PHONE_RE, '电话号码格式不正确（手机号 11 位，固定电话如 0512-12345678）'),
        address: z.string().trim().max(200, '地址最多 200 个字').optional(),
      })
      .optional(),
    /** Only a 举报 may be anonymous. */
    anonymous: z.boolean().default(false),
    /** 举报人 asks that their identity be kept confidential. */
    confidential: z.boolean().default(false),
    challengeId: z.string().trim().min(1, '请先获取验证码').max(64),
    challengeAnswer: z.string().trim().min(1, '请输入验证码').max(10, '验证码错误'),
  })
  .superRefine((v, ctx) => {
    if (v.anonymous && v.kind !== 'report') {
      ctx.addIssue({ code: 'custom', path: ['anonymous'], message: '只有举报可以匿名提交' });
    }
    if (!(v.kind === 'report' && v.anonymous) && !v.complainant) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant'],
        message: '请填写姓名和联系电话（匿名举报除外）',
      });
    }
  });
export type PublicClueIntakeInput = z.input<typeof publicClueIntakeSchema>;

export const publicClueCreatedSchema = z.object({
  number: z.string(),
  /** Shown once: with the number it opens the progress page. */
  queryCode: z.string(),
});
export type PublicClueCreated = z.infer<typeof publicClueCreatedSchema>;

/** What the public sees of a status (the internal queues are not the citizen's concern). */
export const PUBLIC_STATUS_LABELS: Record<ClueStatus, string> = {
  registering: '已收到，待登记',
  sorting: '已登记，正在分办',
  direct: '已办结',
  analysing: '已受理，正在办理',
  dispatching: '已受理，正在办理',
  handling: '已受理，正在办理',
  feedback: '已有办理结果',
  closed: '已办结',
  rejected: '不予受理',
  merged: '已并案办理',
  transferred: '已转有关部门办理',
};

export const publicClueProgressSchema = z.object({
  number: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  receivedAt: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  /** The department handling it (never an officer). */
  departmentName: z.string().nullable(),
  /** Attachments may still be added (while it is being registered). */
  acceptsAttachments: z.boolean(),
  timeline: z.array(z.object({ at: z.string(), label: z.string(), detail: z.string().nullable() })),
});
export type PublicClueProgress = z.infer<typeof publicClueProgressSchema>;

export const open311ClientSchema = z.object({
  id: z.number(),
  name: z.string(),
  enabled: z.boolean(),
  createdByName: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type Open311Client = z.infer<typeof open311ClientSchema>;

export const open311ClientCreateSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(2, '名称至少 2 个字')
    .max(60, '名称最多 60 个字')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]+$/, '名称不能包含控制字符'),
});
export const open311ClientUpdateSchema = z.strictObject({ enabled: z.boolean() });
export const open311ClientCreatedSchema = open311ClientSchema.extend({
  /** Shown once; only its hash is stored. */
  apiKey: z.string(),
});
export type Open311ClientCreated = z.infer<typeof open311ClientCreatedSchema>;
