import { EditOutlined, HistoryOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Collapse, Descriptions, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { SettingVersionView, SettingView } from './api.ts';
import { describeChange, formatFieldValue } from './format.ts';

interface Props {
  setting: SettingView;
  today: string;
  canEdit: boolean;
  onEdit: () => void;
}

/** The version in force on `today`: the newest one whose date has come. */
function currentVersion(versions: SettingVersionView[], today: string): SettingVersionView | undefined {
  return versions.filter((v) => v.effectiveFrom <= today).at(-1);
}

/** One setting: its current value field by field, a pending version if any, and the dated history. */
export function SettingCard({ setting, today, canEdit, onEdit }: Props) {
  const current = currentVersion(setting.versions, today);
  const history = setting.versions.map((v, i) => ({
    ...v,
    change: describeChange(setting.fields, v.value, setting.versions[i - 1]?.value),
    state: v === current ? 'current' : v.effectiveFrom > today ? 'upcoming' : 'past',
  }));

  return (
    <Card
      variant="borderless"
      data-testid={`setting-${setting.key}`}
      title={
        <span>
          {setting.label}
          {setting.versioned && (
            <Tag color="purple" style={{ marginInlineStart: 8 }}>
              按生效日期管理
            </Tag>
          )}
        </span>
      }
      extra={
        canEdit && (
          <Button type="link" icon={<EditOutlined />} onClick={onEdit}>
            修改
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{setting.description}</Typography.Paragraph>
      {setting.upcoming && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`自 ${setting.upcoming.effectiveFrom} 起将改为：${describeChange(setting.fields, setting.upcoming.value, setting.value)}`}
        />
      )}
      <Descriptions
        size="small"
        // Help texts need the width: such settings list one property per row.
        column={setting.fields.some((f) => f.help) ? 1 : { xs: 1, md: 2 }}
        styles={{ label: { width: 160 } }}
        bordered
        items={setting.fields.map((f) => ({
          key: f.name,
          label: f.label,
          children: (
            <span>
              {formatFieldValue(f, setting.value[f.name])}
              {f.help && (
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {f.help}
                </Typography.Text>
              )}
            </span>
          ),
        }))}
      />
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
        {current
          ? `现行版本自 ${current.effectiveFrom === '0001-01-01' ? '初始' : current.effectiveFrom} 起生效${current.createdBy ? `，由 ${current.createdBy} 设置` : ''}`
          : '尚未修改，使用系统默认值'}
      </Typography.Text>
      {history.length > 0 && (
        <Collapse
          ghost
          size="small"
          style={{ marginTop: 8 }}
          items={[
            {
              key: 'history',
              label: (
                <span>
                  <HistoryOutlined /> 版本记录（{history.length}）
                </span>
              ),
              children: (
                <Table
                  rowKey="effectiveFrom"
                  size="small"
                  pagination={false}
                  dataSource={[...history].reverse()}
                  columns={[
                    {
                      title: '生效日期',
                      dataIndex: 'effectiveFrom',
                      width: 130,
                      render: (d: string, r) => (
                        <span>
                          {d === '0001-01-01' ? '初始' : d}{' '}
                          {r.state === 'current' && <Tag color="green">现行</Tag>}
                          {r.state === 'upcoming' && <Tag color="orange">待生效</Tag>}
                        </span>
                      ),
                    },
                    { title: '内容', dataIndex: 'change' },
                    { title: '设置人', dataIndex: 'createdBy', width: 110, render: (v: string) => v || '—' },
                    {
                      title: '设置时间',
                      dataIndex: 'createdAt',
                      width: 160,
                      render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
                    },
                  ]}
                />
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
