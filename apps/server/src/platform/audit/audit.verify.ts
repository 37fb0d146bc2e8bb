import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import { chainHash, contentOfRow, GENESIS_HASH } from './audit.chain.ts';
import type { AuditResult, AuditSummary } from './audit.tables.ts';

export type VerifyResult =
  | { ok: true; count: number }
  | { ok: false; recordId: number; reason: 'altered' | 'inserted' | 'deleted'; message: string };

interface ChainRow {
  id: number;
  occurred_at: Date;
  actor_id: number | null;
  actor_name: string;
  ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: AuditResult;
  summary: AuditSummary | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

const BATCH = 2000;

/**
 * Rows of both tables in id order after `afterId`. One statement per batch, so a record the archive job moves
 * between batches is still seen exactly once (it keeps its id).
 */
async function batchAfter(db: Kysely<DB>, afterId: number): Promise<ChainRow[]> {
  const cols = sql.raw(
    'id, occurred_at, actor_id, actor_name, ip, action, object_type, object_id, result, summary, detail, prev_hash, hash',
  );
  const res = await sql<ChainRow>`
    select * from (
      select ${cols} from audit_archive where id > ${afterId}
      union all
      select ${cols} from audit_log where id > ${afterId}
    ) r order by id limit ${BATCH}`.execute(db);
  return res.rows.map((r) => ({
    ...r,
    id: Number(r.id),
    actor_id: r.actor_id === null ? null : Number(r.actor_id),
  }));
}

function broken(recordId: number, reason: 'altered' | 'inserted' | 'deleted'): VerifyResult {
  const what = {
    altered: '该记录被篡改（内容与哈希不符）',
    inserted: '该记录被插入',
    deleted: '其前一条被删除',
  }[reason];
  return { ok: false, recordId, reason, message: `审计链在第 ${recordId} 条记录处断开：${what}` };
}

interface Suspect {
  row: ChainRow;
  selfOk: boolean;
  linkOk: boolean;
  /** The hash the suspect should have pointed at. */
  expected: string;
}

/** Decide what happened to a record whose hash or link is wrong, given the record after it (if any). */
function judge(s: Suspect, next: ChainRow | undefined): VerifyResult {
  // The next record skips the suspect and links to what came before it: the suspect was slipped in.
  if (next && next.prev_hash === s.expected) return broken(s.row.id, 'inserted');
  if (!s.selfOk) return broken(s.row.id, !next && !s.linkOk ? 'inserted' : 'altered');
  return broken(s.row.id, 'deleted');
}

/**
 * Walk the chain from the genesis value. Each record's hash must match its content, and it must point at the hash
 * of the record before it. When a link is wrong, the records around it tell apart a record changed in place, a
 * record slipped in and a record removed. (A forged record appended after the newest one with correctly computed
 * hashes cannot be told from a real one by the chain alone.)
 */
export async function verifyChain(db: Kysely<DB>): Promise<VerifyResult> {
  let expected = GENESIS_HASH;
  let last: { id: number; expectedBefore: string } | null = null;
  let count = 0;
  let afterId = 0;
  let suspect: Suspect | null = null;

  for (;;) {
    const rows = await batchAfter(db, afterId);
    for (const row of rows) {
      if (suspect) return judge(suspect, row);
      const selfOk = chainHash(row.prev_hash, contentOfRow(row)) === row.hash;
      const linkOk = row.prev_hash === expected;
      if (selfOk && linkOk) {
        last = { id: row.id, expectedBefore: expected };
        expected = row.hash;
        count++;
        continue;
      }
      if (!linkOk && last) {
        // Points past the previous record: that one was slipped in with a well-formed hash.
        if (row.prev_hash === last.expectedBefore) return broken(last.id, 'inserted');
        // Consecutive ids leave no room for a removed record: the previous one was rewritten, hash and all.
        if (selfOk && row.id === last.id + 1) return broken(last.id, 'altered');
      }
      suspect = { row, selfOk, linkOk, expected };
    }
    if (rows.length < BATCH) break;
    afterId = rows[rows.length - 1]?.id ?? afterId;
  }
  return suspect ? judge(suspect, undefined) : { ok: true, count };
}
