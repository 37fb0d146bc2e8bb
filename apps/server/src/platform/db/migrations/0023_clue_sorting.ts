import { type Kysely, sql } from 'kysely';

// 分拣与并案 (supervision/clues): sorting rules as data, staff corrections (the learning classifier of issue 6
// reads them), duplicate pairs for the 并案 queue, 不予受理 grounds with effective dates, and the 转办函 counter.

type Rule = [
  name: string,
  priority: number,
  keywordsAny: string[],
  suggest: { kind?: string; businessLine?: string; category12315?: string; route?: string },
  keywordsAll?: string[],
];

/** A realistic starting set; bureaus edit them on the 分拣规则 page. Higher priority wins a field first. */
const RULES: Rule[] = [
  [
    '咨询类',
    300,
    ['咨询', '请问', '怎么办理', '如何办理', '怎样办理', '需要什么材料', '流程是什么'],
    { kind: 'inquiry', route: 'direct' },
  ],
  ['举报类', 250, ['举报', '实名举报', '检举', '揭发'], { kind: 'report', route: 'analysis' }],
  ['建议类', 240, ['建议', '意见建议'], { kind: 'suggestion', route: 'direct' }],
  [
    '食品安全',
    200,
    [
      '过期',
      '变质',
      '异物',
      '发霉',
      '食物中毒',
      '吃坏',
      '拉肚子',
      '食品',
      '餐馆',
      '饭店',
      '外卖',
      '保质期',
      '无证经营',
    ],
    { businessLine: '食品', category12315: 'goods.food', route: 'dispatch' },
  ],
  [
    '特种设备',
    200,
    ['电梯', '锅炉', '气瓶', '压力容器', '起重机', '游乐设施', '叉车', '困人'],
    { businessLine: '特种设备', category12315: 'services.public_facility', route: 'dispatch' },
  ],
  [
    '药品医疗器械化妆品',
    200,
    ['药店', '处方药', '药品', '医疗器械', '化妆品', '假药', '口罩', '保健品'],
    { businessLine: '药品/医疗器械/化妆品', category12315: 'goods.medical', route: 'dispatch' },
  ],
  [
    '计量',
    190,
    ['缺斤短两', '短斤少两', '秤', '计量', '加油机', '电子秤', '分量不足'],
    { businessLine: '计量', category12315: 'goods.daily', route: 'dispatch' },
  ],
  [
    '价格',
    180,
    ['价格', '标价', '乱收费', '价格欺诈', '明码标价', '哄抬', '高价'],
    { businessLine: '价格/反不正当竞争', category12315: 'services.sales', route: 'analysis' },
  ],
  [
    '广告',
    180,
    ['虚假宣传', '广告', '夸大宣传', '最佳', '国家级'],
    { businessLine: '广告', route: 'analysis' },
  ],
  [
    '网络交易',
    170,
    ['网购', '直播', '平台', '网店', '电商', '快递', '七天无理由', '淘宝', '拼多多', '抖音'],
    { businessLine: '网络交易', category12315: 'services.internet', route: 'analysis' },
  ],
  [
    '登记注册',
    160,
    ['营业执照', '注册', '登记', '注销', '变更登记', '年报', '冒用身份'],
    { businessLine: '登记注册', route: 'direct' },
  ],
  [
    '知识产权',
    160,
    ['商标', '假冒', '山寨', '专利', '侵权'],
    { businessLine: '知识产权', route: 'analysis' },
  ],
  [
    '产品质量',
    150,
    ['质量问题', '劣质', '不合格', '以次充好', '三无产品', '假冒伪劣'],
    { businessLine: '产品质量', category12315: 'goods.daily', route: 'dispatch' },
  ],
  [
    '消费者权益',
    100,
    ['退款', '退货', '预付卡', '办卡', '跑路', '不退', '霸王条款', '售后'],
    { businessLine: '消费者权益保护', category12315: 'services.living', route: 'dispatch' },
  ],
  ['装修物业', 100, ['装修', '物业'], { category12315: 'services.decoration_property' }],
  ['教育培训', 100, ['培训', '课程', '辅导班'], { category12315: 'services.education' }],
  [
    '家用电器',
    100,
    ['空调', '冰箱', '洗衣机', '电视', '手机', '热水器'],
    { category12315: 'goods.appliance' },
  ],
  ['服装鞋帽', 100, ['衣服', '鞋', '服装', '帽'], { category12315: 'goods.apparel' }],
  ['烟酒饮料', 110, ['白酒', '香烟', '饮料', '啤酒', '假酒'], { category12315: 'goods.tobacco_drinks' }],
];

type Ground = [
  code: string,
  regulation: string,
  article: string,
  label: string,
  note: string,
  from: string,
  to: string | null,
  sort: number,
];

const O20 = '《市场监督管理投诉举报处理暂行办法》（总局令第20号）';
const O121 = '《市场监督管理投诉举报处理办法》（总局令第121号）';
const N20 = '[P] 条文内容据实务资料整理，使用前请与正式文本核对。';
const N121 = '[P] 第121号令条款号与表述据公开资料整理，待与正式文本核对。';
const N121U = '[U] 第121号令新增情形，表述未经正式文本核实。';
const END20 = '2026-04-14';
const START121 = '2026-04-15';

const GROUNDS: Ground[] = [
  [
    'o20.out_of_duty',
    O20,
    '第十五条第一款第（一）项',
    '投诉事项不属于市场监督管理部门职责，或者本行政机关不具有处理权限',
    N20,
    '2020-01-01',
    END20,
    10,
  ],
  [
    'o20.handled_elsewhere',
    O20,
    '第十五条第一款第（二）项',
    '法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议',
    N20,
    '2020-01-01',
    END20,
    20,
  ],
  [
    'o20.not_consumption',
    O20,
    '第十五条第一款第（三）项',
    '不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议',
    N20,
    '2020-01-01',
    END20,
    30,
  ],
  [
    'o20.over_three_years',
    O20,
    '第十五条第一款第（四）项',
    '除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年',
    N20,
    '2020-01-01',
    END20,
    40,
  ],
  [
    'o20.materials_missing',
    O20,
    '第十五条第一款第（五）项',
    '未提供规定的投诉材料（投诉人、被投诉人信息，诉求、主要事实和证据等）',
    N20,
    '2020-01-01',
    END20,
    50,
  ],
  [
    'o20.other_legal',
    O20,
    '第十五条第一款第（六）项',
    '法律、法规、规章规定不予受理的其他情形',
    N20,
    '2020-01-01',
    END20,
    60,
  ],
  [
    'o121.out_of_duty',
    O121,
    '第十六条第（一）项',
    '投诉事项不属于市场监督管理部门职责，或者本行政机关不具有处理权限',
    N121,
    START121,
    null,
    110,
  ],
  [
    'o121.handled_elsewhere',
    O121,
    '第十六条第（二）项',
    '法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议',
    N121,
    START121,
    null,
    120,
  ],
  [
    'o121.not_consumption',
    O121,
    '第十六条第（三）项',
    '不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议',
    N121,
    START121,
    null,
    130,
  ],
  [
    'o121.over_three_years',
    O121,
    '第十六条第（四）项',
    '除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年',
    N121,
    START121,
    null,
    140,
  ],
  ['o121.materials_missing', O121, '第十六条第（五）项', '未提供规定的投诉材料', N121, START121, null, 150],
  ['o121.false_materials', O121, '第十六条第（六）项', '提供虚假投诉材料', N121U, START121, null, 160],
  [
    'o121.identity',
    O121,
    '第十六条第（七）项',
    '冒用他人名义投诉，或者拒绝核实身份',
    N121U,
    START121,
    null,
    170,
  ],
  [
    'o121.other_legal',
    O121,
    '第十六条第（八）项',
    '法律、法规、规章规定不予受理的其他情形',
    N121,
    START121,
    null,
    180,
  ],
];

// Same normalisation as `normaliseName` in clues.duplicates.ts (spaces and punctuation removed, lower case).
const NAME_NORM = `lower(regexp_replace(respondent_name, '[[:space:]()（）【】·,，.。、_/-]', '', 'g'))`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create table clue_sort_rule (
      id bigint generated by default as identity primary key,
      name text not null,
      priority integer not null default 100,
      enabled boolean not null default true,
      match jsonb not null,
      suggest jsonb not null,
      created_by bigint,
      created_by_name text not null default '',
      created_at timestamptz not null default now(),
      updated_by bigint,
      updated_by_name text not null default '',
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`,
    sql`create table clue_sort_feedback (
      id bigint generated by default as identity primary key,
      clue_id bigint not null references clue(id) on delete cascade,
      suggested jsonb not null,
      confirmed jsonb not null,
      changed_fields text[] not null,
      classifier text,
      actor_id bigint,
      actor_name text not null default '',
      at timestamptz not null default now()
    )`,
    sql`create index clue_sort_feedback_clue_idx on clue_sort_feedback (clue_id)`,
    sql`create index clue_sort_feedback_at_idx on clue_sort_feedback (at)`,
    sql`create table clue_duplicate_candidate (
      id bigint generated by default as identity primary key,
      clue_id bigint not null references clue(id) on delete cascade,
      candidate_id bigint not null references clue(id) on delete cascade,
      score real not null,
      reasons jsonb not null,
      status text not null default 'open' check (status in ('open','merged','dismissed')),
      department_id bigint,
      created_at timestamptz not null default now(),
      decided_by bigint,
      decided_by_name text,
      decided_at timestamptz,
      unique (clue_id, candidate_id)
    )`,
    sql`create index clue_duplicate_open_idx on clue_duplicate_candidate (id) where status = 'open'`,
    sql`create index clue_duplicate_candidate_idx on clue_duplicate_candidate (candidate_id)`,
    sql.raw(
      `create index clue_respondent_norm_idx on clue ((${NAME_NORM}), received_at desc) where respondent_name <> ''`,
    ),
    sql`create table clue_refusal_ground (
      id bigint generated by default as identity primary key,
      code text not null unique,
      regulation text not null,
      article text not null,
      label text not null,
      note text not null default '',
      effective_from text not null,
      effective_to text,
      sort integer not null default 100,
      enabled boolean not null default true,
      updated_at timestamptz not null default now(),
      check (effective_to is null or effective_to >= effective_from)
    )`,
    sql`create table clue_transfer_counter (
      year integer primary key,
      last integer not null
    )`,
  ]) {
    await stmt.execute(db);
  }
  for (const [name, priority, keywordsAny, suggest, keywordsAll] of RULES) {
    const match = {
      keywordsAny,
      keywordsAll: keywordsAll ?? [],
      fields: ['title', 'content'],
      channels: [],
      kinds: [],
    };
    await sql`insert into clue_sort_rule (name, priority, enabled, match, suggest, created_by_name, updated_by_name)
      values (${name}, ${priority}, true, ${JSON.stringify(match)}::jsonb, ${JSON.stringify(suggest)}::jsonb, '系统', '系统')`.execute(
      db,
    );
  }
  for (const [code, regulation, article, label, note, from, to, sort] of GROUNDS) {
    await sql`insert into clue_refusal_ground (code, regulation, article, label, note, effective_from, effective_to, sort)
      values (${code}, ${regulation}, ${article}, ${label}, ${note}, ${from}, ${to}, ${sort})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists clue_respondent_norm_idx`.execute(db);
  for (const t of [
    'clue_transfer_counter',
    'clue_refusal_ground',
    'clue_duplicate_candidate',
    'clue_sort_feedback',
    'clue_sort_rule',
  ]) {
    await sql`drop table if exists ${sql.table(t)} cascade`.execute(db);
  }
}
