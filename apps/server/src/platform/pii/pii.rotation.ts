import { type Kysely, sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { deriveMasterKeys } from './pii.crypto.ts';
import { createKeyVersion } from './pii.keys.ts';
import { resolveMasterKey } from './pii.master-key.ts';
import { piiColumns, type RegisteredPiiColumn } from './pii.registry.ts';
import { KEY_REFRESH_MS, type PiiVault } from './pii.vault.ts';

/**
 * Data-key rotation. A new version is staged, then becomes active (the old one `retiring`), then every registered column is
 * re-encrypted in batches — keyset by id, each batch its own transaction — and the old version is retired once no
 * value uses it. Progress needs no bookkeeping: a value already under the active version is skipped, so running
 * `keys rotate` again after a crash (or after `--max-batches`) simply continues. Blind indexes hang off the master
 * key, not the data key, so they stay valid throughout.
 */

export interface RotationDeps {
  db: Kysely<DB>;
  config: Config;
  vault: PiiVault;
  audit: AuditService;
}

export interface RotationOptions {
  batchSize?: number;
  /** Stop after this many batches (a bounded run for a maintenance window); run again to continue. */
  maxBatches?: number;
  onProgress?: (column: RegisteredPiiColumn, reencrypted: number) => void;
  /**
   * How long to let running servers load a new key version before using it (server mode: a little over their
   * refresh interval; embedded mode: 0, the data-directory lock means no server is running). 0 when every node
   * is stopped.
   */
  settleMs?: number;
  /** `load`: nodes learn the staged version; `switch`: nodes start encrypting with it. */
  onWait?: (ms: number, step: 'load' | 'switch') => void;
}

export interface RotationResult {
  /** True when an unfinished rotation was continued instead of starting a new one. */
  resumed: boolean;
  activeVersion: number;
  reencrypted: number;
  /** Versions retired by this run. */
  retired: number[];
  /** Values still under a retiring version (non-zero only when the run stopped early). */
  remaining: number;
}

const CLI_ACTOR = { id: null, name: '命令行（keys rotate）' };

/**
 * Start a rotation, or find the one under way: a new version is first `staged` (every process loads it and can
 * decrypt with it, none encrypts with it yet), then — once running nodes have had time to load it — made active.
 */
async function beginRotation(deps: RotationDeps): Promise<{ resumed: boolean; staged: boolean }> {
  const master = deriveMasterKeys(resolveMasterKey(deps.config));
  return deps.db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('pii_key').select(['version', 'state']).forUpdate().execute();
    if (rows.some((r) => r.state === 'staged')) return { resumed: true, staged: true };
    if (rows.some((r) => r.state === 'retiring')) return { resumed: true, staged: false };
    const next = Math.max(0, ...rows.map((r) => r.version)) + 1;
    await createKeyVersion(tx, master, next, 'staged');
    await deps.audit.record(tx, {
      actor: CLI_ACTOR,
      action: 'security.key.rotate',
      objectType: 'pii_key',
      objectId: next,
      result: 'success',
      detail: `个人信息数据密钥轮换：生成 v${next}`,
    });
    return { resumed: false, staged: true };
  });
}

/** The staged version becomes the one that encrypts; the previous active one keeps decrypting until retired. */
async function activateStaged(db: Kysely<DB>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.selectFrom('pii_key').select('version').forUpdate().execute();
    await tx.updateTable('pii_key').set({ state: 'retiring' }).where('state', '=', 'active').execute();
    await tx.updateTable('pii_key').set({ state: 'active' }).where('state', '=', 'staged').execute();
  });
}

const activePrefix = (v: number) => `v${v}.%`;

/** One batch of one column: values after `afterId` not yet under the active version. Returns the last id seen. */
async function reencryptBatch(
  deps: RotationDeps,
  col: RegisteredPiiColumn,
  afterId: number,
  batchSize: number,
): Promise<{ lastId: number | undefined; count: number }> {
  const { vault } = deps;
  return deps.db.transaction().execute(async (tx) => {
    const id = sql.ref(col.idColumn);
    const value = sql.ref(col.column);
    const rows = await sql<{ id: number; token: string }>`
      select ${id} as id, ${value} as token from ${sql.table(col.table)}
      where ${id} > ${afterId} and ${value} is not null and ${value} not like ${activePrefix(vault.activeVersion())}
      order by ${id} limit ${batchSize} for update`.execute(tx);
    if (rows.rows.length === 0) return { lastId: undefined, count: 0 };
    const pairs = rows.rows.map((r) => sql`(${Number(r.id)}::bigint, ${reseal(vault, col, r)})`);
    await sql`
      update ${sql.table(col.table)} as t set ${value} = v.token
      from (values ${sql.join(pairs)}) as v(id, token) where t.${id} = v.id`.execute(tx);
    return { lastId: Number(rows.rows.at(-1)!.id), count: rows.rows.length };
  });
}

/** Re-encrypt one value; a value that does not verify stops the rotation with the record named (never skipped). */
function reseal(vault: PiiVault, col: RegisteredPiiColumn, row: { id: number; token: string }): string {
  let plain: string;
  try {
    plain = vault.decrypt(row.token);
  } catch {
    throw new AppError(
      'PII_TOKEN_INVALID',
      `${col.label}（${col.table}.${col.column}，${col.idColumn} = ${row.id}）的密文无法校验，轮换已停止：请先核查该记录后再运行 keys rotate`,
      { status: 500 },
    );
  }
  return vault.encrypt(col.kind, plain);
}

/** Values under each version, per registered column (`keys status`). */
export async function countByVersion(
  db: Kysely<DB>,
): Promise<{ column: RegisteredPiiColumn; counts: Map<number, number> }[]> {
  const out = [];
  for (const col of piiColumns()) {
    const value = sql.ref(col.column);
    const res = await sql<{ v: string; n: number }>`
      select split_part(${value}, '.', 1) as v, count(*)::int as n from ${sql.table(col.table)}
      where ${value} is not null group by 1`.execute(db);
    out.push({ column: col, counts: new Map(res.rows.map((r) => [Number(r.v.slice(1)), Number(r.n)])) });
  }
  return out;
}

export async function rotateKeys(deps: RotationDeps, opts: RotationOptions = {}): Promise<RotationResult> {
  const batchSize = opts.batchSize ?? 500;
  // Embedded mode: the data-directory lock already guarantees that no server is running next to us.
  const settleMs = opts.settleMs ?? (deps.config.backend === 'postgresql' ? KEY_REFRESH_MS + 5_000 : 0);
  const settle = async (step: 'load' | 'switch') => {
    if (settleMs <= 0) return;
    opts.onWait?.(settleMs, step);
    await new Promise((r) => setTimeout(r, settleMs));
  };
  const { resumed, staged } = await beginRotation(deps);
  if (staged) {
    await settle('load'); // every node can now decrypt the new version…
    await activateStaged(deps.db);
    await settle('switch'); // …and every node now encrypts with it, so nothing new lands under the old one.
  }
  await deps.vault.refresh();
  let reencrypted = 0;
  let batches = 0;
  const budgetLeft = () => opts.maxBatches === undefined || batches < opts.maxBatches;
  for (const col of piiColumns()) {
    let afterId = 0;
    while (budgetLeft()) {
      const { lastId, count } = await reencryptBatch(deps, col, afterId, batchSize);
      if (lastId === undefined) break;
      batches++;
      reencrypted += count;
      afterId = lastId;
      opts.onProgress?.(col, count);
    }
  }
  const retired = await retireUnused(deps);
  const retiring = await deps.db
    .selectFrom('pii_key')
    .select('version')
    .where('state', '=', 'retiring')
    .execute();
  let remaining = 0;
  if (retiring.length > 0) {
    for (const { counts } of await countByVersion(deps.db)) {
      for (const r of retiring) remaining += counts.get(r.version) ?? 0;
    }
  }
  return { resumed, activeVersion: deps.vault.activeVersion(), reencrypted, retired, remaining };
}

/** Retire every retiring version that no registered column uses any more. */
async function retireUnused(deps: RotationDeps): Promise<number[]> {
  const retired: number[] = [];
  const usage = await countByVersion(deps.db);
  const candidates = await deps.db
    .selectFrom('pii_key')
    .select('version')
    .where('state', '=', 'retiring')
    .execute();
  for (const { version } of candidates) {
    if (usage.some(({ counts }) => (counts.get(version) ?? 0) > 0)) continue;
    await deps.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('pii_key')
        .set({ state: 'retired', retired_at: new Date() })
        .where('version', '=', version)
        .where('state', '=', 'retiring')
        .execute();
      await deps.audit.record(tx, {
        actor: CLI_ACTOR,
        action: 'security.key.retire',
        objectType: 'pii_key',
        objectId: version,
        result: 'success',
        detail: `个人信息数据密钥 v${version} 已无数据使用，停用（仍保留以解密旧备份）`,
      });
    });
    retired.push(version);
  }
  return retired;
}
