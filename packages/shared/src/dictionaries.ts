/** 码表 shared by server and web. Codes are English identifiers; labels are what users see. */

/** 业务条线 (DOMAIN.md §1.4). */
export const BUSINESS_LINES = [
  '登记注册',
  '信用监管',
  '食品',
  '药品/医疗器械/化妆品',
  '特种设备',
  '产品质量',
  '价格/反不正当竞争',
  '广告',
  '网络交易',
  '计量',
  '标准化',
  '认证认可/检验检测',
  '知识产权',
  '消费者权益保护',
  '执法稽查',
] as const;
export type BusinessLine = (typeof BUSINESS_LINES)[number];

export const ENTITY_TYPES = {
  enterprise: '企业',
  individual: '个体工商户',
  cooperative: '农民专业合作社',
} as const;
export type EntityTypeCode = keyof typeof ENTITY_TYPES;

export const DEPARTMENT_KINDS = {
  bureau: '局',
  office: '科室',
  branch: '分局',
  station: '市场监管所',
} as const;

export const DATA_SCOPES = {
  all: '全部',
  custom: '指定部门',
  department: '本部门',
  department_tree: '本部门及以下',
  self: '仅本人',
} as const;

export const RISK_CLASSES = { A: '低风险', B: '一般风险', C: '较高风险', D: '高风险' } as const;
export type RiskClass = keyof typeof RISK_CLASSES;
