import {
  CLUE_CHANNEL_LABELS,
  CLUE_KIND_LABELS,
  CLUE_STATUS_LABELS,
  type ClueChannel,
  type ClueKind,
  type ClueStatus,
} from '@rongjian/shared/api';
import { Tag } from 'antd';

/** Colours of the clue states: waiting (gold/blue), in progress (cyan/purple), done (green), set aside (grey). */
export const STATUS_COLORS: Record<ClueStatus, string> = {
  registering: 'gold',
  sorting: 'orange',
  direct: 'green',
  analysing: 'blue',
  dispatching: 'geekblue',
  handling: 'cyan',
  feedback: 'purple',
  closed: 'green',
  rejected: 'default',
  merged: 'default',
  transferred: 'magenta',
};

export function StatusTag({ status }: { status: ClueStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{CLUE_STATUS_LABELS[status]}</Tag>;
}

export const channelLabel = (c: string) => CLUE_CHANNEL_LABELS[c as ClueChannel] ?? c;
export const kindLabel = (k: string) => CLUE_KIND_LABELS[k as ClueKind] ?? k;

export const STATUS_OPTIONS = Object.entries(CLUE_STATUS_LABELS).map(([value, label]) => ({ value, label }));
export const KIND_OPTIONS = Object.entries(CLUE_KIND_LABELS).map(([value, label]) => ({ value, label }));
export const CHANNEL_OPTIONS = Object.entries(CLUE_CHANNEL_LABELS).map(([value, label]) => ({
  value,
  label,
}));
