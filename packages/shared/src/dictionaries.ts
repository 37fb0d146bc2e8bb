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

/** 研判处置建议 (issue 6): what the analysis suggests and the judgment decides for a clue. */
export const DISPOSALS = {
  direct: '直接办结',
  inspection: '监管检查',
  enforcement: '执法核查',
  transfer: '转办',
  reject: '不予受理',
} as const;
export type DisposalCode = keyof typeof DISPOSALS;
export const DISPOSAL_CODES = Object.keys(DISPOSALS) as DisposalCode[];

/**
 * 12315 投诉举报分类 (two levels, the `category_12315` code table of migration 0008): leaf code → label. The code
 * table in the database is what users edit; this copy is what the triage model is trained and evaluated on.
 */
export const CATEGORIES_12315 = {
  'goods.appliance': '家用电子电器',
  'goods.apparel': '服装鞋帽',
  'goods.food': '食品',
  'goods.tobacco_drinks': '烟酒饮料',
  'goods.housing_materials': '房屋及建材',
  'goods.daily': '日用商品',
  'goods.jewelry_stationery': '首饰及文体用品',
  'goods.medical': '医药及医疗用品',
  'goods.vehicle': '交通工具',
  'goods.agricultural': '农用生产资料',
  'services.living': '生活社会服务',
  'services.decoration_property': '房屋装修及物业',
  'services.tourism': '旅游',
  'services.culture_sports': '文化娱乐体育',
  'services.postal': '邮政',
  'services.telecom': '电信',
  'services.internet': '互联网',
  'services.finance': '金融',
  'services.insurance': '保险',
  'services.health': '卫生保健',
  'services.education': '教育培训',
  'services.public_facility': '公共设施',
  'services.sales': '销售服务',
  'services.other': '其他',
} as const;
export type Category12315 = keyof typeof CATEGORIES_12315;
