import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

/** Lines whose 执法 cases go to the bureau's enforcement team rather than the 所 (serious public-safety matters). */
export const SERIOUS_LINES = [
  '食品',
  '药品/医疗器械/化妆品',
  '特种设备',
  '产品质量',
  '价格/反不正当竞争',
  '执法稽查',
] as const;

/**
 * Default routing rules of the demo county (only when there are none): every 所 handles inspections and case
 * sources in its own grids; 执法 of the serious lines goes to the enforcement team (综合执法大队) with a higher
 * priority. Bureaus edit them on the 路由规则 page.
 */
export async function seedDispatchDefaults(db: Kysely<DB>): Promise<number> {
  const existing = await db.selectFrom('dispatch_rule').select('id').limit(1).executeTakeFirst();
  if (existing) return 0;
  const stations = await db
    .selectFrom('department')
    .select(['id', 'name'])
    .where('kind', '=', 'station')
    .orderBy('sort')
    .orderBy('id')
    .execute();
  const team = await db
    .selectFrom('department')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('code', 'like', '%-ZFDD'), eb('name', 'like', '%执法%')]))
    .where('kind', '<>', 'station')
    .orderBy('id')
    .executeTakeFirst();
  const rows = [
    ...stations.flatMap((s) => [
      {
        name: `${s.name}辖区监管检查`,
        station_id: Number(s.id),
        module: 'inspection' as const,
        department_id: Number(s.id),
        priority: 0,
        note: '所辖网格内的监管检查由本所承办',
      },
      {
        name: `${s.name}辖区执法核查`,
        station_id: Number(s.id),
        module: 'enforcement' as const,
        department_id: Number(s.id),
        priority: 0,
        note: '一般条线的案源核查由本所承办',
      },
    ]),
    ...(team
      ? SERIOUS_LINES.map((line) => ({
          name: `${line}执法核查（${team.name}）`,
          business_line: line,
          module: 'enforcement' as const,
          department_id: Number(team.id),
          priority: 100,
          note: '涉及公共安全的条线由执法队伍集中核查',
        }))
      : []),
  ];
  if (rows.length === 0) return 0;
  await db
    .insertInto('dispatch_rule')
    .values(
      rows.map((r) => ({
        name: r.name,
        business_line: 'business_line' in r ? r.business_line : null,
        grid_id: null,
        station_id: 'station_id' in r ? r.station_id : null,
        module: r.module,
        department_id: r.department_id,
        priority: r.priority,
        note: r.note,
        updated_by: '系统预置',
      })),
    )
    .execute();
  return rows.length;
}
