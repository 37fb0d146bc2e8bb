import { DownloadOutlined } from '@ant-design/icons';
import { EXCHANGE_RUN_STATUS } from '@rongjian/shared/api';
import { Alert, App, Button, Descriptions, Drawer, Progress, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { downloadFile, type ExchangeFieldQuality, type ExchangeRunError, useExchangeRun } from './api.ts';

const percent = (share: number) => Math.round(share * 1000) / 10;

/** One run (a file import or an API sync): counts, completeness and validity per mapped field, and its rejected rows. */
export function RunDetailDrawer({ runId, onClose }: { runId: number | null; onClose: () => void }) {
  const { message } = App.useApp();
  const me = useCurrentUser();
  const run = useExchangeRun(runId);
  const d = run.data;

  const download = async () => {
    try {
      await downloadFile(`/api/exchange/runs/${runId}/errors.xlsx`);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  return (
    <Drawer
      title={`导入批次 #${runId ?? ''}`}
      open={runId !== null}
      onClose={onClose}
      size={820}
      destroyOnHidden
    >
      <QueryError query={run} />
      {d && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          {d.error && <Alert type="error" showIcon title="本批次导入失败" description={d.error} />}
          <Descriptions size="small" column={3} bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label="数据源">{d.source}</Descriptions.Item>
            <Descriptions.Item label="文件 / 接口">{d.fileName}</Descriptions.Item>
            <Descriptions.Item label="状态">{EXCHANGE_RUN_STATUS[d.status]}</Descriptions.Item>
            <Descriptions.Item label="读入">{d.rowsIn}</Descriptions.Item>
            <Descriptions.Item label="接收">{d.accepted}</Descriptions.Item>
            <Descriptions.Item label="拒绝">{d.rejected}</Descriptions.Item>
            <Descriptions.Item label="新增">{d.inserted}</Descriptions.Item>
            <Descriptions.Item label="更新">{d.updated}</Descriptions.Item>
            <Descriptions.Item label="操作人">{d.actorName}</Descriptions.Item>
            <Descriptions.Item label="批内重复">{d.duplicates}</Descriptions.Item>
            <Descriptions.Item label="已有记录">{d.known}</Descriptions.Item>
            <Descriptions.Item label="待人工确认" span={2}>
              {d.queued > 0 && can(me, 'entity:match:read') ? (
                <Link to="/entities/merges" data-testid="run-queued">
                  {d.queued} 条新登记与已有主体相似，请到“主体合并”确认
                </Link>
              ) : (
                <span data-testid="run-queued">{d.queued}</span>
              )}
            </Descriptions.Item>
            {d.sha256 && (
              <Descriptions.Item label="SHA-256" span={3}>
                <Typography.Text code copyable>
                  {d.sha256}
                </Typography.Text>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Table<ExchangeFieldQuality>
            title={() => '数据质量（按字段）'}
            size="small"
            rowKey="field"
            pagination={false}
            dataSource={d.quality}
            columns={[
              { title: '字段', dataIndex: 'label' },
              { title: '来源列', dataIndex: 'column' },
              {
                title: '完整率',
                render: (_, q) => <Progress percent={percent(q.completeness)} size="small" />,
              },
              {
                title: '有效率',
                // A column with no value in any row has nothing to be valid or invalid (USCC of a file of
                // 注册号-only registrations): no red bar for it.
                render: (_, q) =>
                  q.present === 0 ? (
                    <Typography.Text type="secondary">无值</Typography.Text>
                  ) : (
                    <Progress
                      percent={percent(q.validity)}
                      size="small"
                      status={q.validity < 1 ? 'exception' : 'success'}
                    />
                  ),
              },
            ]}
          />
          <Table<ExchangeRunError>
            title={() => (
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <span>
                  错误明细（共 {d.errorTotal} 条
                  {d.errorTotal > d.errors.length ? `，此处显示前 ${d.errors.length} 条` : ''}）
                </span>
                <Button
                  icon={<DownloadOutlined />}
                  disabled={d.errorTotal === 0}
                  onClick={() => void download()}
                >
                  下载错误明细
                </Button>
              </Space>
            )}
            size="small"
            rowKey={(e) => `${e.rowNo}-${e.field}-${e.reason}`}
            dataSource={d.errors}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            columns={[
              { title: '行号', dataIndex: 'rowNo', width: 70 },
              {
                title: '字段',
                dataIndex: 'fieldLabel',
                width: 140,
                render: (v: string | null) => v ?? '整行',
              },
              { title: '原因', dataIndex: 'reason' },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}
