import { type Expression, expressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { inDataScope } from '../auth/data-scope.ts';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { findPiiColumn } from './pii.catalog.ts';
import type { RegisteredPiiColumn } from './pii.registry.ts';
import type { PiiVault } from './pii.vault.ts';

export interface RevealRequest {
  objectType: string;
  objectId: number;
  field: string;
  reason: string;
}

/** The data-scope condition on a registered column's row; without a department column only 全部 (or self) sees it. */
function scopeOf(col: RegisteredPiiColumn, user: Pick<SessionUser, 'id' | 'scope'>): Expression<SqlBool> {
  // biome-ignore lint/suspicious/noExplicitAny: registered tables are addressed by name, checked at registration
  const eb = expressionBuilder<any, any>();
  if (col.departmentColumn) {
    return inDataScope(eb, user, {
      department: col.departmentColumn,
      ...(col.ownerColumn ? { owner: col.ownerColumn } : {}),
    });
  }
  if (user.scope.all) return sql<SqlBool>`true`;
  if (user.scope.self && col.ownerColumn) return sql<SqlBool>`${sql.ref(col.ownerColumn)} = ${user.id}`;
  return sql<SqlBool>`false`;
}

/**
 * Reveal one registered field of one record: the row is read with the caller's data scope in SQL (outside it the
 * record does not exist for them: 404), decrypted, and the reveal is audited in the same transaction — so a
 * value is never shown without its audit record.
 */
export async function revealField(
  deps: { db: Kysely<DB>; pii: PiiVault },
  user: SessionUser,
  req: RevealRequest,
  ip: string | null,
): Promise<{ value: string; column: RegisteredPiiColumn }> {
  const col = findPiiColumn(req.objectType, req.field);
  if (!col) throw notFound('该个人信息字段');
  if (col.kind === 'secret') throw new AppError('FORBIDDEN', '该类信息不可查看明文');
  return deps.db.transaction().execute(async (tx) => {
    const res = await sql<{ token: string | null }>`
      select ${sql.ref(col.column)} as token from ${sql.table(col.table)}
      where ${sql.ref(col.idColumn)} = ${req.objectId} and ${scopeOf(col, user)}`.execute(tx);
    const row = res.rows[0];
    if (!row) throw notFound('该记录');
    if (row.token === null) throw new AppError('NOT_FOUND', `该记录未登记${col.label}`);
    const value = await deps.pii.reveal(
      tx,
      { id: user.id, name: user.displayName },
      {
        kind: col.kind,
        token: row.token,
        reason: req.reason,
        objectType: col.objectType,
        objectId: req.objectId,
        label: col.label,
        ip,
      },
    );
    return { value, column: col };
  });
}
