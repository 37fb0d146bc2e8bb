import { registerPiiColumn } from '../pii/pii.registry.ts';

/** Staff mobile numbers: encrypted, searchable through the blind index, revealed within the viewer's data scope. */
export const staffPhoneColumn = registerPiiColumn({
  table: 'app_user',
  idColumn: 'id',
  column: 'phone_enc',
  kind: 'phone',
  blindIndexColumn: 'phone_bidx',
  departmentColumn: 'department_id',
  // 仅本人: a user may see their own number.
  ownerColumn: 'id',
  objectType: 'user',
  field: 'phone',
  label: '人员手机号',
});
