/**
 * Display masks for personal information (GB/T 35273-2020 ch. 6–7): what every screen, export and printout shows
 * unless a permitted user reveals the value. Pure functions, shared by the server and the web.
 */

const MOBILE_RE = /^1\d{10}$/;

/** Mobile `138****1234`; landline keeps the area code and the last four digits: `0512-****1234`. */
export function maskPhone(value: string): string {
  let d = value.replace(/\D/g, '');
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  if (MOBILE_RE.test(d)) return `${d.slice(0, 3)}****${d.slice(7)}`;
  if (d.startsWith('0') && d.length >= 10) {
    // 010 and 02x are the three-digit area codes; the others have four.
    const area = /^0(10|2\d)/.test(d) ? 3 : 4;
    const local = d.slice(area);
    return `${d.slice(0, area)}-${'*'.repeat(local.length - 4)}${local.slice(-4)}`;
  }
  if (d.length <= 4) return '*'.repeat(d.length);
  return `${'*'.repeat(d.length - 4)}${d.slice(-4)}`;
}

/** ID card: first 6 (the issuing region) + last 4, for 18- and 15-digit numbers: `320506********123X`. */
export function maskIdCard(value: string): string {
  const v = value.trim().toUpperCase();
  if (v.length <= 10) return '*'.repeat(v.length);
  return `${v.slice(0, 6)}${'*'.repeat(v.length - 10)}${v.slice(-4)}`;
}

/** Name of a natural person: the first character stays, every other character becomes `*` (`张三丰` → `张**`). */
export function maskName(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length <= 1) return chars.length ? '*' : '';
  // The middle dot of minority and foreign names (买买提·艾力) is punctuation, not part of the name.
  return (
    chars[0] +
    chars
      .slice(1)
      .map((c) => (c === '·' || c === '•' ? c : '*'))
      .join('')
  );
}

// Greedy, so the match ends at the LAST road-level marker: `长桥街道东吴北路88号` keeps `…东吴北路`.
const ROAD_RE = /^.*(大道|胡同|路|街|巷|弄|道|村|组)/u;

/**
 * Address of a natural person: keeps everything up to the street or road (or village) and hides the house
 * number and what follows behind a fixed `****`, so the length does not hint at it either.
 */
export function maskAddress(value: string): string {
  const v = value.trim();
  if (!v) return '';
  const m = ROAD_RE.exec(v);
  if (m) return m[0].length === v.length ? v : `${m[0]}****`;
  // No street marker: keep at most the province/city/district part.
  const keep = Math.min(6, Math.floor(Array.from(v).length / 2));
  return `${Array.from(v).slice(0, keep).join('')}****`;
}
