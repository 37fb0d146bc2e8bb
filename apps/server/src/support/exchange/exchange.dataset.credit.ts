import { type CreditIntake, writeCreditRecords } from '../../fusion/entities/entities.intake.ts';
import type { CreditKind } from '../../fusion/entities/entities.tables.ts';
import { parseAmount } from './exchange.checks.ts';
import {
  ENTITY_REF_FIELDS,
  entityRef,
  fromLabels,
  optionalDate,
  UPDATED_AT_FIELD,
  updatedAt,
} from './exchange.dataset.common.ts';
import type { DatasetHandler } from './exchange.datasets.ts';

/** 信用: 经营异常名录, 严重违法失信名单 and 行政处罚 entries, upserted on (entity, kind, 决定日期, 决定书文号). */
export type CreditRow = CreditIntake & { updatedAt: string | null };

const KINDS: Record<string, CreditKind> = {
  列入经营异常名录: 'abnormal_operation',
  经营异常名录: 'abnormal_operation',
  严重违法失信名单: 'serious_violation',
  列入严重违法失信名单: 'serious_violation',
  行政处罚: 'administrative_penalty',
  行政处罚信息: 'administrative_penalty',
  abnormal_operation: 'abnormal_operation',
  serious_violation: 'serious_violation',
  administrative_penalty: 'administrative_penalty',
};

export const creditDataset: DatasetHandler<CreditRow> = {
  dataset: 'credit',
  label: '信用',
  fields: [
    ...ENTITY_REF_FIELDS,
    { key: 'kind', label: '信用类别', required: true },
    { key: 'decidedOn', label: '决定日期', required: true },
    { key: 'removedOn', label: '移出日期', required: false },
    { key: 'authority', label: '决定机关', required: false, max: 200 },
    { key: 'reason', label: '事由', required: false, max: 2000 },
    { key: 'documentNo', label: '决定书文号', required: false, max: 100 },
    { key: 'amount', label: '罚没金额（元）', required: false },
    UPDATED_AT_FIELD,
  ],

  oneOf: [['uscc', 'entityName']],
  build(v, rowNo, fail, today) {
    const ref = entityRef(v, fail);
    const kind = v.kind === '' ? null : fromLabels(v.kind!, KINDS, 'kind', '信用类别', fail);
    const decidedOn = optionalDate(v, 'decidedOn', '决定日期', fail, today);
    const removedOn = optionalDate(v, 'removedOn', '移出日期', fail, today);
    if (decidedOn && removedOn && removedOn < decidedOn)
      fail('removedOn', `移出日期 ${removedOn} 早于决定日期 ${decidedOn}`);
    let amount: number | null = null;
    if (v.amount !== '') {
      amount = parseAmount(v.amount!);
      if (amount === null) fail('amount', `罚没金额“${v.amount}”不是有效金额（元，最多两位小数）`);
    }
    return {
      rowNo,
      ...ref,
      kind: kind ?? 'administrative_penalty',
      decidedOn: decidedOn ?? '',
      removedOn,
      authority: v.authority!,
      reason: v.reason!,
      documentNo: v.documentNo!,
      amount,
      updatedAt: updatedAt(v, fail),
    };
  },

  key: (r) => ({
    key: `${r.uscc ?? r.entityName}\t${r.kind}\t${r.decidedOn}\t${r.documentNo}`,
    field: 'documentNo',
    label: '信用记录（主体、类别、决定日期、文号）',
  }),
  updatedAt: (r) => r.updatedAt,

  async apply(c, batch) {
    const r = await writeCreditRecords(c.tx, batch, { source: c.source, runId: c.runId, linked: c.linked });
    return { ...r, queued: 0 };
  },
};
