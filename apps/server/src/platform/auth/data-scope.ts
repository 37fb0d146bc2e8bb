import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { SessionUser } from './auth.service.ts';

/**
 * The data-scope condition for a query, in SQL: every list and every read by id applies it, so a record outside
 * the user's scope is simply not found (404), never returned and never hinted at.
 *   - 全部 (`all`): no restriction
 *   - 指定部门 / 本部门 / 本部门及以下: the record's department is among `scope.departmentIds`
 *   - 仅本人 (`self`): the record's owner column is the user
 * Roles combine by union. Column names are trusted identifiers from repository code, never user input.
 */
export function inDataScope<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  user: Pick<SessionUser, 'id' | 'scope'>,
  columns: { department: string; owner?: string },
): Expression<SqlBool> {
  if (user.scope.all) return sql<SqlBool>`true`;
  const allowed: Expression<SqlBool>[] = [];
  if (user.scope.departmentIds.length > 0) {
    allowed.push(sql<SqlBool>`${sql.ref(columns.department)} in (${sql.join(user.scope.departmentIds)})`);
  }
  if (user.scope.self && columns.owner) allowed.push(sql<SqlBool>`${sql.ref(columns.owner)} = ${user.id}`);
  return allowed.length > 0 ? eb.or(allowed) : sql<SqlBool>`false`;
}
