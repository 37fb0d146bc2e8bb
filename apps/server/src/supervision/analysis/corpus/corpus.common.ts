import { TOWNS } from '../../../platform/demo/county.ts';
import type { Rng } from '../../../platform/demo/random.ts';

/**
 * Vocabulary every line shares: places of the demo county, times, amounts, phone numbers (always masked — the
 * corpus holds no real-looking personal numbers), shops, platforms and the ways people state what they want.
 * A value may hold `{slots}` itself; expansion is recursive.
 */
export const COMMON_VOCAB: Readonly<Record<string, readonly string[]>> = {
  town: TOWNS.map((t) => t.name),
  townShort: TOWNS.map((t) => t.short),
  road: TOWNS.flatMap((t) => t.roads),
  village: TOWNS.flatMap((t) => t.villages),
  estate: [
    '金色家园',
    '阳光花苑',
    '幸福里小区',
    '东苑新村',
    '锦绣江南',
    '万达华府',
    '枫林湾',
    '新华苑',
    '滨河一品',
    '世纪花园',
    '碧桂园',
    '南郊新村',
  ],
  addr: [
    '{town}{road}{num}号',
    '{road}{num}号',
    '{town}{road}和{road2}路口',
    '{town}{village}',
    '{estate}门口',
    '{road}{estate}底商',
    '{town}{road}菜场边上',
    '{town}老街',
    '{road}{num}号{estate}对面',
  ],
  road2: TOWNS.flatMap((t) => t.roads),
  alias: [
    '老王',
    '老张',
    '小李',
    '阿芳',
    '阿强',
    '王记',
    '陈记',
    '惠民',
    '鑫达',
    '好又多',
    '百姓',
    '金源',
    '恒瑞',
    '家福',
    '华联',
    '兴旺',
    '聚昌',
    '永泰',
    '嘉禾',
    '德隆',
    '利丰',
    '悦来',
  ],
  trade: [
    '恒瑞',
    '宏达',
    '华鑫',
    '盛通',
    '金源',
    '德隆',
    '永泰',
    '嘉禾',
    '新康',
    '利丰',
    '安信',
    '鼎诚',
    '润博',
    '晨光',
    '汇融',
  ],
  when: [
    '昨天',
    '前天',
    '今天上午',
    '昨天晚上',
    '上周',
    '上周末',
    '本月{d}号',
    '{m}月{d}日',
    '2026年{m}月{d}日',
    '{m}.{d}',
    '上个月',
    '半个月前',
    '前几天',
    '国庆期间',
    '春节前',
    '{m}月初',
  ],
  surname: ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '朱', '沈', '陆', '顾'],
  me: ['我', '本人', '我', '我家老人', '我爱人', '我妈', '我父亲', '我们一家', '我和同事'],
  platform: [
    '淘宝',
    '拼多多',
    '京东',
    '抖音',
    '快手',
    '美团',
    '饿了么',
    '小红书',
    '闲鱼',
    '微信小程序',
    '某团购平台',
    '唯品会',
  ],
  phoneMasked: [
    '138****{n4}',
    '139xxxx{n4}',
    '1{n2}****{n4}',
    '尾号{n4}的手机',
    '0512-5{n2}xxxxx',
    '136 **** {n4}',
  ],
  refund: [
    '要求退款',
    '要求退货退款',
    '要求商家退款并赔偿',
    '要求退一赔三',
    '要求按法律规定赔偿',
    '希望你们帮忙协调退钱',
    '要求商家给个说法并退款',
    '要求赔偿损失',
    '要求十倍赔偿',
    '只想把钱退回来',
    '请帮忙调解，把钱要回来',
  ],
  probe: [
    '请依法查处',
    '希望有关部门严查',
    '请你们去查一下',
    '要求对其立案调查',
    '请尽快处理，别再让他们害人了',
    '希望市场监管局管一管',
    '请相关部门核实处理',
    '望贵局依法处理',
    '请求执法部门介入',
  ],
  fix: ['要求修好', '要求免费维修或者换新', '要求更换', '要求商家整改', '希望尽快解决', '请督促整改'],
  shopGeneric: [
    '{town}{alias}超市',
    '{road}{alias}便利店',
    '{alias}商行',
    '{trade}商贸有限公司',
    '{estate}旁边的{alias}小店',
  ],
};

/** Slots computed rather than listed: numbers, amounts, dates. */
export function computedSlot(name: string, rng: Rng): string | undefined {
  switch (name) {
    case 'num':
      return String(rng.int(1, 388));
    case 'n2':
      return String(rng.int(30, 99));
    case 'n4':
      return String(rng.int(0, 9999)).padStart(4, '0');
    case 'm':
      return String(rng.int(1, 12));
    case 'd':
      return String(rng.int(1, 28));
    case 'floor':
      return String(rng.int(2, 33));
    case 'qty':
      return String(rng.int(2, 12));
    case 'days':
      return String(rng.int(3, 45));
    case 'years':
      return String(rng.int(2, 8));
    case 'small':
      return String(rng.pick([9.9, 12, 15, 18, 19.8, 23, 25, 28, 32, 35, 38, 45, 56, 68, 88]));
    case 'amount':
      return String(rng.pick([99, 128, 168, 199, 258, 299, 368, 399, 480, 520, 599, 680, 799, 899, 1280]));
    case 'big':
      return String(rng.pick([1500, 2380, 2999, 3600, 4999, 5800, 6800, 8800, 12000, 16800, 23800, 36000]));
    case 'pct':
      return String(rng.int(10, 60));
    default:
      return undefined;
  }
}
