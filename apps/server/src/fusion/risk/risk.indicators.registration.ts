import { LICENCE_KIND_LABELS } from '@rongjian/shared/api';
import { sql } from 'kysely';
import type { LicenceKind } from '../entities/entities.tables.ts';
import {
  batchOf,
  byEntity,
  CLOSED_STATUS_RE,
  type IndicatorResult,
  listSome,
  minusMonths,
  type RiskIndicator,
} from './risk.indicator.ts';

/** Indicators from the registration (登记注册) facts of the entity. */

interface LiveLicenceRow {
  entity_id: number;
  status: string;
  kind: LicenceKind;
  licence_no: string;
}

export const registrationAbnormal: RiskIndicator = {
  key: 'registrationAbnormal',
  label: '登记状态异常',
  description: '营业执照已吊销、注销或撤销，却仍持有有效许可证（可能仍在经营）。',
  defaultWeight: 40,
  async compute(db, ids, asOf) {
    const { rows } = await sql<LiveLicenceRow>`
      select e.id as entity_id, e.status, l.kind, l.licence_no
      from ${batchOf(ids)} join entity e on e.id = b.id join entity_licence l on l.entity_id = b.id
      where e.status ~ ${CLOSED_STATUS_RE}
        and l.status = '有效' and (l.valid_until is null or l.valid_until >= ${asOf})
      order by e.id, l.id`.execute(db);
    const out = new Map<number, IndicatorResult>();
    for (const [id, list] of byEntity(rows)) {
      const names = list.map((r) => `${LICENCE_KIND_LABELS[r.kind]} ${r.licence_no}`);
      out.set(id, {
        value: 1,
        detail: `登记状态为“${list[0]!.status}”，仍持有效许可证 ${list.length} 张：${listSome(names, 2)}`,
      });
    }
    return out;
  },
};

export const newlyEstablished: RiskIndicator = {
  key: 'newlyEstablished',
  label: '新设立主体',
  description: '成立不满规定月数：尚无经营和信用记录可供判断，一般不列为低风险。',
  defaultWeight: 10,
  params: [
    { key: 'newEntityMonths', label: '新设立主体：成立不满', unit: '个月', min: 1, max: 60, default: 12 },
  ],
  async compute(db, ids, asOf, env) {
    const months = env.params.newEntityMonths ?? 12;
    const since = minusMonths(asOf, months);
    const { rows } = await sql<{ entity_id: number; established_on: string }>`
      select e.id as entity_id, e.established_on
      from ${batchOf(ids)} join entity e on e.id = b.id
      where e.established_on > ${since} and e.established_on <= ${asOf}`.execute(db);
    const out = new Map<number, IndicatorResult>();
    for (const r of rows) {
      out.set(Number(r.entity_id), { value: 1, detail: `成立于 ${r.established_on}，不满 ${months} 个月` });
    }
    return out;
  },
};
