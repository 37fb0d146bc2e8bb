import { type PersonIntake, writePersons } from '../../fusion/entities/entities.intake.ts';
import type { PersonRole } from '../../fusion/entities/entities.tables.ts';
import { idCardProblem, normalisePhone } from './exchange.checks.ts';
import {
  ENTITY_REF_FIELDS,
  entityRef,
  fromLabels,
  UPDATED_AT_FIELD,
  updatedAt,
} from './exchange.dataset.common.ts';
import type { DatasetHandler } from './exchange.datasets.ts';

/**
 * 人员: 法定代表人, 负责人, 从业人员. Name, ID number and phone are personal data: they are checked here, sealed
 * by the vault when written, and never kept in clear — a rejected row's report masks them too (see the run).
 */
export type PersonRow = PersonIntake & { updatedAt: string | null };

const ROLES: Record<string, PersonRole> = {
  法定代表人: 'legal_rep',
  负责人: 'principal',
  经营者: 'principal',
  从业人员: 'employee',
  legal_rep: 'legal_rep',
  principal: 'principal',
  employee: 'employee',
};

export const personDataset: DatasetHandler<PersonRow> = {
  dataset: 'person',
  label: '人员',
  fields: [
    ...ENTITY_REF_FIELDS,
    { key: 'role', label: '人员类别', required: true },
    { key: 'name', label: '姓名', required: true, max: 50 },
    { key: 'idCard', label: '身份证号', required: false },
    { key: 'phone', label: '联系电话', required: false },
    UPDATED_AT_FIELD,
  ],

  oneOf: [['uscc', 'entityName']],
  build(v, rowNo, fail, today) {
    const ref = entityRef(v, fail);
    const role = v.role === '' ? null : fromLabels(v.role!, ROLES, 'role', '人员类别', fail);
    let idCard: string | null = null;
    if (v.idCard !== '') {
      idCard = v.idCard!.toUpperCase();
      const problem = idCardProblem(idCard, today);
      if (problem) fail('idCard', `身份证号无效：${problem}`);
    }
    let phone: string | null = null;
    if (v.phone !== '') {
      phone = normalisePhone(v.phone!);
      if (phone === null) fail('phone', '联系电话不是有效的手机号或带区号的固定电话');
    }
    return {
      rowNo,
      ...ref,
      role: role ?? 'employee',
      name: v.name!,
      idCard,
      phone,
      updatedAt: updatedAt(v, fail),
    };
  },

  key: (r) => ({
    key: `${r.uscc ?? r.entityName}\t${r.role}\t${r.idCard ?? `姓名:${r.name}`}`,
    field: r.idCard ? 'idCard' : 'name',
    label: r.idCard ? '人员（主体、类别、身份证号）' : '人员（主体、类别、姓名）',
  }),
  updatedAt: (r) => r.updatedAt,
  personal: { name: 'name', idCard: 'idcard', phone: 'phone' },

  async apply(c, batch) {
    const r = await writePersons(c.tx, batch, { source: c.source, runId: c.runId, linked: c.linked }, c.pii);
    return { ...r, queued: 0 };
  },
};
