import { AppError } from '../errors.ts';

/** A unique constraint refused the write (two requests raced past the service's own check). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}

/** Run `fn`; a unique-constraint race becomes the same CONFLICT the service's check would have given. */
export async function conflictOnDuplicate<T>(fn: () => Promise<T>, message: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', message);
    throw err;
  }
}
