import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * 国密 primitives of the vault, with no state: SM4-CBC encryption authenticated by HMAC-SM3
 * (encrypt-then-MAC — this Node build has no sm4-gcm), HKDF over SM3 for key derivation, HMAC-SM3 blind indexes.
 */

export class PiiCryptoError extends Error {}

const IV_BYTES = 16;
const SALT = Buffer.from('rongjian-pii-vault/v1');

/** HKDF-SM3 (RFC 5869 with SM3); OpenSSL 3 provides it through node:crypto. */
export function deriveKey(ikm: Buffer, info: string, bytes: number): Buffer {
  return Buffer.from(hkdfSync('sm3', ikm, SALT, Buffer.from(info), bytes));
}

export function hmacSm3(key: Buffer, ...parts: (Buffer | string)[]): Buffer {
  const h = createHmac('sm3', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** A data key split into its SM4 encryption subkey and its HMAC-SM3 subkey, so one key never serves two uses. */
export interface SubKeys {
  enc: Buffer;
  mac: Buffer;
}

export function splitKey(key: Buffer): SubKeys {
  return { enc: deriveKey(key, 'enc', 16), mac: deriveKey(key, 'mac', 32) };
}

/** The keys that hang off the master key: the key-encryption key (wraps data keys) and the blind-index key. */
export interface MasterKeys {
  kek: SubKeys;
  blindIndex: Buffer;
}

export function deriveMasterKeys(masterKeyHex: string): MasterKeys {
  const master = Buffer.from(masterKeyHex, 'hex');
  return {
    kek: splitKey(deriveKey(master, 'kek', 32)),
    blindIndex: deriveKey(master, 'blind-index', 32),
  };
}

/** Sealed form `<iv>.<ciphertext>.<mac>` (base64url); the MAC covers `aad|iv|ciphertext`. */
export function seal(keys: SubKeys, aad: string, plaintext: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('sm4-cbc', keys.enc, iv);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const mac = hmacSm3(keys.mac, aad, '|', iv, ct);
  return [iv, ct, mac].map((b) => b.toString('base64url')).join('.');
}

/** Verify the MAC in constant time before decrypting anything; any mismatch is one error with no detail. */
export function open(keys: SubKeys, aad: string, sealed: string): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 3) throw new PiiCryptoError('密文格式无效');
  const [iv, ct, mac] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
  const expected = hmacSm3(keys.mac, aad, '|', iv, ct);
  if (iv.length !== IV_BYTES || mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
    throw new PiiCryptoError('密文校验失败（可能被篡改或密钥不符）');
  }
  try {
    const decipher = createDecipheriv('sm4-cbc', keys.enc, iv);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new PiiCryptoError('密文校验失败（可能被篡改或密钥不符）');
  }
}

export function randomDataKey(): Buffer {
  return randomBytes(16);
}
