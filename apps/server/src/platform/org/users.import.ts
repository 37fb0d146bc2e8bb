import type { ImportError, UserImportResult } from '@rongjian/shared/api';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import { hashPassword } from '../auth/password.ts';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { PiiVault } from '../pii/pii.vault.ts';
import { listVisibleDepartments } from './departments.repo.ts';
import { conflictOnDuplicate } from './org.errors.ts';
import type { ImportReportRow } from './org.tables.ts';
import { buildErrorReport, parseUserSheet, type SheetRow } from './users.excel.ts';
import { type ImportLookups, type ImportRow, validateRows } from './users.import.rows.ts';
import { activeSysadminsAfterChange, rolesAndPosts, usersByUsername } from './users.repo.ts';
import { generatePassword, USERNAME_RE } from './users.rules.ts';

type Viewer = Pick<SessionUser, 'id' | 'scope'>;
const BATCH = 500;
const REPORT_KEEP_HOURS = 24;

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Excel import of staff: every row is validated first; the valid rows are then written in ONE transaction (all of
 * them or none). A username that exists is updated, so importing the same file twice changes nothing the second
 * time. Rejected rows go into an error report (xlsx) that only the importer can download, for a day.
 */
export function createUserImporter(deps: {
  db: Kysely<DB>;
  pii: PiiVault;
  /** Length of generated initial passwords (at least the policy's minimum). */
  passwordLength: () => number;
}) {
  const { db, pii } = deps;

  async function lookups(viewer: Viewer, rows: SheetRow[]): Promise<ImportLookups> {
    const departments = await listVisibleDepartments(db, viewer);
    const roles = await db.selectFrom('role').select(['id', 'code', 'name', 'permissions']).execute();
    const posts = await db.selectFrom('post').select(['id', 'code']).execute();
    const usernames = [...new Set(rows.map((r) => r.values[0] ?? '').filter((u) => USERNAME_RE.test(u)))];
    const found = await usersByUsername(db, viewer, usernames);
    const { roles: roleMap } = await rolesAndPosts(
      db,
      [...found.values()].map((u) => u.id),
    );
    return {
      departments: new Map(departments.map((d) => [d.code, d.id])),
      roles: new Map(roles.map((r) => [r.code, r])),
      posts: new Map(posts.map((p) => [p.code, p.id])),
      existing: new Map(
        [...found].map(([name, u]) => [
          name,
          { ...u, roleCodes: (roleMap.get(u.id) ?? []).map((r) => r.code) },
        ]),
      ),
      importerId: viewer.id,
    };
  }

  async function replaceLinks(
    tx: Transaction<DB>,
    table: 'user_role' | 'user_post',
    pairs: [number, number[]][],
  ) {
    const userIds = pairs.map(([u]) => u);
    for (const ids of chunks(userIds)) await tx.deleteFrom(table).where('user_id', 'in', ids).execute();
    const rows = pairs.flatMap(([user_id, ids]) => ids.map((id) => [user_id, id] as const));
    for (const part of chunks(rows)) {
      if (table === 'user_role') {
        await tx
          .insertInto('user_role')
          .values(part.map(([user_id, role_id]) => ({ user_id, role_id })))
          .execute();
      } else {
        await tx
          .insertInto('user_post')
          .values(part.map(([user_id, post_id]) => ({ user_id, post_id })))
          .execute();
      }
    }
  }

  async function apply(valid: ImportRow[]) {
    const fresh = valid.filter((r) => r.existingId === null);
    const updates = valid.filter((r) => r.existingId !== null);
    const length = Math.max(14, deps.passwordLength());
    const passwords = fresh.map((r) => ({ username: r.username, password: generatePassword(length) }));
    // Hashing is the slow part (PBKDF2): done before the transaction, in parallel on the thread pool.
    const hashes = await Promise.all(passwords.map((p) => hashPassword(p.password)));
    const phoneCols = (phone: string | null) =>
      phone ? { phone_enc: pii.encrypt('phone', phone), phone_bidx: pii.blindIndex('phone', phone) } : {};

    await db.transaction().execute(async (tx) => {
      const ids = new Map<string, number>();
      for (const part of chunks(fresh.map((r, i) => ({ r, hash: hashes[i]! })))) {
        const inserted = await tx
          .insertInto('app_user')
          .values(
            part.map(({ r, hash }) => ({
              username: r.username,
              display_name: r.displayName,
              department_id: r.departmentId,
              password_hash: hash,
              must_change_password: true,
              cert_no: r.certNo,
              cert_valid_until: r.certValidUntil,
              phone_enc: null,
              phone_bidx: null,
              ...phoneCols(r.phone),
            })),
          )
          .returning(['id', 'username'])
          .execute();
        for (const u of inserted) ids.set(u.username, u.id);
        // The initial password joins the history, so the forced change cannot pick it again (as setUserPassword does).
        await tx
          .insertInto('password_history')
          .values(part.map(({ r, hash }) => ({ user_id: ids.get(r.username)!, password_hash: hash })))
          .execute();
      }
      for (const r of updates) {
        await tx
          .updateTable('app_user')
          .set({
            display_name: r.displayName,
            department_id: r.departmentId,
            ...(r.certNo !== null ? { cert_no: r.certNo } : {}),
            ...(r.certValidUntil !== null ? { cert_valid_until: r.certValidUntil } : {}),
            ...phoneCols(r.phone),
            updated_at: sql<Date>`now()`,
          })
          .where('id', '=', r.existingId!)
          .execute();
      }
      const idOf = (r: ImportRow) => r.existingId ?? ids.get(r.username)!;
      const roleRows = valid.filter((r) => r.roleIds !== null);
      await replaceLinks(
        tx,
        'user_role',
        roleRows.map((r) => [idOf(r), r.roleIds!]),
      );
      await replaceLinks(
        tx,
        'user_post',
        valid.filter((r) => r.postIds !== null).map((r) => [idOf(r), r.postIds!]),
      );
      if (updates.some((r) => r.roleIds !== null) && (await activeSysadminsAfterChange(tx)) === 0) {
        throw new AppError('LAST_SYSADMIN', '导入将移除最后一名在用的系统管理员，已全部撤销', {
          status: 409,
        });
      }
    });
    return passwords;
  }

  async function saveReport(viewer: Viewer, fileName: string, rows: SheetRow[], errors: ImportError[]) {
    const reasons = new Map<number, string[]>();
    for (const e of errors) reasons.set(e.row, [...(reasons.get(e.row) ?? []), `${e.field}：${e.reason}`]);
    const reportRows: ImportReportRow[] = rows
      .filter((r) => reasons.has(r.row))
      .map((r) => ({ row: r.row, values: r.values, reason: reasons.get(r.row)!.join('；') }));
    await db
      .deleteFrom('user_import_report')
      .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${REPORT_KEEP_HOURS})`)
      .execute();
    const saved = await db
      .insertInto('user_import_report')
      .values({
        created_by: viewer.id,
        file_name: fileName.slice(0, 200),
        row_count: reportRows.length,
        rows_enc: pii.encrypt('secret', JSON.stringify(reportRows)),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return saved.id;
  }

  return {
    async run(
      viewer: Viewer,
      file: { name: string; data: Buffer },
      dryRun: boolean,
    ): Promise<UserImportResult> {
      const rows = await parseUserSheet(file.data);
      if (rows.length === 0)
        throw new AppError('IMPORT_FILE_EMPTY', '文件中没有数据行，请在模板第二行起填写用户');
      const { valid, errors } = validateRows(rows, await lookups(viewer, rows));
      const initialPasswords =
        dryRun || valid.length === 0
          ? []
          : await conflictOnDuplicate(() => apply(valid), '导入期间有其他人创建了同名用户，请重新导入');
      const failed = new Set(errors.map((e) => e.row)).size;
      const result: UserImportResult = {
        dryRun,
        total: rows.length,
        created: valid.filter((r) => r.existingId === null).length,
        updated: valid.filter((r) => r.existingId !== null).length,
        failed,
        errors,
        initialPasswords,
      };
      if (failed > 0) result.errorReportId = await saveReport(viewer, file.name, rows, errors);
      return result;
    },

    /** The error report of an import, for the person who ran it only. */
    async report(viewer: Viewer, id: number): Promise<Buffer> {
      const r = await db
        .selectFrom('user_import_report')
        .select(['rows_enc'])
        .where('id', '=', id)
        .where('created_by', '=', viewer.id)
        .executeTakeFirst();
      if (!r) throw notFound('错误报告');
      return buildErrorReport(JSON.parse(pii.decrypt(r.rows_enc)) as ImportReportRow[]);
    },
  };
}

export type UserImporter = ReturnType<typeof createUserImporter>;
