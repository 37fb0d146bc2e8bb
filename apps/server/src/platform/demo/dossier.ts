import type { Transaction } from 'kysely';
import type {
  CreditKind,
  LicenceKind,
  LicenceStatus,
  PersonRole,
} from '../../fusion/entities/entities.tables.ts';
import type { DB } from '../db/schema.ts';
import { COUNTY } from './county.ts';
import type { EntityPlan } from './entities.ts';
import { personName } from './names.ts';
import type { Rng } from './random.ts';

/**
 * 一户一档 beyond registration for the demo county: licences by trade, a few credit records and one legal
 * representative / operator per entity. Dates are relative to `today` (the seed's option, default the real date
 * in China time) so expiry warnings always have something to show; with a fixed `today` the plan is deterministic.
 */
export interface LicencePlan {
  entityIndex: number;
  kind: LicenceKind;
  licenceNo: string;
  issuedOn: string;
  validUntil: string;
  status: LicenceStatus;
  issuer: string;
}
export interface CreditPlan {
  entityIndex: number;
  kind: CreditKind;
  decidedOn: string;
  removedOn: string | null;
  reason: string;
  documentNo: string;
  amount: number | null;
}
export interface PersonPlan {
  entityIndex: number;
  role: PersonRole;
  name: string;
  idCard: string;
  phone: string;
}
export interface DossierPlan {
  licences: LicencePlan[];
  credit: CreditPlan[];
  persons: PersonPlan[];
}

const DAY_MS = 86_400_000;
const shift = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
const AUTHORITY = `${COUNTY.name}市场监督管理局`;

/** GB 11643 check character of a 17-digit body. */
function idCheck(body: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

function idCard(rng: Rng, today: string): string {
  const birth = shift(today, -rng.int(22 * 365, 65 * 365)).replace(/-/g, '');
  const body = `${COUNTY.regionCode}${birth}${digits(rng, 3)}`;
  return body + idCheck(body);
}

function licenceKinds(e: EntityPlan, rng: Rng): LicenceKind[] {
  const out: LicenceKind[] = [];
  if (e.businessLines.includes('食品')) out.push('food_business');
  if (e.name.includes('药')) out.push('drug_business');
  else if (e.name.includes('眼镜')) out.push('medical_device');
  if (e.type === 'enterprise' && e.businessLines.includes('特种设备') && rng.chance(0.6))
    out.push('special_equipment_use');
  return out;
}

/** Unique per kind by the running sequence (up to 10 million licences). */
function licenceNo(kind: LicenceKind, rng: Rng, seq: number, issuedOn: string): string {
  const n = String(seq).padStart(7, '0');
  switch (kind) {
    case 'food_business': // JY + 主体业态 (1 digit) + 6-digit region + 7-digit sequence = JY + 14 digits
      return `JY${rng.int(1, 3)}${COUNTY.regionCode}${n}`;
    case 'drug_business':
      return `苏EB${COUNTY.regionCode.slice(2, 6)}${n}`;
    case 'medical_device':
      return `苏苏药监械经营备${issuedOn.slice(0, 4)}${n}号`;
    case 'special_equipment_use':
      return `容11苏E${n}(${issuedOn.slice(2, 4)})`;
    default:
      return `XK${n}`;
  }
}

/** Days until expiry: mostly years away, a few already expired or within 30/60/90 days. */
function remainingDays(rng: Rng): number {
  const r = rng.next();
  if (r < 0.04) return -rng.int(1, 300);
  if (r < 0.07) return rng.int(0, 30);
  if (r < 0.1) return rng.int(31, 60);
  if (r < 0.13) return rng.int(61, 90);
  return rng.int(91, 5 * 365 - 30);
}

export function planDossier(rng: Rng, entities: readonly EntityPlan[], today: string): DossierPlan {
  const plan: DossierPlan = { licences: [], credit: [], persons: [] };
  let seq = 0;
  entities.forEach((e, entityIndex) => {
    for (const kind of licenceKinds(e, rng)) {
      const left = remainingDays(rng);
      const validUntil = shift(today, left);
      const issuedOn = shift(validUntil, -5 * 365);
      const status: LicenceStatus = rng.chance(0.01) ? '注销' : left < 0 && rng.chance(0.4) ? '过期' : '有效';
      const issuer = kind === 'drug_business' ? '苏州市市场监督管理局' : AUTHORITY;
      plan.licences.push({
        entityIndex,
        kind,
        licenceNo: licenceNo(kind, rng, ++seq, issuedOn),
        issuedOn,
        validUntil,
        status,
        issuer,
      });
    }
    const r = rng.next();
    if (r < 0.03) {
      const decidedOn = shift(today, -rng.int(10, 700));
      plan.credit.push({
        entityIndex,
        kind: 'abnormal_operation',
        decidedOn,
        removedOn: rng.chance(0.3) ? shift(decidedOn, rng.int(30, 200)) : null,
        reason: rng.chance(0.6) ? '未按照规定的期限公示年度报告' : '通过登记的住所或者经营场所无法联系',
        documentNo: `苏市监异〔${decidedOn.slice(0, 4)}〕${rng.int(1, 999)}号`,
        amount: null,
      });
    } else if (r < 0.04) {
      const decidedOn = shift(today, -rng.int(10, 1000));
      plan.credit.push({
        entityIndex,
        kind: 'administrative_penalty',
        decidedOn,
        removedOn: null,
        reason: rng.pick(['销售过期食品', '未按规定公示营业执照', '使用未经检验的特种设备', '虚假宣传']),
        documentNo: `苏市监罚〔${decidedOn.slice(0, 4)}〕${rng.int(1, 999)}号`,
        amount: rng.int(1, 50) * 1000,
      });
    } else if (r < 0.043) {
      const decidedOn = shift(today, -rng.int(30, 900));
      plan.credit.push({
        entityIndex,
        kind: 'serious_violation',
        decidedOn,
        removedOn: null,
        reason: '被列入经营异常名录届满 3 年仍未履行相关义务',
        documentNo: `苏市监失〔${decidedOn.slice(0, 4)}〕${rng.int(1, 99)}号`,
        amount: null,
      });
    }
    plan.persons.push({
      entityIndex,
      role: e.type === 'individual' ? 'principal' : 'legal_rep',
      name: personName(rng),
      idCard: idCard(rng, today),
      phone: `1${rng.pick(['38', '39', '58', '59', '87', '88'])}${digits(rng, 8)}`,
    });
  });
  return plan;
}

/**
 * An entity whose licence was revoked (吊销) usually went quiet first: it was put on the 经营异常名录 for being
 * unreachable and never came off it. From a stream of its own, so the rest of the plan stays as it was.
 */
export function planRevocationRecords(
  rng: Rng,
  entities: readonly EntityPlan[],
  today: string,
): CreditPlan[] {
  const out: CreditPlan[] = [];
  entities.forEach((e, entityIndex) => {
    if (!e.status.startsWith('吊销')) return;
    const decidedOn = shift(today, -rng.int(400, 1500));
    out.push({
      entityIndex,
      kind: 'abnormal_operation',
      decidedOn,
      removedOn: null,
      reason: '通过登记的住所或者经营场所无法联系',
      documentNo: `苏市监异〔${decidedOn.slice(0, 4)}〕${rng.int(1, 999)}号`,
      amount: null,
    });
  });
  return out;
}

type Seal = (kind: 'name' | 'idcard' | 'phone', value: string) => { enc: string; bidx: string };
const CHUNK = 1000;

/** Writes the plan in multi-row chunks; `entityIds[i]` / `stationIds[i]` belong to `entities[i]`. */
export async function writeDossier(
  tx: Transaction<DB>,
  plan: DossierPlan,
  refs: { entityIds: readonly number[]; stationIds: readonly number[] },
  seal: Seal,
): Promise<void> {
  const chunks = <T>(rows: readonly T[]) =>
    Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK));
  for (const c of chunks(plan.licences)) {
    await tx
      .insertInto('entity_licence')
      .values(
        c.map((l) => ({
          entity_id: refs.entityIds[l.entityIndex]!,
          kind: l.kind,
          licence_no: l.licenceNo,
          issued_on: l.issuedOn,
          valid_until: l.validUntil,
          status: l.status,
          issuer: l.issuer,
          source: 'demo',
          source_run_id: null,
        })),
      )
      .execute();
  }
  for (const c of chunks(plan.credit)) {
    await tx
      .insertInto('entity_credit_record')
      .values(
        c.map((r) => ({
          entity_id: refs.entityIds[r.entityIndex]!,
          kind: r.kind,
          decided_on: r.decidedOn,
          removed_on: r.removedOn,
          authority: AUTHORITY,
          reason: r.reason,
          document_no: r.documentNo,
          amount: r.amount,
          source: 'demo',
          source_run_id: null,
        })),
      )
      .execute();
  }
  for (const c of chunks(plan.persons)) {
    await tx
      .insertInto('entity_person')
      .values(
        c.map((p) => {
          const [name, id, phone] = [seal('name', p.name), seal('idcard', p.idCard), seal('phone', p.phone)];
          return {
            entity_id: refs.entityIds[p.entityIndex]!,
            station_id: refs.stationIds[p.entityIndex]!,
            role: p.role,
            name_enc: name.enc,
            name_bidx: name.bidx,
            id_card_enc: id.enc,
            id_card_bidx: id.bidx,
            phone_enc: phone.enc,
            phone_bidx: phone.bidx,
            source: 'demo',
            source_run_id: null,
          };
        }),
      )
      .execute();
  }
}
