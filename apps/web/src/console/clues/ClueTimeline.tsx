import { Empty, Timeline, Typography } from 'antd';
import { type ClueEvent, dateTime } from './api.ts';
import { eventDetails, eventLabel } from './clueEventLabels.ts';

const COLORS: Record<string, string> = {
  'clue.received': 'blue',
  'clue.close': 'green',
  'clue.answer': 'green',
  'clue.reject': 'gray',
  'clue.merge': 'gray',
  'deadline.warning': 'orange',
  'deadline.overdue': 'red',
  'deadline.met': 'green',
};

/**
 * One timeline for the clue: every ledger event of every module that touched it (and of the clues merged into
 * it), oldest first, in Chinese; text from the payload is rendered as text, never as HTML.
 */
export function ClueTimeline({
  events,
  clueId,
  numbers,
}: {
  events: ClueEvent[];
  clueId: number;
  numbers: Map<string, string>;
}) {
  if (events.length === 0) return <Empty description="暂无办理记录" />;
  return (
    <Timeline
      data-testid="clue-timeline"
      items={events.map((e) => {
        const other =
          e.subjectType === 'clue' && e.subjectId !== String(clueId) ? numbers.get(e.subjectId) : undefined;
        return {
          key: e.id,
          color: COLORS[e.kind] ?? (e.kind.startsWith('deadline.') ? 'gray' : 'blue'),
          children: (
            <div data-testid="timeline-item" data-kind={e.kind}>
              <Typography.Text strong>{eventLabel(e)}</Typography.Text>
              {other && (
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  （并入线索 {other}）
                </Typography.Text>
              )}
              {eventDetails(e).map((line) => (
                <div key={line} className="rj-clue-timeline-detail">
                  {line}
                </div>
              ))}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {dateTime(e.occurredAt)} · {e.actorName}
              </Typography.Text>
            </div>
          ),
        };
      })}
    />
  );
}
