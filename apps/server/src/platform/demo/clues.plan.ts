import type { ClueChannel, ClueKind, ClueStatus } from '@rongjian/shared/api';
import type { GridPlan } from './county.ts';
import { samplePointInGrid } from './county.ts';
import type { EntityPlan } from './entities.ts';
import { personName } from './names.ts';
import { createRng, type Rng, weightedPicker } from './random.ts';

/**
 * Six months of the demo county's clues, planned from the seed (pure): who complained about which shop, through
 * which channel, when, and how far the bureau has got with it. Texts come from templates per business line with
 * the county's real shop names, goods, sums and dates, in the registers people actually use (plain, angry,
 * colloquial, with the odd typo), so the list, the sorting rules and later the classifier have something real.
 */
export interface PlannedClue {
  kind: ClueKind;
  channel: ClueChannel;
  businessLine: string;
  category12315: string | null;
  content: string;
  request: string;
  /** Index into the entity plan, or null when the respondent is unknown or not a registered entity. */
  entityIndex: number | null;
  respondentName: string;
  address: string;
  location: { lng: number; lat: number } | null;
  receivedAt: string;
  complainant: { name: string; phone: string; realName: boolean } | null;
  confidential: boolean;
  externalNo: string | null;
  /** Where the clue stands today. */
  finalStatus: ClueStatus;
  /** The answer or the result recorded (closed, direct, feedback), or the refusal ground code. */
  outcome: string;
  /** Days after receipt at which the last step happened. */
  settledAfterDays: number;
}

type Template = {
  line: string;
  category: string | null;
  kinds: ClueKind[];
  texts: string[];
  requests: string[];
  /** Trade name fragments of respondents this template fits (any entity when empty). */
  trades: string[];
};

const GOODS = {
  food: ['酸奶', '熟牛肉', '月饼', '面包', '鲜牛奶', '卤菜', '火锅底料', '散装白酒', '冷冻水饺', '蛋糕'],
  drug: ['感冒药', '血压计', '口罩', '面霜', '维生素片', '创可贴', '防晒霜', '助听器'],
  goods: ['电动车', '热水器', '羽绒服', '手机', '电饭煲', '儿童玩具', '运动鞋', '燃气灶'],
};

const TEMPLATES: Template[] = [
  {
    line: '食品',
    category: 'goods.food',
    kinds: ['complaint', 'complaint', 'report'],
    texts: [
      '我{date}在{shop}买的{good}，回家打开发现已经过期了，生产日期是去年的，要求退款赔偿。',
      '{date}在{shop}吃饭，菜里吃出一根头发，跟老板说了还态度很差，不给处理。',
      '在{shop}买了{good}，吃完以后全家拉肚子，怀疑食品变质，有购物小票。',
      '举报{shop}后厨卫生很差，老鼠乱跑，生熟不分，希望你们去查一查。',
      '{shop}卖的{good}没有标签，不知道哪里生产的，怀疑是三无产品。',
      '反映{shop}使用过期食材，员工说冰箱里的{good}放了好几个礼拜了。',
      '在{shop}点的外卖{good}里面有异物，像是塑料片，商家不承认。',
      '{shop}的{good}发霉了还在卖，货架上好几包都长毛了。',
    ],
    requests: ['退款并赔偿', '按食品安全法十倍赔偿', '要求商家道歉并退款', '请依法查处'],
    trades: ['店', '馆', '超市', '食品', '餐饮', '摊'],
  },
  {
    line: '药品/医疗器械/化妆品',
    category: 'goods.medical',
    kinds: ['complaint', 'report'],
    texts: [
      '在{shop}买的{good}，说明书和包装上的批号对不上，怀疑是假货。',
      '{shop}没有处方也卖处方药，店里也没有药师在岗。',
      '举报{shop}销售过期的{good}，我买回来才发现有效期已经过了。',
      '{shop}卖的{good}用了过敏，脸上起红疹，去医院花了好几百。',
    ],
    requests: ['退货退款', '赔偿医药费', '请查处违法行为'],
    trades: ['药', '医疗', '化妆', '美容'],
  },
  {
    line: '特种设备',
    category: 'services.public_facility',
    kinds: ['report', 'complaint'],
    texts: [
      '{addr}的电梯最近老是停在两层中间，上周还关人了，物业一直不修。',
      '{shop}门口的燃气瓶随便堆放，也没有检验标签，很危险。',
      '反映{addr}小区电梯年检合格证过期了还在运行。',
      '{shop}的锅炉冒黑烟，听说没有办使用登记，工人也没证。',
    ],
    requests: ['尽快检查消除隐患', '请督促整改', '请依法处理'],
    trades: [],
  },
  {
    line: '计量',
    category: 'goods.daily',
    kinds: ['complaint', 'report'],
    texts: [
      '在{shop}买{good}缺斤短两，称了一下少了快二两。',
      '{shop}的电子秤有问题，每次都多称，怀疑作弊。',
      '加油站加油感觉不足量，{shop}的油枪可能被动过手脚。',
    ],
    requests: ['退还差价', '检查计量器具', '依法查处'],
    trades: ['店', '超市', '商行', '摊', '加油'],
  },
  {
    line: '价格/反不正当竞争',
    category: 'services.sales',
    kinds: ['complaint', 'report'],
    texts: [
      '{shop}标价和结账价格不一样，标的{amount}元结账收了{amount2}元。',
      '{shop}搞活动先涨价再打折，明显是价格欺诈。',
      '{shop}乱收费，停车费、服务费都没有公示。',
      '{shop}冒用别人的品牌名称，门头做得和正规店一模一样。',
    ],
    requests: ['退还多收的钱', '请查处价格违法行为', '要求赔偿'],
    trades: [],
  },
  {
    line: '广告',
    category: 'services.other',
    kinds: ['report', 'complaint'],
    texts: [
      '{shop}门口的广告写着"最好""第一"，还说能治病，涉嫌虚假宣传。',
      '{shop}发传单说保健品能降血压，老人都被骗了。',
      '朋友圈看到{shop}的广告说{good}三天见效，买了根本没用。',
    ],
    requests: ['请查处虚假广告', '退款', '责令撤下广告'],
    trades: [],
  },
  {
    line: '网络交易',
    category: 'services.internet',
    kinds: ['complaint'],
    texts: [
      '在网上{shop}的店铺买了{good}，收到货是坏的，商家不给退，七天无理由也不认。',
      '直播间买的{good}和介绍完全不一样，{shop}客服一直推脱。',
      '网购{good}付款后{shop}一直不发货，已经半个月了，联系不上。',
    ],
    requests: ['退货退款', '要求发货或退款', '请平台和商家处理'],
    trades: ['电子商务', '网络', '科技', '贸易', '商行'],
  },
  {
    line: '产品质量',
    category: 'goods.appliance',
    kinds: ['complaint', 'report'],
    texts: [
      '在{shop}买的{good}用了不到一个月就坏了，保修期内商家不给修。',
      '{shop}卖的{good}没有3C认证标志，充电的时候冒烟了。',
      '{date}从{shop}买的{good}质量太差，穿了两次就开胶。',
    ],
    requests: ['更换或退货', '三包维修', '检测产品质量并查处'],
    trades: ['电器', '商行', '店', '贸易', '制造', '机械'],
  },
  {
    line: '消费者权益保护',
    category: 'services.living',
    kinds: ['complaint', 'complaint', 'suggestion'],
    texts: [
      '在{shop}办了{amount}元的会员卡，现在店要关门了不给退钱。',
      '{shop}预付卡消费，说好的服务次数没用完就换老板不认了。',
      '{shop}装修合同签了以后一直拖工期，押金{amount}元不退。',
      '建议加强对{shop}这类预付卡商家的管理，很多老人上当。',
    ],
    requests: ['退还预付款', '协调解决', '加强监管'],
    trades: ['美容', '理发', '健身', '培训', '装饰', '洗车', '店'],
  },
  {
    line: '登记注册',
    category: null,
    kinds: ['inquiry', 'inquiry', 'report'],
    texts: [
      '请问个体工商户营业执照怎么办理？需要带哪些材料？',
      '我的营业执照地址变了，变更登记在哪里办，要多长时间？',
      '{shop}一直没有营业执照在经营，已经开了好几年了。',
      '咨询一下公司注销需要哪些手续，能不能网上办？',
    ],
    requests: ['请答复', '请告知办理流程', '请核查'],
    trades: [],
  },
  {
    line: '知识产权',
    category: 'goods.apparel',
    kinds: ['report'],
    texts: [
      '{shop}在卖假冒名牌的{good}，价格很便宜，商标一看就是仿的。',
      '举报{shop}销售侵犯商标权的商品，有照片为证。',
    ],
    requests: ['请依法查处', '没收假货'],
    trades: ['服饰', '商行', '店', '贸易'],
  },
];

const CHANNELS: ClueChannel[] = [
  '12315',
  '12345',
  'phone',
  'online',
  'visit',
  'letter',
  'superior',
  'open311',
];
const pickChannel = weightedPicker(CHANNELS, [42, 22, 14, 9, 5, 4, 2, 2]);
const pickTemplate = weightedPicker(TEMPLATES, [30, 8, 5, 6, 9, 5, 10, 8, 10, 6, 3]);
/** Colloquial touches the templates do not have: a filler, a regional word, a missing punctuation mark. */
const TAILS = [
  '',
  '',
  '',
  '，麻烦尽快处理',
  '，谢谢',
  '，真的太气人了',
  '！！',
  '，希望政府管一管',
  '，我已经打过好几次电话了',
];
const TYPOS: [string, string][] = [
  ['已经', '以经'],
  ['质量', '质凉'],
  ['退款', '退欵'],
  ['过期', '过其'],
];

function fill(rng: Rng, text: string, shop: string, addr: string, receivedAt: Date): string {
  const goods = [...GOODS.food, ...GOODS.drug, ...GOODS.goods];
  const amount = rng.int(2, 200) * 10;
  const before = new Date(receivedAt.getTime() - rng.int(0, 6) * 86_400_000);
  const date = `${before.getMonth() + 1}月${before.getDate()}日`;
  let out = text
    .replaceAll('{shop}', shop)
    .replaceAll('{addr}', addr)
    .replaceAll('{good}', rng.pick(goods))
    .replaceAll('{amount2}', String(amount + rng.int(1, 30) * 5))
    .replaceAll('{amount}', String(amount))
    .replaceAll('{date}', date);
  out = out.replace(/[。！]$/, '') + rng.pick(TAILS) + (rng.chance(0.85) ? '。' : '');
  if (rng.chance(0.06)) {
    const [from, to] = rng.pick(TYPOS);
    out = out.replace(from, to);
  }
  return out;
}

const STATUS_BY_AGE: [maxDays: number, statuses: ClueStatus[], weights: number[]][] = [
  [2, ['registering', 'sorting', 'analysing', 'dispatching'], [3, 6, 1, 1]],
  [10, ['sorting', 'analysing', 'dispatching', 'handling', 'direct', 'rejected'], [2, 2, 3, 4, 2, 1]],
  [45, ['handling', 'feedback', 'closed', 'direct', 'rejected', 'transferred'], [2, 2, 8, 3, 1, 1]],
  [Number.POSITIVE_INFINITY, ['closed', 'direct', 'rejected', 'transferred', 'handling'], [16, 5, 2, 1, 1]],
];

const RESULTS = [
  '经现场检查，情况属实，已责令商家下架问题商品并退款，消费者表示认可。',
  '经调解，商家同意退还货款并赔偿，双方达成一致。',
  '经核查，未发现举报所称违法行为，已将核查情况告知举报人。',
  '已对当事人立案调查，后续处理结果将另行告知。',
  '现场检查发现问题，已下达责令改正通知书，限期整改。',
  '双方未能达成一致，已终止调解并告知投诉人可通过诉讼途径解决。',
];
const ANSWERS = [
  '已电话答复：个体工商户登记可通过政务服务网或到镇便民服务中心办理，需携带身份证和经营场所证明。',
  '已告知办理流程和所需材料，咨询人表示清楚。',
  '已答复相关政策规定，并告知可拨打12315进一步咨询。',
];

/** Plan `count` clues received in the six months before `today`, against the planned entities. */
export function planDemoClues(
  seed: number,
  entities: readonly EntityPlan[],
  grids: readonly GridPlan[],
  count: number,
  today: string,
): PlannedClue[] {
  const rng = createRng(seed, 'clues');
  const end = Date.parse(`${today}T18:00:00+08:00`);
  const span = 182 * 86_400_000;
  const out: PlannedClue[] = [];
  // A few shops attract repeated complaints (the detectors of issue 6 and the duplicate finder need them).
  const hot = entities.length > 0 ? Array.from({ length: 12 }, () => rng.int(0, entities.length - 1)) : [];
  for (let i = 0; i < count; i++) {
    // More recent months a little busier; office hours mostly.
    const ageMs = span * rng.next() ** 1.3;
    const received = new Date(end - ageMs);
    const hour = rng.chance(0.85) ? rng.int(8, 17) : rng.int(0, 23);
    received.setUTCHours(hour - 8 < 0 ? hour + 16 : hour - 8, rng.int(0, 59), rng.int(0, 59), 0);
    if (received.getTime() > Date.now()) received.setTime(Date.now() - rng.int(60, 3600) * 1000);
    const t = pickTemplate(rng);
    const kind = rng.pick(t.kinds);
    const channel = kind === 'inquiry' && rng.chance(0.5) ? 'phone' : pickChannel(rng);
    let entityIndex: number | null = null;
    if (entities.length > 0 && kind !== 'inquiry' && rng.chance(0.8)) {
      if (hot.length > 0 && rng.chance(0.08)) entityIndex = rng.pick(hot);
      else {
        for (let tries = 0; tries < 8; tries++) {
          const j = rng.int(0, entities.length - 1);
          if (t.trades.length === 0 || t.trades.some((s) => entities[j]!.name.includes(s))) {
            entityIndex = j;
            break;
          }
        }
        entityIndex ??= rng.int(0, entities.length - 1);
      }
    }
    const entity = entityIndex === null ? undefined : entities[entityIndex];
    const grid = grids.length > 0 ? (entity ? grids[entity.gridIndex]! : rng.pick(grids)) : undefined;
    const point = entity ? ([entity.lon, entity.lat] as const) : grid ? samplePointInGrid(rng, grid) : null;
    const shop = entity?.name ?? rng.pick(['路边一家小店', '菜场门口的摊位', '一家网店', '小区门口的超市']);
    const addr = entity?.address ?? (grid ? `${grid.name.replace(/第\d+网格/, '')}中心街` : '县城');
    const ageDays = Math.floor((end - received.getTime()) / 86_400_000);
    const band = STATUS_BY_AGE.find(([max]) => ageDays <= max)!;
    let finalStatus = weightedPicker(band[1], band[2])(rng);
    if (kind === 'inquiry' && !['registering', 'sorting'].includes(finalStatus)) finalStatus = 'direct';
    if (finalStatus === 'rejected' && kind !== 'complaint') finalStatus = 'closed';
    const anonymous = kind === 'report' && rng.chance(0.3);
    out.push({
      kind,
      channel,
      businessLine: t.line,
      category12315: t.category,
      content: fill(rng, rng.pick(t.texts), shop, addr, received),
      request: rng.pick(t.requests),
      entityIndex,
      respondentName: entity?.name ?? '',
      address: addr,
      location: point ? { lng: point[0], lat: point[1] } : null,
      receivedAt: received.toISOString(),
      complainant: anonymous
        ? null
        : {
            name: personName(rng),
            phone: `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`,
            realName: true,
          },
      confidential: kind === 'report' && rng.chance(0.6),
      externalNo:
        channel === '12315' || channel === '12345'
          ? `${channel === '12315' ? 'GD' : 'SZ'}${received.toISOString().slice(0, 10).replace(/-/g, '')}${String(i).padStart(7, '0')}`
          : null,
      finalStatus,
      outcome:
        finalStatus === 'direct'
          ? rng.pick(ANSWERS)
          : finalStatus === 'rejected'
            ? '不予受理'
            : rng.pick(RESULTS),
      settledAfterDays: Math.min(ageDays, rng.int(1, 20)),
    });
  }
  return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}
