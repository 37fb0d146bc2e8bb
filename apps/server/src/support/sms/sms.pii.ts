import { registerPiiColumn } from '../../platform/pii/pii.registry.ts';

/** The number each text message went to (sealed; the outbox shows it masked). */
export const smsPhoneColumn = registerPiiColumn({
  table: 'sms_outbox',
  idColumn: 'id',
  column: 'phone_enc',
  kind: 'phone',
  departmentColumn: 'department_id',
  objectType: 'sms_outbox',
  field: 'phone',
  label: '短信接收号码',
});

/** The key of the HTTP SMS gateway (never revealed). */
export const smsKeyColumn = registerPiiColumn({
  table: 'sms_credential',
  idColumn: 'id',
  column: 'key_enc',
  kind: 'secret',
  field: 'key',
  label: '短信网关密钥',
});
