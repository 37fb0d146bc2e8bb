import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { uploadLimits } from '../../platform/settings/settings.builtin.ts';

/** Evidence a citizen or officer attaches: photos and PDF documents. Anything else is refused. */
export const ATTACHMENT_TYPES = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
} as const;
export type AttachmentMime = keyof typeof ATTACHMENT_TYPES;

export const MAX_ATTACHMENTS_PER_CLUE = 20;
/** Hard ceiling of the multipart parser; the administrator's `system.upload` setting applies below it. */
export const MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024;

const startsWith = (buf: Buffer, bytes: number[], offset = 0) => bytes.every((b, i) => buf[offset + i] === b);

/**
 * The file's real type from its first bytes (magic numbers), whatever its name or the browser claims: an
 * executable renamed to `.jpg` is refused.
 */
export function sniffType(buf: Buffer): AttachmentMime | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (
    buf.subarray(0, 6).toString('latin1') === 'GIF87a' ||
    buf.subarray(0, 6).toString('latin1') === 'GIF89a'
  ) {
    return 'image/gif';
  }
  if (buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'image/webp';
  }
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

/** A file name safe to show and to send back in Content-Disposition: no path, no control characters. */
export function safeFileName(name: string, mime: AttachmentMime): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\p{Cc}<>:"|?*]/gu, '')
    .trim()
    .slice(0, 120);
  const ext = ATTACHMENT_TYPES[mime];
  if (!base) return `附件${ext}`;
  return base.toLowerCase().endsWith(ext) || (mime === 'image/jpeg' && /\.jpe?g$/i.test(base))
    ? base
    : `${base}${ext}`;
}

export interface StoredAttachment {
  id: number;
  sha256: string;
  duplicate: boolean;
}

/**
 * Check and store one attachment in the caller's transaction: real type, size under the configured limit, at most
 * `MAX_ATTACHMENTS_PER_CLUE` per clue; the same file twice is kept once (by SHA-256).
 */
export async function storeAttachment(
  tx: Transaction<DB>,
  ctx: Pick<AppContext, 'settings'>,
  input: { clueId: number; departmentId: number | null; fileName: string; data: Buffer; actor: Actor },
): Promise<StoredAttachment> {
  const maxMb = ctx.settings.get(uploadLimits).maxFileMb;
  if (input.data.length === 0) throw new AppError('VALIDATION_FAILED', '附件是空文件');
  if (input.data.length > maxMb * 1024 * 1024) {
    throw new AppError('PAYLOAD_TOO_LARGE', `附件超过 ${maxMb} MB 的上限`);
  }
  const mime = sniffType(input.data);
  if (!mime) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      '附件类型不被接受：只能上传 JPEG、PNG、GIF、WebP 图片或 PDF 文件（按文件内容判断，与扩展名无关）',
    );
  }
  const sha256 = createHash('sha256').update(input.data).digest('hex');
  const existing = await tx
    .selectFrom('clue_attachment')
    .select('id')
    .where('clue_id', '=', input.clueId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (existing) return { id: Number(existing.id), sha256, duplicate: true };
  const count = await tx
    .selectFrom('clue_attachment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('clue_id', '=', input.clueId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_ATTACHMENTS_PER_CLUE) {
    throw new AppError('VALIDATION_FAILED', `每条线索最多 ${MAX_ATTACHMENTS_PER_CLUE} 个附件`);
  }
  const fileName = safeFileName(input.fileName, mime);
  const row = await tx
    .insertInto('clue_attachment')
    .values({
      clue_id: input.clueId,
      file_name: fileName,
      mime,
      size_bytes: input.data.length,
      sha256,
      content: input.data,
      uploaded_by: input.actor.id,
      uploaded_by_name: input.actor.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendEvent(tx, {
    actor: input.actor,
    subjectType: 'clue',
    subjectId: input.clueId,
    clueId: input.clueId,
    departmentId: input.departmentId,
    kind: 'clue.attachment_added',
    payload: { fileName, mime, sizeBytes: input.data.length, sha256 },
  });
  return { id: Number(row.id), sha256, duplicate: false };
}
