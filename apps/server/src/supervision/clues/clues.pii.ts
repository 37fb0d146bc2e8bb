import { registerPiiColumn } from '../../platform/pii/pii.registry.ts';

/**
 * Complainants and informants of clues: every field sealed (SM4), name/phone/ID searchable by blind index,
 * revealed only within the viewer's data scope through the clue's department (copied onto the row).
 */
const common = {
  table: 'clue_party',
  idColumn: 'id',
  departmentColumn: 'department_id',
  objectType: 'clue_party',
} as const;

export const partyNameColumn = registerPiiColumn({
  ...common,
  column: 'name_enc',
  kind: 'name',
  blindIndexColumn: 'name_bidx',
  field: 'name',
  label: '投诉举报人姓名',
});
export const partyPhoneColumn = registerPiiColumn({
  ...common,
  column: 'phone_enc',
  kind: 'phone',
  blindIndexColumn: 'phone_bidx',
  field: 'phone',
  label: '投诉举报人电话',
});
export const partyIdCardColumn = registerPiiColumn({
  ...common,
  column: 'id_card_enc',
  kind: 'idcard',
  blindIndexColumn: 'id_card_bidx',
  field: 'idCard',
  label: '投诉举报人身份证号',
});
export const partyAddressColumn = registerPiiColumn({
  ...common,
  column: 'address_enc',
  kind: 'address',
  field: 'address',
  label: '投诉举报人地址',
});
