import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Calendar, Select, Space, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import type { CalendarYear } from './api.ts';
import './calendar.css';

interface Props {
  data: CalendarYear;
  month: Dayjs;
  onMonthChange: (month: Dayjs) => void;
  /** Called when an administrator clicks a day (to add or edit a one-day adjustment). */
  onPickDay?: (day: Dayjs) => void;
}

const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: i, label: `${i + 1} 月` }));

/** One month of the year, each day marked 休 (day off on a weekday) or 班 (worked weekend), overrides flagged. */
export function YearCalendar({ data, month, onMonthChange, onPickDay }: Props) {
  const holidays = useMemo(() => new Set(data.holidays), [data.holidays]);
  const workdays = useMemo(() => new Set(data.workdays), [data.workdays]);
  const overrides = useMemo(() => new Map(data.overrides.map((o) => [o.day, o])), [data.overrides]);

  return (
    <Calendar
      className="rj-year-calendar"
      value={month}
      fullscreen
      validRange={[month.startOf('year'), month.endOf('year')]}
      onSelect={(d, { source }) => {
        if (source === 'date') onPickDay?.(d);
      }}
      onPanelChange={(d) => onMonthChange(d)}
      headerRender={() => (
        <div className="rj-cal-header">
          <Space>
            <Button
              size="small"
              icon={<LeftOutlined />}
              aria-label="上个月"
              disabled={month.month() === 0}
              onClick={() => onMonthChange(month.subtract(1, 'month'))}
            />
            <Select
              size="small"
              value={month.month()}
              options={MONTHS}
              style={{ width: 88 }}
              onChange={(m) => onMonthChange(month.month(m))}
            />
            <Button
              size="small"
              icon={<RightOutlined />}
              aria-label="下个月"
              disabled={month.month() === 11}
              onClick={() => onMonthChange(month.add(1, 'month'))}
            />
            <strong>{month.format('YYYY年M月')}</strong>
          </Space>
          <Space size={16} className="rj-cal-legend">
            <span>
              <span className="rj-day-tag rj-day-off">休</span> 放假/休息
            </span>
            <span>
              <span className="rj-day-tag rj-day-work">班</span> 调休上班
            </span>
            <span className="rj-cal-note">
              <span className="rj-cal-dot" /> 本地调整
            </span>
          </Space>
        </div>
      )}
      cellRender={(d, info) => {
        if (info.type !== 'date') return info.originNode;
        const key = d.format('YYYY-MM-DD');
        const o = overrides.get(key);
        const weekend = d.day() === 0 || d.day() === 6;
        const off = holidays.has(key) || (o?.kind === 'holiday' && weekend);
        const work = workdays.has(key);
        return (
          <div className="rj-cal-cell">
            {off && <span className="rj-day-tag rj-day-off">休</span>}
            {work && <span className="rj-day-tag rj-day-work">班</span>}
            {o && (
              <Tooltip
                title={`本地调整：${o.kind === 'workday' ? '上班' : '休息'}${o.note ? `（${o.note}）` : ''}`}
              >
                <div className="rj-cal-note">
                  <span className="rj-cal-dot" />
                  <span className="rj-cal-note-text">
                    {o.note || (o.kind === 'workday' ? '上班' : '休息')}
                  </span>
                </div>
              </Tooltip>
            )}
          </div>
        );
      }}
    />
  );
}
