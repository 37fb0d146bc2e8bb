import { LICENCE_KIND_LABELS } from '@rongjian/shared/api';
import { sql } from 'kysely';
import { addDays, daysBetween } from '../entities/entities.dossier.ts';
import { licenceExpiryWarningSetting } from '../entities/entities.settings.ts';
import type { LicenceKind } from '../entities/entities.tables.ts';
import {
  batchOf,
  byEntity,
  CLOSED_STATUS_RE,
  type IndicatorResult,
  listSome,
  type RiskIndicator,
} from './risk.indicator.ts';

/** Indicators from the licences (许可证) of the 一户一档. */

interface LicenceRow {
  entity_id: number;
  kind: LicenceKind;
  licence_no: string;
  valid_until: string | null;
  entity_status: string;
}

const name = (r: LicenceRow) => `${LICENCE_KIND_LABELS[r.kind]} ${r.licence_no}`;

/** A live licence of the same kind that covers `asOf`: the expired one was renewed, not abandoned. */
const renewed = (asOf: string) => sql`exists (
  select 1 from entity_licence n
  where n.entity_id = l.entity_id and n.kind = l.kind and n.id <> l.id and n.status = '有效'
    and (n.valid_until is null or n.valid_until >= ${asOf}))`;

export const licenceExpiredOperating: RiskIndicator = {
  key: 'licenceExpiredOperating',
  label: '许可证过期仍在经营',
  description: '主体仍在经营（未吊销、注销），许可证已过期且未换发同类有效许可证，每张计分。',
  defaultWeight: 15,
  counting: { unit: '张', defaultCap: 30 },
  async compute(db, ids, asOf) {
    const { rows } = await sql<LicenceRow>`
      select l.entity_id, l.kind, l.licence_no, l.valid_until, e.status as entity_status
      from ${batchOf(ids)} join entity e on e.id = b.id join entity_licence l on l.entity_id = b.id
      where e.status !~ ${CLOSED_STATUS_RE}
        and (l.status = '过期' or (l.status = '有效' and l.valid_until < ${asOf}))
        and not ${renewed(asOf)}
      order by l.entity_id, l.valid_until nulls last, l.id`.execute(db);
    const out = new Map<number, IndicatorResult>();
    for (const [id, list] of byEntity(rows)) {
      const items = list.map((r) => `${name(r)} ${r.valid_until ? `已于 ${r.valid_until} 过期` : '已过期'}`);
      out.set(id, {
        value: list.length,
        detail: `${listSome(items)}；主体登记状态仍为“${list[0]!.entity_status}”`,
      });
    }
    return out;
  },
};

export const licenceRevoked: RiskIndicator = {
  key: 'licenceRevoked',
  label: '许可证被吊销',
  description: '持有的许可证被吊销，每张计分。',
  defaultWeight: 30,
  counting: { unit: '张', defaultCap: 40 },
  async compute(db, ids) {
    const { rows } = await sql<LicenceRow>`
      select l.entity_id, l.kind, l.licence_no, l.valid_until, e.status as entity_status
      from ${batchOf(ids)} join entity e on e.id = b.id join entity_licence l on l.entity_id = b.id
      where l.status = '吊销'
      order by l.entity_id, l.id`.execute(db);
    const out = new Map<number, IndicatorResult>();
    for (const [id, list] of byEntity(rows)) {
      out.set(id, { value: list.length, detail: listSome(list.map((r) => `${name(r)} 已被吊销`)) });
    }
    return out;
  },
};

/**
 * The nearest expiry among live licences, by the tiers of 许可证到期预警 (fusion.licenceExpiryWarning): within the
 * first tier counts 3, the second 2, the third 1, so the same setting drives the profile's warning tags and this.
 */
export const licenceExpiring: RiskIndicator = {
  key: 'licenceExpiring',
  label: '许可证即将到期',
  description:
    '有效许可证将在“许可证到期预警”的三个档次内到期：第一档（默认 30 天）计 3 倍分值，第二档 2 倍，第三档 1 倍。',
  defaultWeight: 4,
  async compute(db, ids, asOf, env) {
    const tiers = env.setting(licenceExpiryWarningSetting).days;
    const until = addDays(asOf, tiers[2] ?? 90);
    const { rows } = await sql<LicenceRow>`
      select l.entity_id, l.kind, l.licence_no, l.valid_until, e.status as entity_status
      from ${batchOf(ids)} join entity e on e.id = b.id join entity_licence l on l.entity_id = b.id
      where l.status = '有效'
        and l.valid_until >= ${asOf} and l.valid_until <= ${until}
        and not exists (
          select 1 from entity_licence n
          where n.entity_id = l.entity_id and n.kind = l.kind and n.id <> l.id and n.status = '有效'
            and (n.valid_until is null or n.valid_until > l.valid_until))
      order by l.entity_id, l.valid_until, l.id`.execute(db);
    const out = new Map<number, IndicatorResult>();
    for (const [id, list] of byEntity(rows)) {
      const left = daysBetween(asOf, list[0]!.valid_until!);
      const level = left <= (tiers[0] ?? 30) ? 3 : left <= (tiers[1] ?? 60) ? 2 : 1;
      const items = list.map(
        (r) => `${name(r)} 将于 ${r.valid_until} 到期（剩 ${daysBetween(asOf, r.valid_until!)} 天）`,
      );
      out.set(id, { value: level, detail: listSome(items) });
    }
    return out;
  },
};
