import { BUSINESS_LINES, type BusinessLine } from '@rongjian/shared';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import { defineSetting, type SettingField } from '../../platform/settings/settings.define.ts';

/**
 * Which 业务条线 supervise an entity, read from its registered 经营范围 by keywords an administrator keeps
 * (系统管理 › 参数设置). Registration data carries no 业务条线; the scope text does say what the business does.
 * Lines no scope wording reveals (登记注册, 信用监管, 执法稽查) have no keywords by default.
 */
const DEFAULT_KEYWORDS: Record<BusinessLine, string[]> = {
  登记注册: [],
  信用监管: [],
  食品: ['食品', '餐饮', '农副产品'],
  '药品/医疗器械/化妆品': ['药品', '医疗器械', '化妆品'],
  特种设备: ['特种设备', '电梯', '锅炉', '压力容器', '起重机械', '气瓶'],
  产品质量: ['日用百货', '五金产品', '机械设备制造', '服装服饰', '建筑材料'],
  '价格/反不正当竞争': ['烟草制品', '预付卡'],
  广告: ['广告'],
  网络交易: ['互联网销售', '网络销售', '电子商务'],
  计量: ['衡器', '计量器具', '成品油'],
  标准化: ['标准制定', '标准化服务'],
  '认证认可/检验检测': ['检验检测', '认证服务'],
  知识产权: ['商标', '专利', '知识产权'],
  消费者权益保护: ['生活美容', '修理', '洗染', '居民日常生活服务', '健身', '家政', '摄影', '教育咨询'],
  执法稽查: [],
};

const keywordList = z.array(z.string().trim().min(1, '关键词不能为空').max(20, '关键词最多 20 个字')).max(50);

export const businessLineKeywordsSetting = defineSetting({
  key: 'fusion.businessLineKeywords',
  group: 'system',
  label: '业务条线识别（经营范围关键词）',
  description:
    '导入登记注册数据时，经营范围中出现某条线的任一关键词，该主体即归入该业务条线。修改后对之后导入或更新的主体生效。',
  schema: z.strictObject(
    Object.fromEntries(BUSINESS_LINES.map((line) => [line, keywordList])) as Record<
      BusinessLine,
      typeof keywordList
    >,
  ),
  default: DEFAULT_KEYWORDS,
  fields: Object.fromEntries(
    BUSINESS_LINES.map((line) => [line, { label: line, type: 'string[]' } satisfies SettingField]),
  ),
});

export type BusinessLineKeywords = Record<BusinessLine, string[]>;

/** The lines whose keywords occur in `scope`, in dictionary order; none for an empty scope. */
export function deriveBusinessLines(scope: string | null, keywords: BusinessLineKeywords): BusinessLine[] {
  if (!scope) return [];
  return BUSINESS_LINES.filter((line) => (keywords[line] ?? []).some((k) => scope.includes(k)));
}

const LINES_BATCH = 2000;

/**
 * Re-derive the 业务条线 of the entities an exchange run delivered records for, from their fused 经营范围 and the
 * keywords in force. Writes only entities whose lines change; returns how many changed.
 */
export async function deriveLinesForRun(
  ctx: Pick<AppContext, 'db' | 'settings'>,
  runId: number,
): Promise<number> {
  const keywords = (await ctx.settings.get(businessLineKeywordsSetting)) as BusinessLineKeywords;
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = await ctx.db
      .selectFrom('entity as e')
      .select(['e.id', 'e.business_scope', 'e.business_lines'])
      .where('e.id', '>', after)
      .where('e.id', 'in', (eb) =>
        eb
          .selectFrom('entity_source_record')
          .select('entity_id')
          .where('run_id', '=', runId)
          .where('entity_id', 'is not', null),
      )
      .orderBy('e.id')
      .limit(LINES_BATCH)
      .execute();
    if (rows.length === 0) return changed;
    after = rows[rows.length - 1]!.id;
    const updates = rows
      .map((r) => ({ id: r.id, lines: deriveBusinessLines(r.business_scope, keywords) }))
      .filter((u, i) => JSON.stringify(u.lines) !== JSON.stringify(rows[i]!.business_lines));
    if (updates.length === 0) continue;
    await sql`
      update entity set business_lines = v.lines, updated_at = now()
      from jsonb_to_recordset(${json(updates)}::jsonb) as v(id bigint, lines jsonb)
      where entity.id = v.id`.execute(ctx.db);
    changed += updates.length;
  }
}
