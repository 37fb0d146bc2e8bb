/** One line of the before/after comparison in the detail drawer. */
export interface DiffRow {
  path: string;
  before: string | undefined;
  after: string | undefined;
  changed: boolean;
}

function show(v: unknown): string {
  if (v === null) return '（空）';
  if (typeof v === 'string') return v === '' ? '（空字符串）' : v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  return JSON.stringify(v);
}

/** Leaves of a JSON value by path (`roles[0]`, `address.city`); arrays of scalars stay whole, easier to read. */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  const scalarArray = Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
  if (value !== null && typeof value === 'object' && !scalarArray) {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [`${prefix}[${i}]`, v] as const)
      : Object.entries(value).map(([k, v]) => [prefix ? `${prefix}.${k}` : k, v] as const);
    if (entries.length === 0) out.set(prefix || '（整体）', Array.isArray(value) ? '[]' : '{}');
    for (const [p, v] of entries) flatten(v, p, out);
  } else if (value !== undefined) {
    out.set(prefix || '（整体）', scalarArray ? (value as unknown[]).map(show).join('、') : show(value));
  }
  return out;
}

export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const b = before === null || before === undefined ? new Map<string, string>() : flatten(before);
  const a = after === null || after === undefined ? new Map<string, string>() : flatten(after);
  const paths = [...new Set([...b.keys(), ...a.keys()])];
  return paths.map((path) => ({
    path,
    before: b.get(path),
    after: a.get(path),
    changed: b.get(path) !== a.get(path),
  }));
}
