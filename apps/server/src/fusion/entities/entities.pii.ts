import { registerPiiColumn } from '../../platform/pii/pii.registry.ts';

/**
 * Personnel of a 经营主体 (法定代表人, 负责人, 从业人员): encrypted, searchable by blind index, revealed within the
 * viewer's data scope through the entity's 所 (`station_id`, copied onto the row).
 */
const common = {
  table: 'entity_person',
  idColumn: 'id',
  departmentColumn: 'station_id',
  objectType: 'entity_person',
} as const;

export const personNameColumn = registerPiiColumn({
  ...common,
  column: 'name_enc',
  kind: 'name',
  blindIndexColumn: 'name_bidx',
  field: 'name',
  label: '经营主体人员姓名',
});

export const personIdCardColumn = registerPiiColumn({
  ...common,
  column: 'id_card_enc',
  kind: 'idcard',
  blindIndexColumn: 'id_card_bidx',
  field: 'idCard',
  label: '经营主体人员身份证号',
});

export const personPhoneColumn = registerPiiColumn({
  ...common,
  column: 'phone_enc',
  kind: 'phone',
  blindIndexColumn: 'phone_bidx',
  field: 'phone',
  label: '经营主体人员手机号',
});
