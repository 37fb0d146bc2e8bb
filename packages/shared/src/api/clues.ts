import { z } from 'zod';

/** 线索归集 (`/api/clues*`): the clue and its intake, shared by the server's routes and the web app. */
export const clueKindSchema = z.enum(['complaint', 'report', 'inquiry', 'suggestion', 'other'], {
  message: '线索类型应为投诉、举报、咨询、建议或其他',
});
export type ClueKind = z.infer<typeof clueKindSchema>;
export const CLUE_KIND_LABELS: Record<ClueKind, string> = {
  complaint: '投诉',
  report: '举报',
  inquiry: '咨询',
  suggestion: '建议',
  other: '其他',
};

/** Values of the `clue_channel` code table (migration 0008). */
export const clueChannelSchema = z.enum(
  [
    '12315',
    '12345',
    'phone',
    'visit',
    'letter',
    'superior',
    'transfer',
    'online',
    'open311',
    'sensing',
    'analysis',
    'inspection',
    'enforcement',
    'supervision',
  ],
  { message: '来源渠道无效' },
);
export type ClueChannel = z.infer<typeof clueChannelSchema>;
export const CLUE_CHANNEL_LABELS: Record<ClueChannel, string> = {
  '12315': '12315',
  '12345': '12345',
  phone: '来电',
  visit: '来访',
  letter: '来信',
  superior: '上级交办',
  transfer: '部门移送',
  online: '网上/自助终端',
  open311: 'Open311',
  sensing: '感知告警',
  analysis: '研判分析',
  inspection: '监管发现',
  enforcement: '执法发现',
  supervision: '监督发现',
};
/** Channels a member of staff enters by hand (on behalf of a citizen or an authority). */
export const STAFF_CHANNELS = ['phone', 'visit', 'letter', 'superior', 'transfer', '12315', '12345'] as const;

export const clueStatusSchema = z.enum([
  'registering',
  'sorting',
  'direct',
  'analysing',
  'dispatching',
  'handling',
  'feedback',
  'closed',
  'rejected',
  'merged',
  'transferred',
]);
export type ClueStatus = z.infer<typeof clueStatusSchema>;
export const CLUE_STATUS_LABELS: Record<ClueStatus, string> = {
  registering: '待登记',
  sorting: '待分拣',
  direct: '直接办结',
  analysing: '待研判',
  dispatching: '待调度',
  handling: '办理中',
  feedback: '待反馈',
  closed: '已办结',
  rejected: '不予受理',
  merged: '已并案',
  transferred: '已转办',
};

export const clueTransitionActionSchema = z.enum([
  'register',
  'answer',
  'toAnalysis',
  'toDispatch',
  'startHandling',
  'recordResult',
  'close',
  'reject',
  'transfer',
  'merge',
  'reopen',
  'returnToDispatch',
]);
export type ClueTransitionAction = z.infer<typeof clueTransitionActionSchema>;

export const satisfactionSchema = z.enum(['satisfied', 'basically', 'unsatisfied']);
export type Satisfaction = z.infer<typeof satisfactionSchema>;
export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically: '基本满意',
  unsatisfied: '不满意',
};

/** Mainland mobile or landline (区号-号码, optional extension). */
export const PHONE_RE = /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$/;
const phone = z
  .string()
  .trim()
  .regex(PHONE_RE, '电话号码格式不正确（手机号 11 位，固定电话如 0512-12345678）');
/** 18-character resident ID; the check character is verified by the server. */
const idCard = z
  .string()
  .trim()
  .regex(/^\d{17}[\dXx]$/, '身份证号应为 18 位');

export const clueLocationSchema = z.strictObject({
  lng: z.number().min(73, '经度超出范围').max(136, '经度超出范围'),
  lat: z.number().min(3, '纬度超出范围').max(54, '纬度超出范围'),
});

export const cluePersonInputSchema = z.strictObject({
  name: z.string().trim().min(1, '姓名不能为空').max(50, '姓名最多 50 个字'),
  phone: phone.optional(),
  idCard: idCard.optional(),
  address: z.string().trim().max(200, '地址最多 200 个字').optional(),
  /** A 举报 informant who gives their real identity (告知 obligations apply, DOMAIN.md §1.1). */
  realName: z.boolean().default(true),
});
export type CluePersonInput = z.infer<typeof cluePersonInputSchema>;

export const clueRespondentInputSchema = z.strictObject({
  name: z.string().trim().max(100, '被投诉（举报）对象名称最多 100 个字').default(''),
  uscc: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '统一社会信用代码应为 18 位')
    .optional(),
  address: z.string().trim().max(200, '地址最多 200 个字').default(''),
});

/** Upper bound of a clue's text: a letter of some pages fits, a pasted book does not. */
export const CLUE_CONTENT_MAX = 20_000;

export const clueIntakeSchema = z.strictObject({
  kind: clueKindSchema,
  channel: clueChannelSchema,
  businessLine: z.string().trim().max(40).optional(),
  category12315: z.string().trim().max(60).optional(),
  title: z.string().trim().max(100, '标题最多 100 个字').optional(),
  content: z
    .string()
    .trim()
    .min(5, '内容至少 5 个字')
    .max(CLUE_CONTENT_MAX, `内容最多 ${CLUE_CONTENT_MAX} 个字`),
  request: z.string().trim().max(2000, '诉求最多 2000 个字').optional(),
  /** When the clue was received (a letter's postmark day); defaults to now, never in the future. */
  receivedAt: z.iso.datetime({ offset: true, message: '收到时间格式无效' }).optional(),
  address: z.string().trim().max(200, '地址最多 200 个字').optional(),
  location: clueLocationSchema.optional(),
  gridId: z.number().int().positive().optional(),
  entityId: z.number().int().positive().optional(),
  respondent: clueRespondentInputSchema.optional(),
  complainant: cluePersonInputSchema.optional(),
  /** 举报人 asks that their identity be kept confidential (always honoured towards the reported party). */
  confidential: z.boolean().default(false),
  anonymous: z.boolean().default(false),
  /** Receiving department; defaults to the station of the grid or entity, else the bureau. */
  departmentId: z.number().int().positive().optional(),
});
export type ClueIntakeInput = z.input<typeof clueIntakeSchema>;
export type ClueIntake = z.output<typeof clueIntakeSchema>;

export const clueSummarySchema = z.object({
  id: z.number(),
  number: z.string(),
  kind: clueKindSchema,
  channel: z.string(),
  status: clueStatusSchema,
  title: z.string(),
  businessLine: z.string().nullable(),
  category12315: z.string().nullable(),
  receivedAt: z.string(),
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  gridId: z.number().nullable(),
  gridName: z.string().nullable(),
  entityId: z.number().nullable(),
  respondentName: z.string(),
  externalNo: z.string().nullable(),
  mergedIntoId: z.number().nullable(),
});
export type ClueSummary = z.infer<typeof clueSummarySchema>;

export const cluePageSchema = z.object({
  items: z.array(clueSummarySchema),
  total: z.number(),
  totalCapped: z.boolean(),
  nextAfter: z.string().nullable(),
});
export type CluePage = z.infer<typeof cluePageSchema>;

export const cluePartyViewSchema = z.object({
  id: z.number(),
  role: z.enum(['complainant', 'informant']),
  nameMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  idCardMasked: z.string().nullable(),
  addressMasked: z.string().nullable(),
  realName: z.boolean(),
  channel: z.string(),
  originalClueId: z.number(),
});
export type CluePartyView = z.infer<typeof cluePartyViewSchema>;

export const clueAttachmentViewSchema = z.object({
  id: z.number(),
  fileName: z.string(),
  mime: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
  uploadedByName: z.string(),
});
export type ClueAttachmentView = z.infer<typeof clueAttachmentViewSchema>;

export const clueEventSchema = z.object({
  id: z.number(),
  occurredAt: z.string(),
  actorName: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type ClueEvent = z.infer<typeof clueEventSchema>;

export const clueActionViewSchema = z.object({
  action: clueTransitionActionSchema,
  label: z.string(),
  to: clueStatusSchema,
});

export const clueDetailSchema = clueSummarySchema.extend({
  content: z.string(),
  request: z.string(),
  receiptDay: z.string(),
  regulation: z.string(),
  ruleEffectiveFrom: z.string(),
  stationId: z.number().nullable(),
  address: z.string(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  respondentUscc: z.string().nullable(),
  respondentAddress: z.string(),
  confidential: z.boolean(),
  anonymous: z.boolean(),
  externalSource: z.string().nullable(),
  originType: z.string().nullable(),
  originId: z.string().nullable(),
  splitFromId: z.number().nullable(),
  sortSuggestion: z.record(z.string(), z.unknown()),
  resolution: z.record(z.string(), z.unknown()),
  resultSummary: z.string(),
  closedAt: z.string().nullable(),
  satisfaction: satisfactionSchema.nullable(),
  satisfactionReason: z.string(),
  createdByName: z.string(),
  version: z.number(),
  parties: z.array(cluePartyViewSchema),
  attachments: z.array(clueAttachmentViewSchema),
  /** Clues merged into this one (并案): their numbers, channels and receipt times. */
  mergedClues: z.array(
    z.object({ id: z.number(), number: z.string(), channel: z.string(), receivedAt: z.string() }),
  ),
  timeline: z.array(clueEventSchema),
  actions: z.array(clueActionViewSchema),
});
export type ClueDetail = z.infer<typeof clueDetailSchema>;

export const clueCreatedSchema = z.object({
  id: z.number(),
  number: z.string(),
  status: clueStatusSchema,
  /** Shown once to the citizen (public channels): with the number it opens the progress page. */
  queryCode: z.string().nullable(),
});
export type ClueCreated = z.infer<typeof clueCreatedSchema>;

/** Body of `POST /api/clues/:id/transitions`: the action, the version the user saw, and what the action needs. */
export const clueTransitionSchema = z.strictObject({
  action: clueTransitionActionSchema,
  version: z.number().int().positive(),
  note: z.string().trim().max(2000, '说明最多 2000 个字').optional(),
  answer: z.string().trim().min(2, '答复内容至少 2 个字').max(5000, '答复内容最多 5000 个字').optional(),
  result: z.string().trim().min(2, '办理结果至少 2 个字').max(5000, '办理结果最多 5000 个字').optional(),
  groundCode: z.string().trim().min(1).max(60).optional(),
  agency: z.string().trim().min(2, '接收机关至少 2 个字').max(100, '接收机关最多 100 个字').optional(),
  targetId: z.number().int().positive().optional(),
  reason: z.string().trim().min(2, '原因至少 2 个字').max(1000, '原因最多 1000 个字').optional(),
});
export type ClueTransitionInput = z.infer<typeof clueTransitionSchema>;

export const clueMachineSchema = z.object({
  states: z.array(z.object({ value: clueStatusSchema, label: z.string() })),
  edges: z.array(
    z.object({
      action: clueTransitionActionSchema,
      label: z.string(),
      from: z.array(clueStatusSchema),
      to: clueStatusSchema,
      permission: z.string(),
    }),
  ),
});
