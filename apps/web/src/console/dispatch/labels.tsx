import {
  DISPATCH_MODULE_LABELS,
  DISPATCH_STATUS_LABELS,
  type DispatchModule,
  type DispatchOrderStatus,
} from '@rongjian/shared/api';
import { Tag } from 'antd';

const STATUS_COLORS: Record<DispatchOrderStatus, string> = {
  pending: 'gold',
  signed: 'blue',
  handling: 'processing',
  completed: 'green',
  returned: 'default',
};

export function OrderStatusTag({ status }: { status: DispatchOrderStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{DISPATCH_STATUS_LABELS[status]}</Tag>;
}

export function ModuleTag({ module }: { module: DispatchModule }) {
  return <Tag color={module === 'enforcement' ? 'volcano' : 'cyan'}>{DISPATCH_MODULE_LABELS[module]}</Tag>;
}

export const DEADLINE_STATE_TEXT = { normal: '正常', warning: '预警', overdue: '逾期' } as const;
export function DeadlineTag({ state }: { state: 'normal' | 'warning' | 'overdue' | null }) {
  if (state === null) return <Tag>—</Tag>;
  const color = { normal: 'blue', warning: 'orange', overdue: 'red' }[state];
  return <Tag color={color}>{DEADLINE_STATE_TEXT[state]}</Tag>;
}

/** Marker colours on the board's map by deadline state. */
export const STATE_COLORS = {
  normal: '#1677ff',
  warning: '#fa8c16',
  overdue: '#cf1322',
  none: '#8c8c8c',
} as const;
