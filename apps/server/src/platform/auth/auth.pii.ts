import { registerPiiColumn } from '../pii/pii.registry.ts';

/**
 * TOTP seeds are credentials: vault tokens of kind 'secret' (never masked, never revealed), registered so that key
 * rotation re-encrypts them like every other protected column.
 */
export const totpSecretColumn = registerPiiColumn({
  table: 'user_totp',
  idColumn: 'user_id',
  column: 'secret_enc',
  kind: 'secret',
  ownerColumn: 'user_id',
  objectType: 'user_totp',
  field: 'secret',
  label: '动态口令密钥',
});

export const totpPendingSecretColumn = registerPiiColumn({
  table: 'user_totp',
  idColumn: 'user_id',
  column: 'pending_secret_enc',
  kind: 'secret',
  ownerColumn: 'user_id',
  objectType: 'user_totp',
  field: 'pending_secret',
  label: '待绑定的动态口令密钥',
});
