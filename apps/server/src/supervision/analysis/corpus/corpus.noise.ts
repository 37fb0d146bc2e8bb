import type { ClueKind } from '@rongjian/shared/api';
import type { Rng } from '../../../platform/demo/random.ts';

/**
 * How people actually write to 12315 / 12345: the registers a text is wrapped in (hotline transcript, letter, angry
 * post, an elderly caller, a web form, a terse line) and the noise on top (dialect words, typos of sound-alike or
 * look-alike characters, missing punctuation, full-width digits, stray spaces). Registers return templates that may
 * still hold `{slots}`; noise works on the final text.
 */

export interface Core {
  kind: ClueKind;
  facts: string;
  /** Other facts of the same scenario (long narratives list more than one thing), possibly none. */
  moreFacts: readonly string[];
  demand: string;
  /** The terse form, or null when the scenario has none. */
  short: string | null;
}

export type Register =
  | 'plain'
  | 'hotline'
  | 'letter'
  | 'post'
  | 'elderly'
  | 'form'
  | 'short'
  | 'long'
  | 'dossier'
  | 'chat';

const REGISTER_WEIGHTS: Record<Register, number> = {
  plain: 24,
  hotline: 22,
  letter: 8,
  post: 8,
  elderly: 5,
  form: 8,
  short: 11,
  long: 7,
  dossier: 4,
  chat: 6,
};

export function pickRegister(rng: Rng, core: Core): Register {
  const allowed = (Object.keys(REGISTER_WEIGHTS) as Register[]).filter((r) => {
    if (r === 'post') return core.kind === 'complaint' || core.kind === 'report';
    if (r === 'short') return core.short !== null;
    return true;
  });
  const total = allowed.reduce((sum, r) => sum + REGISTER_WEIGHTS[r], 0);
  let x = rng.next() * total;
  for (const r of allowed) {
    x -= REGISTER_WEIGHTS[r];
    if (x < 0) return r;
  }
  return 'plain';
}

/**
 * Openings of hotline transcripts. Some name the kind (real 12345 work orders do), many do not, so the kind must also
 * be read from the content.
 */
const HOTLINE_OPENINGS: Record<ClueKind, readonly string[]> = {
  complaint: ['来电人反映：', '市民来电反映：', '来电人称：', '消费者来电投诉：', '来电人表示，', '来电：'],
  report: ['来电人举报：', '群众来电反映：', '匿名来电称，', '来电人称：', '来电人反映：', '来电：'],
  inquiry: ['来电人咨询：', '市民来电询问：', '来电人称：', '来电人反映：', '来电：'],
  suggestion: ['来电人建议：', '市民来电提出：', '来电人称：', '来电人反映：'],
  other: ['来电人称：', '市民来电：', '来电人表示，', '来电人反映：'],
};
const HOTLINE_TAILS = [
  '',
  '',
  '来电人联系方式：{phoneMasked}。',
  '（12345转办）',
  '请相关部门核实处理。',
  '来电人要求回复。',
  '来电人要求保密。',
  '工单来源：12315热线。',
];
const LETTER_OPENINGS = [
  '尊敬的领导：您好！',
  '尊敬的市场监管局领导：',
  '县市场监督管理局：',
  '尊敬的工作人员：你们好，',
  '领导好！',
];
const LETTER_SELF = [
  '我是{town}的居民，',
  '我是一名普通消费者，',
  '我是{road}的一名商户，',
  '本人住在{estate}，',
  '我是{town}{village}的村民，',
  '',
];
const LETTER_CLOSINGS = [
  '望贵局予以重视。',
  '恳请贵局依法处理为盼。',
  '盼复，谢谢！',
  '此致敬礼！',
  '以上情况属实，望早日答复。',
  '麻烦你们了，谢谢。',
];
const POST_BURSTS = [
  '太坑了',
  '气死我了',
  '这还有没有王法',
  '大家避雷！',
  '无语了',
  '什么玩意',
  '真的服了',
  '良心不会痛吗',
];
const ELDERLY_OPENINGS = [
  '我是个老头子，今年七十好几了，不会写字，让孙子帮我写的。',
  '我年纪大了，眼睛也不好，说不清楚，你们多担待。',
  '我是退休工人，',
  '老太婆我今年八十了，',
];
const ELDERLY_TAILS = ['你们给评评理。', '我们老百姓挣钱不容易啊。', '麻烦政府帮帮忙。', '谢谢你们了。'];
const FORM_TITLES: Record<ClueKind, readonly string[]> = {
  complaint: ['投诉', '反映问题', '求助', '关于购物的问题', '维权'],
  report: ['举报', '反映问题', '线索', '情况反映'],
  inquiry: ['咨询', '请问', '问题', '求助'],
  suggestion: ['建议', '意见', '反映问题'],
  other: ['反映问题', '留言', '其他'],
};
const LONG_CONTEXTS = [
  '事情是这样的：',
  '我平时上班比较忙，这件事拖了好久才来反映。',
  '本来不想麻烦你们的，但是实在没办法了。',
  '这件事困扰我很久了，',
  '先说明一下情况，',
  '我已经跟对方沟通过好几次，一直没结果。',
];
const LONG_TAILS = ['我的联系方式是{phoneMasked}，随时可以联系我。', '希望尽快给我回复，谢谢！'];
/** Evidence only complaints and reports mention. */
const EVIDENCE_TAILS = [
  '相关照片和聊天记录我都保存了。',
  '附件：照片{qty}张、付款记录1份。',
  '如需材料我可以提供。',
];
/** What a long letter says about the writer's own attempts, by kind. */
const DOSSIER_FOLLOWUPS: Record<ClueKind, readonly string[]> = {
  complaint: [
    '我{when}去店里找过，对方说要请示老板，之后就再也联系不上了。',
    '我打了好几次电话，对方一直推脱，说过几天给答复，到现在也没有消息。',
    '我也在平台上申请过售后，被驳回了两次。',
    '对方的态度非常差，还说"你爱找谁找谁"。',
    '事情发生在{when}，到现在已经{days}天了，一点进展都没有，我每天上班都在想这件事，心里特别窝火。',
    '我还咨询过律师朋友，他说这种情况完全可以找市场监管部门，所以才写了这封信。',
  ],
  report: [
    '我观察了好几天，基本每天都是这样，附近的邻居也都知道。',
    '我不是第一次反映了，之前打过电话，好像没有什么变化。',
    '我拍了一些照片和视频，需要的话可以提供。',
    '周边住的都是老人和孩子，真出了事谁来负责？大家都敢怒不敢言，怕被报复，所以我只能匿名反映。',
    '我{when}还专门去看了一次，情况跟之前一模一样，甚至更严重了。',
  ],
  inquiry: [
    '我在网上查了一些说法，各说各的，搞不清楚。',
    '打了好几个电话都说不归他们管，只好在这里问。',
    '怕跑冤枉路，所以先问清楚。',
  ],
  suggestion: [
    '这是我作为一个普通市民的一点想法，不一定对。',
    '我看到别的地方已经这么做了，效果不错。',
    '身边很多人都有同样的感受。',
  ],
  other: ['之前的事情麻烦你们了。', '想了想还是跟你们说一声。'],
};
/** A sentence about the writer that long letters open with. */
const DOSSIER_BACKGROUNDS = [
  '我在{town}住了二十多年，平时在附近上班，家里有老人有孩子，日子过得不宽裕，每一分钱都是辛辛苦苦挣来的。',
  '我是外地来{town}打工的，人生地不熟，遇到这种事情不知道找谁，朋友说可以找你们。',
  '我本人是一名退休教师，一向相信政府，也不愿意给大家添麻烦，但是这件事确实让人很难接受。',
  '我在{road}开了个小店，自己也是做生意的，知道做生意不容易，但做人总要讲良心。',
  '',
  '',
];
const DOSSIER_LAW: Record<ClueKind, readonly string[]> = {
  complaint: [
    '根据《消费者权益保护法》，经营者应当保证商品和服务的质量，我认为商家的做法侵犯了我的合法权益。',
    '按照法律规定，消费者有权要求经营者承担相应责任。',
    '',
  ],
  report: [
    '这种行为明显违反了相关法律法规，也给周边群众带来了很大的安全隐患。',
    '我认为这种行为性质恶劣，严重扰乱了市场秩序。',
    '',
  ],
  inquiry: [''],
  suggestion: ['', '希望能被采纳。'],
  other: [''],
};
const SIGNATURES = [
  '反映人：{surname}先生，联系电话：{phoneMasked}。',
  '{surname}女士，{m}月{d}日。',
  '联系人：{surname}，电话{phoneMasked}。',
  '一个关心此事的市民，{m}月{d}日。',
];

const CHAT_OPENINGS = ['你好', '您好，在吗', '在吗？', 'hello', '你好，麻烦问一下', '打扰了'];

function sentence(s: string): string {
  if (!s) return '';
  return /[。！？!?]$/.test(s) ? s : `${s}。`;
}

/** Joins facts and demand the way people do: a comma, a full stop, or "所以" before what they want. */
function joinFactsDemand(rng: Rng, kind: ClueKind, facts: string, demand: string): string {
  if (!demand) return sentence(facts);
  const wants = kind === 'complaint' || kind === 'report';
  const glue = rng.pick(wants ? ['，', '。', '，', '，所以'] : ['，', '。', '，']);
  return sentence(`${facts}${glue}${demand}`);
}

export function applyRegister(rng: Rng, register: Register, core: Core): string {
  const { kind, facts, demand } = core;
  switch (register) {
    case 'plain':
      return joinFactsDemand(rng, kind, facts, demand);
    case 'hotline': {
      const head = rng.pick(HOTLINE_OPENINGS[kind]);
      const wants = kind === 'complaint' || kind === 'report';
      const body = demand ? `${sentence(facts)}${wants ? '诉求：' : ''}${sentence(demand)}` : sentence(facts);
      return `${head}${body}${rng.pick(HOTLINE_TAILS)}`;
    }
    case 'letter':
      return `${rng.pick(LETTER_OPENINGS)}${rng.pick(LETTER_SELF)}${joinFactsDemand(rng, kind, facts, demand)}${rng.pick(LETTER_CLOSINGS)}`;
    case 'post': {
      const burst = rng.pick(POST_BURSTS);
      const bang = rng.pick(['！', '！！', '！！！', '!!', '。']);
      return `${facts}${bang}${burst}${bang}${demand ? `${demand}${bang}` : ''}`;
    }
    case 'elderly':
      return `${rng.pick(ELDERLY_OPENINGS)}${joinFactsDemand(rng, kind, facts, demand)}${rng.chance(0.6) ? rng.pick(ELDERLY_TAILS) : ''}`;
    case 'form': {
      const title = rng.pick(FORM_TITLES[kind]);
      return `【${title}】${joinFactsDemand(rng, kind, facts, demand)}`;
    }
    case 'short': {
      let s = core.short ?? facts;
      // The terse register still says something: pad what would be shorter than 8 characters.
      if ([...s].length < 8)
        s = kind === 'inquiry' ? `请问${s}` : `${rng.pick(['你好，', '反映一下：', '我想说'])}${s}`;
      if (kind === 'inquiry') return `${s}${rng.pick(['？', '?', '', '呢'])}`;
      return `${s}${rng.pick(['', '！', '。', '!!!'])}`;
    }
    case 'dossier': {
      const parts = [
        rng.pick(LETTER_OPENINGS),
        rng.pick(LETTER_SELF),
        rng.pick(DOSSIER_BACKGROUNDS),
        rng.pick(LONG_CONTEXTS),
        sentence(facts),
      ];
      const [second, third] = core.moreFacts;
      if (second) parts.push(`${rng.pick(['另外，', '还有一件事，', '同时，'])}${sentence(second)}`);
      if (third) parts.push(`${rng.pick(['再有，', '最后，', '还有，'])}${sentence(third)}`);
      const followups = DOSSIER_FOLLOWUPS[kind];
      const first = rng.pick(followups);
      parts.push(first);
      if (rng.chance(0.6)) {
        const other = followups.filter((f) => f !== first);
        if (other.length > 0) parts.push(rng.pick(other));
      }
      parts.push(rng.pick(DOSSIER_LAW[kind]));
      if (demand) parts.push(sentence(demand));
      parts.push(rng.pick(LETTER_CLOSINGS), rng.pick(SIGNATURES));
      return parts.join('');
    }
    case 'long': {
      const parts = [rng.pick(LONG_CONTEXTS), sentence(facts)];
      const more = core.moreFacts[0];
      if (more) parts.push(`${rng.pick(['另外，', '还有，', '而且', '不光这样，'])}${sentence(more)}`);
      if (demand) parts.push(sentence(demand));
      const tails =
        kind === 'complaint' || kind === 'report' ? [...EVIDENCE_TAILS, ...LONG_TAILS] : LONG_TAILS;
      const tail = rng.pick(tails);
      parts.push(tail);
      if (rng.chance(0.5)) parts.push(rng.pick(tails.filter((t) => t !== tail)));
      return parts.join('');
    }
    case 'chat':
      return `${rng.pick(CHAT_OPENINGS)}${rng.pick(['，', ' ', '～', '。'])}${joinFactsDemand(rng, kind, facts, demand)}`;
  }
}

/**
 * Side remarks people add that mention other lines' words without changing what the text is about ("I saw it in a
 * live stream", "the lift is broken too, but that is another matter"): the business line must come from the main
 * problem, not from any word.
 */
export const ASIDES: readonly string[] = [
  '现在网上买东西也不放心',
  '之前在超市也遇到过这种事',
  '广告说得天花乱坠的',
  '听说他们营业执照都不一定有',
  '价格倒是不贵',
  '也不知道这个归不归你们管',
  '我打过12345，让我打12315',
  '我家楼下的电梯也老坏，不过那是另一回事',
  '上次买的药也是这样',
  '这家店开了好几年了',
  '我是在抖音上刷到的这家店',
  '老板说他们有检测报告',
  '我们小区物业也不管事',
  '发票也不肯开',
  '老板还说他们是正规厂家，有3C认证',
  '现在的商家都只认钱',
  '秤我也不知道准不准',
];

/** Dialect families: the words a caller from the north, the Wu area or Hunan/Sichuan drops into Mandarin. */
const DIALECTS: readonly (readonly [string, readonly string[]])[][] = [
  [
    ['我', ['俺']],
    ['什么', ['啥']],
    ['怎么', ['咋']],
    ['很', ['忒', '贼']],
    ['没有', ['没']],
    ['的。', ['的嘛。']],
    ['不知道', ['不晓得']],
  ],
  [
    ['你们', ['侬']],
    ['吗', ['伐']],
    ['知道', ['晓得']],
    ['今天', ['今朝']],
    ['东西', ['物事']],
    ['很', ['老', '蛮']],
    ['不要', ['覅']],
    ['什么', ['啥']],
  ],
  [
    ['什么', ['么子']],
    ['知道', ['晓得']],
    ['怎么', ['么样', '咋个']],
    ['很', ['好']],
    ['的。', ['的咯。']],
    ['是不是', ['是不']],
  ],
];

/** Sound-alike and look-alike slips seen in typed messages and voice-to-text transcripts. */
const TYPOS: readonly (readonly [string, string])[] = [
  ['发票', '发漂'],
  ['退款', '退宽'],
  ['卫生', '卫声'],
  ['质量', '质亮'],
  ['投诉', '投述'],
  ['已经', '以经'],
  ['赔偿', '陪偿'],
  ['营业执照', '营业执招'],
  ['过期', '过其'],
  ['商家', '商加'],
  ['电梯', '电题'],
  ['处理', '处里'],
  ['因为', '应为'],
  ['反映', '反应'],
  ['再', '在'],
  ['账', '帐'],
  ['价格', '价各'],
  ['老板', '老版'],
  ['希望', '希忘'],
  ['联系', '连系'],
  ['检查', '检察'],
  ['一直', '以直'],
  ['态度', '太度'],
  ['举报', '拒报'],
  ['咨询', '资询'],
  ['建议', '建意'],
  ['消费者', '消废者'],
  ['超市', '朝市'],
  ['包装', '包庄'],
  ['检测', '检侧'],
  ['认证', '认正'],
  ['药店', '要店'],
  ['合同', '和同'],
  ['手续', '手需'],
  ['登记', '登纪'],
  ['的', '得'],
];

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';

/** Noise on the final text; each kind of noise is independent and most texts get none or one. */
export function applyNoise(rng: Rng, text: string): string {
  let out = text;
  if (rng.chance(0.16)) {
    const family = rng.pick(DIALECTS);
    for (const [from, to] of family) {
      if (out.includes(from) && rng.chance(0.7)) out = out.replace(from, rng.pick(to));
    }
  }
  if (rng.chance(0.3)) {
    // Slips happen in words the text has: prefer whole-word slips (发漂) over single characters (的/得).
    const n = rng.int(1, 2);
    for (let i = 0; i < n; i++) {
      const present = TYPOS.filter(([from]) => out.includes(from));
      const words = present.filter(([from]) => from.length >= 2);
      const pool = words.length > 0 && rng.chance(0.85) ? words : rng.chance(0.25) ? present : [];
      if (pool.length === 0) break;
      const [from, to] = rng.pick(pool);
      out = out.replace(from, to);
    }
  }
  if (rng.chance(0.1)) {
    out = out.replace(/[，。；：、]/g, () => (rng.chance(0.3) ? ' ' : ''));
  } else if (rng.chance(0.08)) {
    out = out.replace(/，/g, ',').replace(/：/g, ':').replace(/？/g, '?');
  }
  if (rng.chance(0.07)) out = out.replace(/[0-9]/g, (d) => FULL_WIDTH_DIGITS[Number(d)]!);
  if (rng.chance(0.15))
    out = out.replace(/([0-9])元/g, (_m, d: string) => `${d}${rng.pick(['块', '块钱', '元钱'])}`);
  if (rng.chance(0.05))
    out = out.replace(/([\u4e00-\u9fa5])([\u4e00-\u9fa5])/, (_m, a: string, b: string) => `${a} ${b}`);
  if (rng.chance(0.04)) out = `${out}${rng.pick(['😡', '🙏', '😭', '👎'])}`;
  return out;
}
