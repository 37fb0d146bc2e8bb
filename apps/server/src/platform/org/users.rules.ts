import { randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { assertUserRolesSeparated } from './roles.rules.ts';
import type { Executor } from './users.repo.ts';

export const USERNAME_RE = /^[a-z][a-z0-9_.-]{2,31}$/;
export const USERNAME_HINT = '用户名为 3–32 位，小写字母开头，可含小写字母、数字、下划线、点和短横线';
export const MOBILE_RE = /^1[3-9]\d{9}$/;

/** Strip the separators people type into phone numbers (`138 1234-5678`, `+86…`). */
export function normalizePhone(raw: string): string {
  const d = raw.replace(/[\s-]/g, '');
  return d.startsWith('+86') ? d.slice(3) : d;
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGIT = '23456789';
const SYMBOL = '!@#$%^&*-_+=?';

/**
 * A one-time password: 14 characters with every class present (passes any policy the settings allow up to 14),
 * without look-alike characters (0/O, 1/l/I) because it is read off a screen and typed by someone else.
 */
export function generatePassword(length = 14): string {
  const all = UPPER + LOWER + DIGIT + SYMBOL;
  const chars = [UPPER, LOWER, DIGIT, SYMBOL].map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

export interface ResolvedRole {
  id: number;
  code: string;
  name: string;
  permissions: string[];
}

/** Role codes → roles; an unknown code is a 400 naming it. */
export async function resolveRoles(db: Executor, codes: readonly string[]): Promise<ResolvedRole[]> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return [];
  const rows = await db
    .selectFrom('role')
    .select(['id', 'code', 'name', 'permissions'])
    .where('code', 'in', unique)
    .execute();
  const missing = unique.filter((c) => !rows.some((r) => r.code === c));
  if (missing.length > 0) throw new AppError('VALIDATION_FAILED', `角色不存在：${missing.join('、')}`);
  return rows;
}

/** Post ids → ids that exist; an unknown id is a 400. */
export async function resolvePosts(db: Executor, ids: readonly number[]): Promise<number[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await db.selectFrom('post').select('id').where('id', 'in', unique).execute();
  const missing = unique.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw new AppError('VALIDATION_FAILED', `岗位不存在：${missing.join('、')}`);
  return unique;
}

/** A user's roles together must keep the 三员分立 separation of duties (roles.rules.ts). */
export function assertRolesAllowed(displayName: string, roles: readonly ResolvedRole[]): void {
  assertUserRolesSeparated({ displayName }, roles);
}

/** Sets a user's password: hashes, enforces history and sets `must_change_password` (auth module). */
export type SetPassword = (
  tx: Transaction<DB>,
  userId: number,
  plain: string,
  opts: { mustChange: boolean },
) => Promise<void>;
