import { createHash } from 'node:crypto';
import type { AuditResult, AuditSummary } from './audit.tables.ts';

/**
 * The hash chain over audit records. Each record stores the hash of the record before it (`prev_hash`) and
 * `hash = SM3(prev_hash + canonicalJson(content))`, so changing, removing or slipping in a record breaks the chain
 * at that point. The content is exactly what the table stores, with the timestamp as an ISO string chosen by the
 * service (not a database default), so a verifier can recompute every hash from the rows alone.
 */

/** `prev_hash` of the very first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** Key of the transaction-level advisory lock that serialises appends to the chain (and the archive mover). */
export const AUDIT_CHAIN_LOCK = 7_317_001;

export interface ChainContent {
  id: number;
  occurredAt: string;
  actorId: number | null;
  actorName: string;
  ip: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: AuditResult;
  summary: AuditSummary | null;
  detail: string | null;
}

/** JSON with object keys sorted at every level; stable across a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sm3Hex(text: string): string {
  return createHash('sm3').update(text, 'utf8').digest('hex');
}

export function chainHash(prevHash: string, content: ChainContent): string {
  return sm3Hex(prevHash + canonicalJson(content));
}

/** A stored row (either table) as hashed content. */
export function contentOfRow(r: {
  id: number;
  occurred_at: Date | string;
  actor_id: number | null;
  actor_name: string;
  ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: AuditResult;
  summary: AuditSummary | null;
  detail: string | null;
}): ChainContent {
  return {
    id: Number(r.id),
    occurredAt: new Date(r.occurred_at).toISOString(),
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    actorName: r.actor_name,
    ip: r.ip,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    result: r.result,
    summary: r.summary,
    detail: r.detail,
  };
}

// PostgreSQL text and jsonb refuse NUL characters; drop them rather than lose the whole record.
const stripNul = (s: string) => s.replaceAll('\u0000', '');

/** Make a before/after value plain JSON (what jsonb will give back), without NULs. */
export function plainJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'string' ? stripNul(v) : v));
  return text === undefined ? undefined : JSON.parse(text);
}

/** Summaries are descriptions, not copies of data: very large ones are replaced by a note and their digest. */
const MAX_SUMMARY_CHARS = 64 * 1024;

export function buildSummary(before: unknown, after: unknown): AuditSummary | null {
  const summary: AuditSummary = {};
  const b = plainJson(before);
  const a = plainJson(after);
  if (b !== undefined) summary.before = b;
  if (a !== undefined) summary.after = a;
  if (b === undefined && a === undefined) return null;
  const text = JSON.stringify(summary);
  if (text.length <= MAX_SUMMARY_CHARS) return summary;
  return { after: { note: '变更内容过长，仅保留摘要', sm3: sm3Hex(text), length: text.length } };
}

export function cleanText(s: string | null | undefined, max = 2000): string | null {
  if (s === null || s === undefined) return null;
  return stripNul(String(s)).slice(0, max);
}
