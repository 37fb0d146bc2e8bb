import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { COVERAGE_LABELS, type Coverage, useCalendarYear } from './api.ts';
import { DeadlineCalculator } from './DeadlineCalculator.tsx';
import { OverrideList } from './OverrideList.tsx';
import { OverrideModal } from './OverrideModal.tsx';
import { YearCalendar } from './YearCalendar.tsx';
import { YearScheduleModal } from './YearScheduleModal.tsx';

const COVERAGE_COLORS: Record<Coverage, string> = { official: 'green', entered: 'blue', missing: 'orange' };

/** 系统管理 › 工作日历: the calendar every legal time limit counts with. `?year=` selects the year. */
export default function CalendarSettingsPage() {
  const user = useCurrentUser();
  const canEdit = can(user, 'system:calendar:update');
  const [params, setParams] = useSearchParams();
  const today = dayjs();
  const year = Number(params.get('year')) || today.year();
  const [month, setMonth] = useState<Dayjs>(() => (year === today.year() ? today : dayjs(`${year}-01-01`)));
  const [overrideDay, setOverrideDay] = useState<Dayjs | null | false>(false);
  const [enteringYear, setEnteringYear] = useState(false);
  const calendar = useCalendarYear(year);

  const changeYear = (y: number) => {
    setParams(y === today.year() ? {} : { year: String(y) }, { replace: true });
    setMonth(y === today.year() ? today : dayjs(`${y}-01-01`));
  };
  const shownMonth = month.year() === year ? month : dayjs(`${year}-01-01`);
  const data = calendar.data?.year === year ? calendar.data : undefined;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Space wrap size={16} style={{ justifyContent: 'space-between', width: '100%' }}>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              工作日历
            </Typography.Title>
            <DatePicker
              picker="year"
              value={dayjs(`${year}-01-01`)}
              allowClear={false}
              aria-label="选择年份"
              onChange={(d) => d && changeYear(d.year())}
            />
            {data && (
              <Tag color={COVERAGE_COLORS[data.coverage]} data-testid="coverage">
                节假日数据：{COVERAGE_LABELS[data.coverage]}
              </Tag>
            )}
          </Space>
          <Typography.Text type="secondary">
            法定期限按工作日计算时使用本日历：国务院公布的节假日与调休安排，加上本局的单日调整。
          </Typography.Text>
        </Space>
      </Card>

      {data?.warning && (
        <Alert
          type="warning"
          showIcon
          title={`${year} 年节假日安排未收录`}
          description={data.warning}
          action={
            canEdit && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEnteringYear(true)}>
                录入 {year} 年安排
              </Button>
            )
          }
        />
      )}
      {data?.coverage === 'entered' && (
        <Alert
          type="info"
          showIcon
          title={`${year} 年节假日安排由管理员手工录入`}
          action={
            canEdit && (
              <Button size="small" onClick={() => setEnteringYear(true)}>
                补充录入
              </Button>
            )
          }
        />
      )}

      {calendar.isError && !data && (
        <Result status="error" title="工作日历加载失败" subTitle={errorMessage(calendar.error)} />
      )}
      {!data && !calendar.isError && (
        <div style={{ padding: 48, textAlign: 'center' }}>
          <Spin />
        </div>
      )}
      {data && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={15}>
            <Card variant="borderless" title={`${year} 年日历`}>
              <YearCalendar
                data={data}
                month={shownMonth}
                onMonthChange={setMonth}
                onPickDay={canEdit ? (d) => setOverrideDay(d) : undefined}
              />
              {canEdit && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  提示：点击日历中的某一天可为该日新增单日调整。
                </Typography.Text>
              )}
            </Card>
          </Col>
          <Col xs={24} xl={9}>
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <OverrideList
                year={year}
                overrides={data.overrides}
                canEdit={canEdit}
                onAdd={() => setOverrideDay(null)}
              />
              <DeadlineCalculator />
            </Space>
          </Col>
        </Row>
      )}

      {canEdit && (
        <>
          <OverrideModal
            open={overrideDay !== false}
            initialDay={overrideDay || null}
            existing={data?.overrides ?? []}
            year={year}
            onClose={() => setOverrideDay(false)}
          />
          <YearScheduleModal year={year} open={enteringYear} onClose={() => setEnteringYear(false)} />
        </>
      )}
    </Space>
  );
}
