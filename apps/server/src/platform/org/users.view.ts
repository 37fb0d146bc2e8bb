import type { User } from '@rongjian/shared/api';
import type { PiiVault } from '../pii/pii.vault.ts';
import { type Executor, rolesAndPosts, type UserRow } from './users.repo.ts';

/**
 * Users as the API shows them: the phone number decrypted on the server and masked before it leaves; the
 * ciphertext never appears in a response, an export or an audit record.
 */
export function maskedPhone(pii: Pick<PiiVault, 'decrypt' | 'mask'>, token: string | null): string | null {
  if (!token) return null;
  try {
    return pii.mask('phone', pii.decrypt(token));
  } catch {
    // A value the vault cannot open (key retired by mistake) must not take the whole list down.
    return '（无法解密）';
  }
}

export async function toUsers(db: Executor, pii: Pick<PiiVault, 'decrypt' | 'mask'>, rows: UserRow[]) {
  const { roles, posts } = await rolesAndPosts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map(
    (r): User => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      departmentId: r.department_id,
      departmentName: r.department_name,
      roles: roles.get(r.id) ?? [],
      posts: posts.get(r.id) ?? [],
      phoneMasked: maskedPhone(pii, r.phone_enc),
      certNo: r.cert_no,
      certValidUntil: r.cert_valid_until,
      status: r.status,
      mustChangePassword: r.must_change_password,
      isDemo: r.is_demo,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    }),
  );
}

/** What an audit record keeps of a user: codes and the masked phone, never the ciphertext. */
export function auditView(u: User) {
  return {
    username: u.username,
    displayName: u.displayName,
    department: u.departmentName,
    roles: u.roles.map((r) => r.code),
    posts: u.posts.map((p) => p.code),
    phone: u.phoneMasked,
    certNo: u.certNo,
    certValidUntil: u.certValidUntil,
    status: u.status,
  };
}
