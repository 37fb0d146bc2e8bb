import { maskAddress, maskIdCard, maskName, maskPhone } from '@rongjian/shared';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { deriveMasterKeys, hmacSm3, type MasterKeys, open, PiiCryptoError, seal } from './pii.crypto.ts';
import { createKeyVersion, type KeyRing, loadKeyRing } from './pii.keys.ts';
import { resolveMasterKey } from './pii.master-key.ts';
import type { PiiKind } from './pii.registry.ts';

export type { PiiKind } from './pii.registry.ts';

export interface RevealInput {
  kind: PiiKind;
  token: string;
  /** Why the person needs the plain value; typed by them, kept in the audit record. */
  reason: string;
  objectType: string;
  objectId: string | number;
  /** Chinese label of the field, for the audit record (`人员手机号`). */
  label?: string;
  ip?: string | null;
}

export interface PiiVault {
  /** Seal a value under the active data key: `v<version>.<iv>.<ciphertext>.<mac>` (base64url). */
  encrypt(kind: PiiKind, plaintext: string): string;
  /** Verify and open a token (any version still in `pii_key`). Throws AppError PII_TOKEN_INVALID. */
  decrypt(token: string): string;
  /** HMAC-SM3 of kind + normalised value, hex: equality search without decrypting. */
  blindIndex(kind: PiiKind, plaintext: string): string;
  /** The display form every API returns by default. */
  mask(kind: PiiKind, plaintext: string): string;
  /** Decrypt and mask a stored token for a response field such as `phoneMasked` (null stays null). */
  maskToken(kind: PiiKind, token: string | null): string | null;
  /** Decrypt for a person who asked with a reason, and record that they did (inside `executor`'s transaction). */
  reveal(
    executor: Kysely<DB>,
    actor: { id: number | null; name: string } | null,
    input: RevealInput,
  ): Promise<string>;
  /** The version `encrypt` uses now. */
  activeVersion(): number;
  /** Re-read `pii_key` (after `keys rotate` in another process). */
  refresh(): Promise<void>;
}

export const tokenVersion = (token: string): number | undefined => {
  const m = /^v(\d+)\./.exec(token);
  return m ? Number(m[1]) : undefined;
};

/** Values compare equal for search after this: digits of phones, upper-case ID cards, trimmed text. */
export function normalizePii(kind: PiiKind, value: string): string {
  switch (kind) {
    case 'phone': {
      const d = value.replace(/\D/g, '');
      return d.length === 13 && d.startsWith('86') ? d.slice(2) : d;
    }
    case 'idcard':
      return value.replace(/\s/g, '').toUpperCase();
    case 'name':
    case 'address':
      return value.normalize('NFKC').trim().replace(/\s+/g, ' ');
    case 'secret':
      return value;
  }
}

export function maskPii(kind: PiiKind, value: string): string {
  switch (kind) {
    case 'phone':
      return maskPhone(value);
    case 'idcard':
      return maskIdCard(value);
    case 'name':
      return maskName(value);
    case 'address':
      return maskAddress(value);
    case 'secret':
      return '******';
  }
}

/** How often a process re-reads `pii_key`, so a version staged by `keys rotate` elsewhere is known in time. */
export const KEY_REFRESH_MS = 30_000;
const invalidToken = () =>
  new AppError('PII_TOKEN_INVALID', '个人信息密文无法校验（可能被篡改或密钥缺失）', { status: 500 });

export async function createPiiVault(deps: {
  db: Kysely<DB>;
  config: Config;
  audit: AuditService;
}): Promise<PiiVault> {
  const master: MasterKeys = deriveMasterKeys(resolveMasterKey(deps.config));
  let ring = await loadOrInit(deps.db, master);
  let refreshedAt = Date.now();
  let refreshing: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    refreshing ??= loadOrInit(deps.db, master)
      .then((r) => {
        ring = r;
        refreshedAt = Date.now();
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  // Server mode: another node may stage a new key version (`keys rotate`), so look again regularly, never
  // blocking a caller. The timer does not keep the process alive; if the database goes away it stops and
  // use-triggered refreshes take over. (Embedded mode: the data-directory lock means no other process exists.)
  const shared = deps.config.backend === 'postgresql';
  if (shared) {
    const timer = setInterval(() => {
      refresh().catch(() => clearInterval(timer));
    }, KEY_REFRESH_MS);
    timer.unref();
  }
  function refreshSoon(): void {
    if (shared && Date.now() - refreshedAt > KEY_REFRESH_MS && !refreshing) refresh().catch(() => {});
  }

  function decrypt(token: string): string {
    const version = tokenVersion(token);
    const keys = version === undefined ? undefined : ring.keys.get(version);
    if (!keys) {
      refreshSoon();
      throw invalidToken();
    }
    try {
      return open(keys, `v${version}`, token.slice(token.indexOf('.') + 1)).toString('utf8');
    } catch (err) {
      if (err instanceof PiiCryptoError) throw invalidToken();
      throw err;
    }
  }

  return {
    encrypt(_kind, plaintext) {
      refreshSoon();
      const v = ring.active;
      return `v${v}.${seal(ring.keys.get(v)!, `v${v}`, Buffer.from(plaintext, 'utf8'))}`;
    },
    decrypt,
    blindIndex(kind, plaintext) {
      return hmacSm3(master.blindIndex, kind, '\0', normalizePii(kind, plaintext)).toString('hex');
    },
    mask: maskPii,
    maskToken(kind, token) {
      return token === null ? null : maskPii(kind, decrypt(token));
    },
    async reveal(executor, actor, input) {
      if (input.kind === 'secret') throw new AppError('FORBIDDEN', '该类信息不可查看明文');
      const version = tokenVersion(input.token);
      if (version !== undefined && !ring.keys.has(version)) await refresh();
      const value = decrypt(input.token);
      await deps.audit.record(executor, {
        actor,
        ip: input.ip ?? null,
        action: 'pii.reveal',
        objectType: input.objectType,
        objectId: input.objectId,
        result: 'success',
        detail: `查看${input.label ?? '个人信息'}明文，理由：${input.reason}`,
      });
      return value;
    },
    activeVersion: () => ring.active,
    refresh,
  };
}

/** The first start of a database creates data key v1; concurrent starts agree through the unique indexes. */
async function loadOrInit(db: Kysely<DB>, master: MasterKeys): Promise<KeyRing> {
  const ring = await loadKeyRing(db, master);
  if (ring) return ring;
  const last = await db
    .selectFrom('pii_key')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  await createKeyVersion(db, master, (last?.v ?? 0) + 1, 'active');
  const created = await loadKeyRing(db, master);
  if (!created) throw new Error('pii vault: no active data key after initialisation');
  return created;
}
