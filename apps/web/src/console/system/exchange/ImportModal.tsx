import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Modal, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { type ExchangeImportResult, type ExchangeSource, useImportFile } from './api.ts';

const MAX_BYTES = 50 * 1024 * 1024;

/** Upload one export file of a source and import it; the result links to the run's detail. */
export function ImportModal({
  source,
  onClose,
  onShowRun,
}: {
  source: ExchangeSource | null;
  onClose: () => void;
  onShowRun: (id: number) => void;
}) {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const run = useImportFile(user.csrfToken);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ExchangeImportResult | null>(null);

  useEffect(() => {
    if (source) {
      setFile(null);
      setResult(null);
    }
  }, [source]);

  const start = async () => {
    if (!source || !file) return;
    try {
      setResult(await run.mutateAsync({ source: source.name, file }));
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  return (
    <Modal
      title={`导入${source?.datasetLabel ?? ''}文件 — ${source?.label ?? ''}`}
      open={source !== null}
      onCancel={onClose}
      okText={result ? '查看批次详情' : '开始导入'}
      okButtonProps={{ disabled: !file && !result }}
      confirmLoading={run.isPending}
      onOk={() => (result ? onShowRun(result.runId) : void start())}
      cancelText="关闭"
      destroyOnHidden
    >
      <Upload.Dragger
        accept=".csv,.xlsx,.jsonl,.json,.txt"
        maxCount={1}
        beforeUpload={(f) => {
          if (f.size > MAX_BYTES) {
            message.error('文件超过 50 MB，请拆分后分批导入');
            return Upload.LIST_IGNORE;
          }
          setFile(f);
          setResult(null);
          return false;
        }}
        onRemove={() => setFile(null)}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">点击或拖拽文件到此处</p>
        <p className="ant-upload-hint">
          CSV（UTF-8 或 GBK 自动识别）、XLSX（第一个工作表）或 JSON-lines，不超过 50 MB
        </p>
      </Upload.Dragger>
      {result && (
        <Alert
          style={{ marginTop: 16 }}
          showIcon
          type={result.status === 'failed' ? 'error' : result.rejected > 0 ? 'warning' : 'success'}
          title={result.status === 'failed' ? `导入失败：${result.error}` : '导入完成'}
          description={
            `读入 ${result.rowsIn} 行，接收 ${result.accepted}，拒绝 ${result.rejected}；新增 ${result.inserted}，更新 ${result.updated}` +
            (result.queued > 0 ? `；${result.queued} 条待人工确认（经营主体 › 主体合并）` : '') +
            (result.previousRunId ? `（内容相同的文件此前已由批次 ${result.previousRunId} 导入）` : '')
          }
        />
      )}
    </Modal>
  );
}
