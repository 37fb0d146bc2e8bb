import { type Deadline, DEADLINE_STATE_LABELS, DEADLINE_STATUS_LABELS } from '@rongjian/shared/api';
import { Tag } from 'antd';

/** How a legal limit is shown everywhere (deadline board, clue page, dispatch order page). */
function unit(d: Pick<Deadline, 'dayKind'>): string {
  return d.dayKind === 'working' ? '个工作日' : '日';
}

export function remainingText(d: Deadline): string {
  if (d.status === 'paused') return '已中止计时';
  if (d.remainingDays === null) return '—';
  if (d.remainingDays === 0) return '今日到期';
  return d.remainingDays > 0 ? `剩余 ${d.remainingDays} ${unit(d)}` : `超期 ${-d.remainingDays} ${unit(d)}`;
}

export function DeadlineStateTag({ d }: { d: Deadline }) {
  if (d.state === null) return <Tag>{DEADLINE_STATUS_LABELS[d.status]}</Tag>;
  const color = { normal: 'blue', warning: 'orange', overdue: 'red' }[d.state];
  return <Tag color={color}>{DEADLINE_STATE_LABELS[d.state]}</Tag>;
}

export { unit as deadlineUnit };
