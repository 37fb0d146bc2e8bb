/**
 * Where personal data lives. Every module that stores an encrypted column registers it here at import time (in
 * its `<module>.pii.ts`, listed in `pii.catalog.ts`), so key rotation re-encrypts every column and the reveal
 * route can find a value — always through the registered department column, i.e. within the caller's data scope.
 */

export type PiiKind = 'name' | 'phone' | 'idcard' | 'address' | 'secret';

export interface PiiColumn {
  /** Table holding the ciphertext; a trusted identifier from code, never user input. */
  table: string;
  /** Integer primary key, used for keyset batches and reveal look-ups. */
  idColumn: string;
  /** Column holding the vault token (`v<version>.…`), nullable. */
  column: string;
  kind: PiiKind;
  /** Column holding the HMAC-SM3 blind index of the same value, when the value is searchable. */
  blindIndexColumn?: string;
  /** Department owning the row: the data-scope filter of reveal. Without it only 全部-scope users may reveal. */
  departmentColumn?: string;
  /** Owner (user id) column for the 仅本人 scope. */
  ownerColumn?: string;
  /** Object type named in reveal requests and audit records (defaults to the table name). */
  objectType?: string;
  /** Field name in reveal requests (defaults to the column name without `_enc`). */
  field?: string;
  /** Chinese label for people: `人员手机号`. */
  label: string;
}

export interface RegisteredPiiColumn extends PiiColumn {
  objectType: string;
  field: string;
}

const columns = new Map<string, RegisteredPiiColumn>();

const IDENT_RE = /^[a-z_][a-z0-9_]*$/;

export function registerPiiColumn(def: PiiColumn): RegisteredPiiColumn {
  for (const ident of [
    def.table,
    def.idColumn,
    def.column,
    def.blindIndexColumn,
    def.departmentColumn,
    def.ownerColumn,
  ]) {
    if (ident !== undefined && !IDENT_RE.test(ident)) throw new Error(`pii column: bad identifier ${ident}`);
  }
  const col: RegisteredPiiColumn = {
    ...def,
    objectType: def.objectType ?? def.table,
    field: def.field ?? def.column.replace(/_enc$/, ''),
  };
  const key = `${col.table}.${col.column}`;
  // Re-registration (module re-import in tests) is harmless as long as the definition is the same one.
  columns.set(key, col);
  return col;
}

export function piiColumns(): RegisteredPiiColumn[] {
  return [...columns.values()];
}

export function findPiiColumn(objectType: string, field: string): RegisteredPiiColumn | undefined {
  return piiColumns().find((c) => c.objectType === objectType && c.field === field);
}
