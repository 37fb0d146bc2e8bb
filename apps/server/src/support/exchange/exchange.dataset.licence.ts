import { type LicenceIntake, writeLicences } from '../../fusion/entities/entities.intake.ts';
import type { LicenceKind, LicenceStatus } from '../../fusion/entities/entities.tables.ts';
import {
  ENTITY_REF_FIELDS,
  entityRef,
  fromLabels,
  optionalDate,
  UPDATED_AT_FIELD,
  updatedAt,
} from './exchange.dataset.common.ts';
import type { DatasetHandler } from './exchange.datasets.ts';

/** 许可: licences of an entity, upserted on (许可类别, 许可证编号). */
export type LicenceRow = LicenceIntake & { updatedAt: string | null };

const KINDS: readonly LicenceKind[] = [
  'food_business',
  'drug_business',
  'special_equipment_use',
  'medical_device',
  'other',
];

/** 许可类别 as exchanges word it → kind; anything else is `other` (其他许可). */
export function licenceKind(text: string): LicenceKind {
  if (text.includes('食品经营')) return 'food_business';
  if (text.includes('药品经营')) return 'drug_business';
  if (text.includes('特种设备使用登记')) return 'special_equipment_use';
  if (text.includes('医疗器械经营')) return 'medical_device';
  return (KINDS as readonly string[]).includes(text) ? (text as LicenceKind) : 'other';
}

const STATUS: Record<string, LicenceStatus> = { 有效: '有效', 注销: '注销', 吊销: '吊销', 过期: '过期' };
/** Wording for a licence without an end date. */
const OPEN_ENDED = new Set(['长期', '长期有效', '永久', '永久有效']);

export const licenceDataset: DatasetHandler<LicenceRow> = {
  dataset: 'licence',
  label: '许可',
  fields: [
    ...ENTITY_REF_FIELDS,
    { key: 'kind', label: '许可类别', required: true, max: 100 },
    { key: 'licenceNo', label: '许可证编号', required: true, max: 100 },
    { key: 'issuedOn', label: '发证日期', required: false },
    { key: 'validUntil', label: '有效期至', required: false },
    { key: 'status', label: '许可状态', required: false },
    { key: 'issuer', label: '发证机关', required: false, max: 200 },
    UPDATED_AT_FIELD,
  ],

  oneOf: [['uscc', 'entityName']],
  build(v, rowNo, fail, today) {
    const ref = entityRef(v, fail);
    const issuedOn = optionalDate(v, 'issuedOn', '发证日期', fail, today);
    const validUntil = OPEN_ENDED.has(v.validUntil!)
      ? null
      : optionalDate(v, 'validUntil', '有效期至', fail, null);
    if (issuedOn && validUntil && validUntil < issuedOn)
      fail('validUntil', `有效期至 ${validUntil} 早于发证日期 ${issuedOn}`);
    const status = v.status === '' ? '有效' : fromLabels(v.status!, STATUS, 'status', '许可状态', fail);
    return {
      rowNo,
      ...ref,
      kind: licenceKind(v.kind!),
      licenceNo: v.licenceNo!,
      issuedOn,
      validUntil,
      status: status ?? '有效',
      issuer: v.issuer!,
      updatedAt: updatedAt(v, fail),
    };
  },

  key: (r) => ({ key: `${r.kind}\t${r.licenceNo}`, field: 'licenceNo', label: '许可证编号' }),
  updatedAt: (r) => r.updatedAt,

  async apply(c, batch) {
    const r = await writeLicences(c.tx, batch, { source: c.source, runId: c.runId, linked: c.linked });
    return { ...r, queued: 0 };
  },
};
