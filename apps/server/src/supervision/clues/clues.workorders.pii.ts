import { registerPiiColumn } from '../../platform/pii/pii.registry.ts';

/** The HMAC-SM3 key shared with a 12315/12345 platform (kind `secret`: never revealed, re-sealed on key rotation). */
export const workOrderSecretColumn = registerPiiColumn({
  table: 'workorder_source',
  idColumn: 'code',
  column: 'push_secret_enc',
  kind: 'secret',
  field: 'secret',
  label: '工单对接签名密钥',
});
