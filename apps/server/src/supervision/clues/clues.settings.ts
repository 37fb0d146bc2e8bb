import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

/** 重复线索: which earlier clues the intake form and the 并案 queue suggest as repeats of a new one. */
export const clueDuplicatesSetting = defineSetting({
  key: 'clues.duplicates',
  group: 'system',
  label: '重复线索识别',
  description:
    '同一被投诉（举报）对象、内容相似且收到时间相隔不超过时间窗口的线索，登记时提示为疑似重复，并进入并案队列。相似度按字符二元组（两个相邻字）的重合比例计算。',
  schema: z.strictObject({
    windowDays: z.coerce.number().int('应为整数').min(1, '至少 1 天').max(365, '不能超过 365 天'),
    minSimilarity: z.coerce.number().min(0.1, '不能小于 0.1').max(1, '不能大于 1'),
  }),
  default: { windowDays: 30, minSimilarity: 0.5 },
  fields: {
    windowDays: { label: '时间窗口', type: 'number', unit: '天', min: 1, max: 365, help: '默认 30 天' },
    minSimilarity: {
      label: '最低相似度',
      type: 'number',
      min: 0.1,
      max: 1,
      help: '0.1–1，默认 0.5（一半的二元组相同）',
    },
  },
});
