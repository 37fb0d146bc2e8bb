import { RISK_CLASSES, type RiskClass } from '@rongjian/shared';
import type { EntityTimelineEvent } from '@rongjian/shared/api';
import { eventLabel as clueEventLabel } from '../clues/clueEventLabels.ts';

/**
 * Chinese names of the ledger events a 一户一档 timeline (流转记录) shows: every kind written with an entity subject
 * (fusion/resolution: merged, unmerged, field corrected; fusion/risk: risk changed; support/gis: located;
 * supervision/clues: a clue naming the entity). Kinds of other modules fall back to the clue timeline's names and
 * families (clues/clueEventLabels.ts); an unknown `entity.*` kind reads 经营主体记录 — never the raw code.
 */
export const ENTITY_EVENT_LABELS: Record<string, string> = {
  'entity.merged': '合并主体',
  'entity.unmerged': '撤销合并',
  'entity.risk.changed': '信用风险分类变更',
  'entity.field.corrected': '人工维护字段',
  'entity.located': '校正位置',
  'clue.linked': '关联线索',
};

type Event = Pick<EntityTimelineEvent, 'kind' | 'payload'>;

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** `{ id, name }` of a merge's survivor or absorbed entity. */
function party(v: unknown): string | null {
  if (!v || typeof v !== 'object') return null;
  const p = v as { id?: unknown; name?: unknown };
  const name = text(p.name);
  const id = typeof p.id === 'number' || typeof p.id === 'string' ? String(p.id) : null;
  if (!name && !id) return null;
  return name && id ? `「${name}」（编号 ${id}）` : name ? `「${name}」` : `编号 ${id}`;
}

const riskClass = (v: unknown) =>
  typeof v === 'string' && v in RISK_CLASSES ? `${v} ${RISK_CLASSES[v as RiskClass]}` : '未分类';

/** A field value of a manual correction, shown as text. */
const value = (v: unknown) =>
  v === null || v === undefined || v === ''
    ? '空'
    : Array.isArray(v)
      ? v.join('、')
      : typeof v === 'object'
        ? '—'
        : String(v);

/** A location summary `{ lon, lat, gridName }` of entity.located. */
function place(v: unknown): string {
  const p = (v ?? {}) as { lon?: unknown; lat?: unknown; gridName?: unknown };
  const grid = text(p.gridName) ?? '未落格';
  return typeof p.lon === 'number' && typeof p.lat === 'number'
    ? `${grid}（${p.lon.toFixed(6)}, ${p.lat.toFixed(6)}）`
    : `${grid}（未定位）`;
}

/** The timeline's headline for one event. */
export function entityEventLabel(e: Event): string {
  const role = e.payload.role;
  if (e.kind === 'entity.merged') return role === 'absorbed' ? '并入其他主体' : '合并主体';
  const known = ENTITY_EVENT_LABELS[e.kind];
  if (known) return known;
  if (e.kind.startsWith('entity.')) return '经营主体记录';
  return clueEventLabel(e);
}

/** Readable facts of an event's payload (never raw JSON): the other entity of a merge, the classes, the reason. */
export function entityEventDetails(e: Event): string[] {
  const p = e.payload;
  const out: string[] = [];
  const survivor = party(p.survivor);
  const absorbed = party(p.absorbed);
  if (e.kind === 'entity.merged') {
    if (p.role === 'absorbed' && survivor) out.push(`并入 ${survivor}`);
    else if (absorbed) out.push(`并入本主体：${absorbed}`);
  }
  if (e.kind === 'entity.unmerged') {
    if (p.role === 'absorbed' && survivor) out.push(`从 ${survivor} 恢复为独立主体`);
    else if (absorbed) out.push(`拆出 ${absorbed}`);
  }
  if (e.kind === 'entity.risk.changed') {
    const score = typeof p.score === 'number' ? `（${p.score} 分）` : '';
    out.push(`${riskClass(p.from)} → ${riskClass(p.to)}${score}`);
    if (Array.isArray(p.reasons) && p.reasons.length > 0) {
      const reasons = p.reasons
        .map((r) => {
          const x = r as { label?: unknown; points?: unknown };
          return text(x.label) ? `${text(x.label)} +${Number(x.points ?? 0)}` : null;
        })
        .filter(Boolean);
      if (reasons.length > 0) out.push(`主要指标：${reasons.join('，')}`);
    }
  }
  if (e.kind === 'entity.field.corrected') {
    out.push(`${text(p.label) ?? '字段'}：${value(p.before)} → ${value(p.after)}`);
  }
  if (e.kind === 'entity.located') out.push(`${place(p.before)} → ${place(p.after)}`);
  if (e.kind === 'clue.linked') {
    const parts = [text(p.number), text(p.title)].filter(Boolean);
    if (parts.length > 0) out.push(`线索 ${parts.join(' · ')}`);
  }
  const reason = text(p.reason);
  if (reason) out.push(`原因：${reason}`);
  return out;
}
