/**
 * Bind a value to a `jsonb` parameter. Both drivers pass a string through unchanged, while their handling of raw
 * objects differs (`pg` turns JS arrays into PostgreSQL arrays), so JSON always travels as text.
 */
export function json<T>(value: T): T {
  return JSON.stringify(value) as unknown as T;
}
