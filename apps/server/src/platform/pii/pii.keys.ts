import type { Kysely } from 'kysely';
import { ConfigError } from '../../config.ts';
import type { DB } from '../db/schema.ts';
import {
  type MasterKeys,
  open,
  PiiCryptoError,
  randomDataKey,
  type SubKeys,
  seal,
  splitKey,
} from './pii.crypto.ts';
import type { PiiKeyState } from './pii.tables.ts';

/** Data keys of the vault, stored wrapped under the key-encryption key; the version is bound into the wrap MAC. */

export interface KeyRing {
  active: number;
  keys: Map<number, SubKeys>;
  states: Map<number, PiiKeyState>;
}

const wrapAad = (version: number) => `pii_key:v${version}`;

export function wrapDataKey(master: MasterKeys, version: number, dataKey: Buffer): string {
  return seal(master.kek, wrapAad(version), dataKey);
}

/** Insert a fresh data key as `version` in `state`; false when that version already exists (another node won). */
export async function createKeyVersion(
  db: Kysely<DB>,
  master: MasterKeys,
  version: number,
  state: PiiKeyState,
): Promise<boolean> {
  const res = await db
    .insertInto('pii_key')
    .values({ version, wrapped_key: wrapDataKey(master, version, randomDataKey()), state })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Read and unwrap every version; a wrap that does not verify means the master key is not this database's. */
export async function loadKeyRing(db: Kysely<DB>, master: MasterKeys): Promise<KeyRing | undefined> {
  const rows = await db
    .selectFrom('pii_key')
    .select(['version', 'wrapped_key', 'state'])
    .orderBy('version')
    .execute();
  const keys = new Map<number, SubKeys>();
  const states = new Map<number, PiiKeyState>();
  let active: number | undefined;
  for (const row of rows) {
    let dataKey: Buffer;
    try {
      dataKey = open(master.kek, wrapAad(row.version), row.wrapped_key);
    } catch (err) {
      if (!(err instanceof PiiCryptoError)) throw err;
      throw new ConfigError(
        `RONGJIAN_MASTER_KEY 与数据库中个人信息数据密钥（版本 v${row.version}）所用的主密钥不一致，无法解密。` +
          '请使用初始化该数据库时的主密钥（嵌入式模式见数据目录中的 master.key 备份）。',
      );
    }
    keys.set(row.version, splitKey(dataKey));
    states.set(row.version, row.state);
    if (row.state === 'active') active = row.version;
  }
  return active === undefined ? undefined : { active, keys, states };
}
