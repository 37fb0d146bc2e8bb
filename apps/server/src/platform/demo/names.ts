import type { EntityType } from '../db/schema.ts';
import { COUNTY, type Town } from './county.ts';
import type { Trade } from './catalog.ts';
import { type Rng, weightedPicker } from './random.ts';

/**
 * Chinese names for the demo county: people (staff and shop owners), 字号 (trade names), 经营主体 names by type,
 * and addresses on the town's roads or in its villages.
 */

// Surnames, the common ones of the Suzhou area first and repeated so they come up more often.
const SURNAMES = (
  '沈陆顾钱朱徐张周王李陈吴杨黄金陶沈陆顾钱朱徐张周王李陈吴' +
  '刘赵孙马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任姚卢姜崔钟谭汪范石贾夏方邹孟秦邱江薛雷侯史贺龚邵万严戴俞浦郁殷'
).split('');
// Given names as people actually carry them (one or two characters), not random character pairs.
const GIVEN_MALE = (
  '建国 志强 建华 国强 伟 强 磊 军 勇 杰 涛 明 超 刚 平 辉 鹏 华 飞 斌 宇 浩 凯 俊 峰 文杰 志刚 海峰 晓东 建军 ' +
  '春明 振华 立新 永刚 子豪 浩然 宇轩 俊杰 志伟 明辉 鹏飞 家豪 天宇 一鸣 嘉伟 建平 卫东 国平 新民 晨 亮 健 斌斌'
).split(' ');
const GIVEN_FEMALE = (
  '芳 娜 敏 静 丽 艳 娟 霞 玲 燕 婷 颖 倩 雪 秀英 桂英 丽华 玉兰 秀兰 海燕 晓燕 雪梅 丽娟 晓雯 静怡 欣怡 佳怡 ' +
  '梦琪 雨婷 思雨 诗涵 婉婷 慧敏 晓丽 春梅 美玲 琳 丹 佳 蕾 菁 红梅 晓红 丽萍 文静'
).split(' ');

export function personName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(rng.chance(0.55) ? GIVEN_MALE : GIVEN_FEMALE);
}

/** How a small shop is called after its owner: 老王, 小李, 阿芳, 王记, 建华. */
function ownerAlias(rng: Rng): string {
  const surname = rng.pick(SURNAMES);
  const given = rng.pick(rng.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE);
  const last = given.slice(-1);
  switch (rng.int(0, 5)) {
    case 0:
    case 1:
      return `老${surname}`;
    case 2:
      return `小${surname}`;
    case 3:
      return `阿${last}`;
    case 4:
      return `${surname}记`;
    default:
      return given.length === 2 ? given : `${surname}${given}`;
  }
}

const TRADE_CHARS =
  '恒瑞宏达华鑫盛通金源德隆永泰嘉禾新康利丰安信鼎诚润博明远海天兴旺聚昌美雅和悦汇融晨光凯佳顺益长荣家福惠民绿万中东亿'.split(
    '',
  );

/** A 字号 of two characters: 恒瑞, 惠民, 鑫达. */
export function tradeName(rng: Rng): string {
  const a = rng.pick(TRADE_CHARS);
  let b = rng.pick(TRADE_CHARS);
  while (b === a) b = rng.pick(TRADE_CHARS);
  return a + b;
}

const COMPANY_FORMS = [
  '有限公司',
  '有限公司',
  '有限公司',
  '有限公司',
  '有限公司',
  '有限公司',
  '股份有限公司',
  '有限责任公司',
];

/** A name that fits the type: 示范县城厢镇老王烧烤店, 苏州恒瑞食品有限公司, 沙溪镇惠民农产品专业合作社. */
export function entityName(rng: Rng, type: EntityType, town: Town, trade: Trade): string {
  switch (type) {
    case 'individual': {
      const owner = rng.chance(0.7) ? ownerAlias(rng) : tradeName(rng);
      return `${COUNTY.name}${town.name}${owner}${trade.suffix}`;
    }
    case 'enterprise': {
      const prefix = rng.pick(['苏州', '苏州', '苏州市', COUNTY.name, COUNTY.name]);
      const form = trade.suffix === '大药房' && rng.chance(0.5) ? '连锁有限公司' : rng.pick(COMPANY_FORMS);
      return `${prefix}${tradeName(rng)}${trade.suffix}${form}`;
    }
    case 'cooperative': {
      const prefix = rng.chance(0.5) ? `${COUNTY.name}${town.name}` : town.name;
      return `${prefix}${tradeName(rng)}${trade.suffix}专业合作社`;
    }
    default: {
      const never: never = type;
      throw new Error(`unknown entity type ${String(never)}`);
    }
  }
}

const pickFloor = weightedPicker([1, 2, 3, 4, 5, 6, 8, 10, 12], [20, 20, 15, 12, 10, 8, 6, 5, 4]);

/** A street address on one of the town's roads, or (in the countryside) a 村/组 address. */
export function entityAddress(rng: Rng, type: EntityType, town: Town): string {
  const base = `${COUNTY.name}${town.name}`;
  const rural = town.villages.length > 0 && (type === 'cooperative' ? rng.chance(0.9) : rng.chance(0.15));
  if (rural) return `${base}${rng.pick(town.villages)}${rng.int(1, 18)}组${rng.int(1, 60)}号`;
  const road = rng.pick(town.roads);
  const no = rng.int(1, 999);
  if (type === 'enterprise' && rng.chance(0.45)) {
    return `${base}${road}${no}号${rng.int(1, 12)}幢${pickFloor(rng)}0${rng.int(1, 9)}室`;
  }
  if (type === 'individual' && rng.chance(0.3)) return `${base}${road}${no}号-${rng.int(1, 20)}`;
  return `${base}${road}${no}号`;
}
