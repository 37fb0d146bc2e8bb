import type { Generated } from 'kysely';
import type { GeneratedTimestamp } from '../db/schema.ts';

/** One rejected row of a user import: the cells as uploaded (header order) and why it was rejected. */
export interface ImportReportRow {
  row: number;
  values: string[];
  reason: string;
}

/** Row-level error report of one user import, downloadable as xlsx for a day by the person who imported. */
export interface UserImportReportTable {
  id: Generated<number>;
  created_by: number;
  created_at: GeneratedTimestamp;
  file_name: string;
  row_count: number;
  /** Vault token of `JSON.stringify({ headers, rows: ImportReportRow[] })`: the rows hold personal data. */
  rows_enc: string;
}

/** Row types of this module's tables: organisation administration extras. Merged into `DB` in platform/db/schema.ts. */
export interface OrgAdminTables {
  user_import_report: UserImportReportTable;
}
