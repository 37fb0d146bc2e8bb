import { createRng } from '../../platform/demo/random.ts';
import type { TrainingExample } from './analysis.model.ts';

/**
 * A small hand-written sample: three business lines with their own vocabulary, asked as complaints or inquiries.
 * Enough to show the pipeline learns; the real corpus is tested in analysis.triage.test.ts.
 */
const LINES = {
  食品: {
    category: 'goods.food',
    things: ['牛奶', '面包', '熟食', '饮料', '月饼', '外卖盒饭', '火锅底料'],
    problems: ['已经过期', '发霉变质', '吃出异物', '吃了拉肚子', '没有生产日期'],
    places: ['超市', '饭店', '小吃摊', '便利店'],
  },
  特种设备: {
    category: 'services.public_facility',
    things: ['电梯', '自动扶梯', '锅炉', '液化气瓶', '游乐设施'],
    problems: ['经常困人', '超期未检', '没有检验合格证', '运行时异响', '急停按钮失灵'],
    places: ['小区', '商场', '菜市场', '游乐园'],
  },
  计量: {
    category: 'services.sales',
    things: ['电子秤', '加油机', '出租车计价器', '水表', '燃气表'],
    problems: ['缺斤短两', '少秤', '计量不准', '被人动了手脚', '没有检定证书'],
    places: ['菜市场', '加油站', '水果店', '海鲜摊'],
  },
} as const;

export function sample(seed: number, perLine: number): TrainingExample[] {
  const rng = createRng(seed, 'analysis.model.test');
  const out: TrainingExample[] = [];
  for (const [line, v] of Object.entries(LINES)) {
    for (let i = 0; i < perLine; i++) {
      const inquiry = rng.chance(0.3);
      const thing = rng.pick(v.things);
      const place = rng.pick(v.places);
      const problem = rng.pick(v.problems);
      const text = inquiry
        ? `请问${place}的${thing}${problem}应该找哪个部门？怎么处理？`
        : `我在${place}${rng.pick(['遇到', '发现', '碰到'])}${thing}${problem}，${rng.pick(['要求处理', '希望查处', '要求退款赔偿'])}。${rng.int(1, 999)}元`;
      out.push({
        text,
        labels: {
          kind: inquiry ? 'inquiry' : 'complaint',
          line,
          category: v.category,
          disposal: inquiry ? 'direct' : 'inspection',
        },
      });
    }
  }
  return out;
}
