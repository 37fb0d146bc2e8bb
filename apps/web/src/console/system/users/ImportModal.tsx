import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Modal, Space, Table, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { downloadFile, type ImportError, type UserImportResult, useImportUsers } from './api.ts';

const MAX_BYTES = 5 * 1024 * 1024;

interface Props {
  open: boolean;
  onClose: () => void;
}

function ResultView({ result }: { result: UserImportResult }) {
  const { message } = App.useApp();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Alert
        type={result.failed > 0 ? 'warning' : 'success'}
        showIcon
        title={
          result.dryRun
            ? `预检完成：共 ${result.total} 行，可新增 ${result.created}、可更新 ${result.updated}，有错误 ${result.failed} 行（尚未写入）`
            : `导入完成：共 ${result.total} 行，新增 ${result.created}、更新 ${result.updated}，失败 ${result.failed} 行`
        }
        description={
          result.failed > 0
            ? '有错误的行未导入，其余行已一并处理。请修改后重新导入（已存在的用户会被更新，不会重复创建）。'
            : undefined
        }
      />
      {result.errorReportId !== undefined && (
        <Button
          icon={<DownloadOutlined />}
          onClick={() =>
            downloadFile(`/api/system/users/import-errors/${result.errorReportId}`).catch(
              (e) => void message.error(errorMessage(e)),
            )
          }
        >
          下载错误报告
        </Button>
      )}
      {result.errors.length > 0 && (
        <Table<ImportError>
          size="small"
          rowKey={(e) => `${e.row}-${e.field}-${e.reason}`}
          dataSource={result.errors}
          pagination={{ pageSize: 8, size: 'small', hideOnSinglePage: true }}
          columns={[
            { title: '行号', dataIndex: 'row', width: 64 },
            { title: '列', dataIndex: 'field', width: 150 },
            { title: '错误原因', dataIndex: 'reason' },
          ]}
        />
      )}
      {result.initialPasswords.length > 0 && (
        <>
          <Alert
            type="warning"
            showIcon
            title="新建用户的初始密码只显示这一次"
            description="请逐一通过安全的方式交给本人，首次登录须修改；关闭本窗口后无法再查看，只能在列表中重置密码。"
          />
          <Descriptions size="small" bordered column={1}>
            {result.initialPasswords.map((p) => (
              <Descriptions.Item key={p.username} label={p.username}>
                <Typography.Text code copyable={{ text: p.password, tooltips: ['复制', '已复制'] }}>
                  {p.password}
                </Typography.Text>
              </Descriptions.Item>
            ))}
          </Descriptions>
        </>
      )}
    </Space>
  );
}

/** Excel import: pick a file, check it (预检, nothing written), then import; errors per row and as a report. */
export function ImportModal({ open, onClose }: Props) {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const run = useImportUsers(user.csrfToken);
  const [file, setFile] = useState<File | null>(null);

  useEffect(() => {
    if (open) {
      setFile(null);
      run.reset();
    }
  }, [open, run.reset]);

  const start = (dryRun: boolean) => file && run.mutate({ file, dryRun });
  const done = run.data && !run.data.dryRun;

  return (
    <Modal
      title="导入用户"
      open={open}
      onCancel={onClose}
      width={720}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Space>
          <Button
            icon={<DownloadOutlined />}
            onClick={() =>
              downloadFile('/api/system/users/import-template').catch(
                (e) => void message.error(errorMessage(e)),
              )
            }
          >
            下载模板
          </Button>
          <Button onClick={onClose}>{done ? '完成' : '取消'}</Button>
          <Button disabled={!file || run.isPending} onClick={() => start(true)}>
            预检
          </Button>
          <Button
            type="primary"
            disabled={!file || Boolean(done)}
            loading={run.isPending}
            onClick={() => start(false)}
          >
            导入
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          beforeUpload={(f) => {
            if (f.size > MAX_BYTES) {
              void message.error('文件超过 5 MB，请拆分后分批导入');
            } else {
              setFile(f);
              run.reset();
            }
            return Upload.LIST_IGNORE;
          }}
          onRemove={() => {
            setFile(null);
            run.reset();
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖拽 .xlsx 文件到此处</p>
          <p className="ant-upload-hint">
            请使用“下载模板”得到的表格，单个文件不超过 5 MB；建议先预检再导入。
          </p>
        </Upload.Dragger>
        {run.isError && <Alert type="error" showIcon title={errorMessage(run.error)} />}
        {run.data && <ResultView result={run.data} />}
      </Space>
    </Modal>
  );
}
