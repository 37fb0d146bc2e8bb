import { registerPiiColumn } from '../../platform/pii/pii.registry.ts';

/**
 * The bearer token of an `http` exchange source, sealed by the vault so key rotation re-encrypts it. Kind
 * `secret`: never revealed, never returned by an API (the console only learns whether one is set).
 */
export const exchangeTokenColumn = registerPiiColumn({
  table: 'exchange_source',
  idColumn: 'id',
  column: 'token_enc',
  kind: 'secret',
  field: 'token',
  label: '数据交换接口访问令牌',
});
