import { Empty } from 'antd';
import type { ReactNode } from 'react';
import './home.css';

export interface BarRow {
  key: string | number;
  label: ReactNode;
  count: number;
  color?: string;
}

/** A ranked list with proportional bars: reads better than a pie for a dozen 所 and prints well. */
export function BarList({ rows, total, testId }: { rows: BarRow[]; total: number; testId?: string }) {
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无数据" />;
  const max = Math.max(...rows.map((r) => r.count), 1);
  return (
    <ol className="rj-barlist" data-testid={testId}>
      {rows.map((r) => (
        <li key={r.key} className="rj-barlist-row">
          <span className="rj-barlist-label">{r.label}</span>
          <span className="rj-barlist-track">
            <span
              className="rj-barlist-bar"
              style={{ width: `${(r.count / max) * 100}%`, background: r.color ?? '#1677ff' }}
            />
          </span>
          <span className="rj-barlist-count">{r.count.toLocaleString('zh-CN')}</span>
          <span className="rj-barlist-pct">
            {total > 0 ? `${((r.count / total) * 100).toFixed(1)}%` : '—'}
          </span>
        </li>
      ))}
    </ol>
  );
}
