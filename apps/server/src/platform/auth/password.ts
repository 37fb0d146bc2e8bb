import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Password hashing with PBKDF2-HMAC-SM3 (国密 hash, `node:crypto`), per-user random salt. Stored as
 * `pbkdf2-sm3$<iterations>$<salt b64>$<hash b64>` so the cost can be raised later without breaking old hashes.
 * Rationale in docs/security.md.
 */
const pbkdf2Async = promisify(pbkdf2);
export const PASSWORD_ITERATIONS = 100_000;
const KEY_LENGTH = 32;

export async function hashPassword(password: string, iterations = PASSWORD_ITERATIONS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await pbkdf2Async(password, salt, iterations, KEY_LENGTH, 'sm3');
  return `pbkdf2-sm3$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'pbkdf2-sm3' || !iter || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await pbkdf2Async(
    password,
    Buffer.from(saltB64, 'base64'),
    Number(iter),
    expected.length,
    'sm3',
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of nothing, verified against when the username does not exist, so timing does not reveal it. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(12).toString('hex'));
  return decoy;
}
