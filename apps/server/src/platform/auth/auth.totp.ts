import type { Kysely, Transaction } from 'kysely';
import { authenticator } from 'otplib';
import QRCode from 'qrcode';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { PiiVault } from '../pii/pii.vault.ts';

/** Name shown in authenticator apps next to the account. */
export const TOTP_ISSUER = '融监';
const STEP_SECONDS = 30;
/** One step either side, for phones whose clock is a little off (RFC 6238 §5.2). */
const WINDOW = 1;

type Executor = Kysely<DB> | Transaction<DB>;
export type CodeCheck = 'ok' | 'invalid' | 'replayed';

/**
 * The TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s — what every authenticator app does by default).
 * Secrets are stored as vault tokens (SM4, kind 'secret'). A code is accepted at most once: its time step must be
 * later than the last accepted one, so a code seen over a shoulder or in a log cannot be replayed in its window.
 */
export function createTotpService(deps: { pii: Pick<PiiVault, 'encrypt' | 'decrypt'> }) {
  const { pii } = deps;

  /** Check `code` against a secret and, when it matches a step not used before, mark that step used. */
  async function consume(ex: Executor, userId: number, secret: string, code: string): Promise<CodeCheck> {
    const now = Date.now();
    const delta = authenticator.clone({ window: WINDOW, epoch: now }).checkDelta(code, secret);
    if (delta === null) return 'invalid';
    const step = Math.floor(now / 1000 / STEP_SECONDS) + delta;
    // Conditional update: of two requests racing with the same code, only one changes the row.
    const res = await ex
      .updateTable('user_totp')
      .set({ last_step: step, updated_at: new Date(now) })
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
      .executeTakeFirst();
    return res.numUpdatedRows > 0n ? 'ok' : 'replayed';
  }

  return {
    async isEnabled(ex: Executor, userId: number): Promise<boolean> {
      const row = await ex
        .selectFrom('user_totp')
        .select('enabled_at')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return !!row?.enabled_at;
    },

    /** A fresh secret waiting for its first code; replaces an unfinished enrollment. */
    async beginEnrollment(ex: Executor, userId: number, accountName: string) {
      const row = await ex
        .selectFrom('user_totp')
        .select('enabled_at')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (row?.enabled_at) {
        throw new AppError('CONFLICT', '已启用动态口令；如需更换手机，请先停用再重新绑定');
      }
      // 160-bit secret, the size RFC 4226 recommends.
      const secret = authenticator.generateSecret(20);
      const pending = pii.encrypt('secret', secret);
      await ex
        .insertInto('user_totp')
        .values({ user_id: userId, pending_secret_enc: pending })
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet({ pending_secret_enc: pending, updated_at: new Date() }),
        )
        .execute();
      const otpauthUrl = authenticator.keyuri(accountName, TOTP_ISSUER, secret);
      const qrDataUrl = await QRCode.toDataURL(otpauthUrl, {
        margin: 1,
        width: 240,
        errorCorrectionLevel: 'M',
      });
      return { otpauthUrl, qrDataUrl, secretForManualEntry: secret, issuer: TOTP_ISSUER, accountName };
    },

    /** Confirm the enrollment with a first code from the app; the pending secret becomes the active one. */
    async activate(tx: Transaction<DB>, userId: number, code: string): Promise<void> {
      const row = await tx
        .selectFrom('user_totp')
        .select(['pending_secret_enc', 'enabled_at'])
        .where('user_id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      if (row?.enabled_at) throw new AppError('CONFLICT', '动态口令已启用');
      if (!row?.pending_secret_enc) throw new AppError('CONFLICT', '请先生成绑定二维码，再输入动态口令');
      const check = await consume(tx, userId, pii.decrypt(row.pending_secret_enc), code);
      if (check !== 'ok') throw invalidCode(check, 'code');
      await tx
        .updateTable('user_totp')
        .set({ secret_enc: row.pending_secret_enc, pending_secret_enc: null, enabled_at: new Date() })
        .where('user_id', '=', userId)
        .execute();
    },

    /** Check a sign-in (or confirmation) code against the active secret, at most once per code. */
    async verify(ex: Executor, userId: number, code: string): Promise<CodeCheck> {
      const row = await ex
        .selectFrom('user_totp')
        .select(['secret_enc', 'enabled_at'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!row?.enabled_at || !row.secret_enc) return 'invalid';
      return consume(ex, userId, pii.decrypt(row.secret_enc), code);
    },

    async disable(ex: Executor, userId: number): Promise<void> {
      await ex.deleteFrom('user_totp').where('user_id', '=', userId).execute();
    },
  };
}

/** A refused code as a field error: the person typed it, the account is not at fault. */
export function invalidCode(check: Exclude<CodeCheck, 'ok'>, field: string): AppError {
  const message =
    check === 'replayed'
      ? '该动态口令已使用过，请等待应用显示下一个口令'
      : '动态口令不正确，请核对手机时间后重试';
  return new AppError('TOTP_INVALID', message, { status: 400, details: [{ path: field, message }] });
}

export type TotpService = ReturnType<typeof createTotpService>;
