import { Alert, Button, Form, Input, Modal, Space, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../api/client.ts';
import { useCurrentUser } from '../auth/api.ts';
import { can } from '../auth/permissions.ts';
import { PII_REVEAL_PERMISSION, REVEAL_SECONDS, useRevealPii } from './api.ts';

interface Props {
  /** What every API returns by default, e.g. `phoneMasked`. */
  masked: string | null | undefined;
  objectType: string;
  objectId: number;
  field: string;
  /** What the value is, for the dialog title: `手机号`. */
  label?: string;
}

const FIELD_LABELS: Record<string, string> = {
  phone: '手机号',
  idcard: '身份证号',
  name: '姓名',
  address: '住址',
};

/**
 * A personal-information value, masked (GB/T 35273). Users with `pii:value:reveal` get a 查看 button: they type a
 * reason, the server records the reveal in the audit log, and the value shows for 30 seconds, then masks again.
 */
export function MaskedValue({ masked, objectType, objectId, field, label }: Props) {
  const user = useCurrentUser();
  const [asking, setAsking] = useState(false);
  const [plain, setPlain] = useState<string | null>(null);
  const [left, setLeft] = useState(0);

  useEffect(() => {
    if (plain === null) return;
    if (left <= 0) {
      setPlain(null);
      return;
    }
    const t = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(t);
  }, [plain, left]);

  if (!masked) return <Typography.Text type="secondary">—</Typography.Text>;
  const what = label ?? FIELD_LABELS[field] ?? '个人信息';

  if (plain !== null) {
    return (
      <Space size={4} wrap={false} style={{ whiteSpace: 'nowrap' }}>
        <Typography.Text strong>{plain}</Typography.Text>
        <Tooltip title={`${left} 秒后自动隐藏`}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {left}秒
          </Typography.Text>
        </Tooltip>
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setPlain(null)}>
          隐藏
        </Button>
      </Space>
    );
  }

  return (
    <Space size={4} wrap={false} style={{ whiteSpace: 'nowrap' }}>
      <Typography.Text>{masked}</Typography.Text>
      {can(user, PII_REVEAL_PERMISSION) && (
        <Tooltip title={`查看完整${what}（须填写理由，将记录审计日志）`}>
          <Button type="link" size="small" onClick={() => setAsking(true)}>
            查看
          </Button>
        </Tooltip>
      )}
      <RevealModal
        open={asking}
        what={what}
        masked={masked}
        target={{ objectType, objectId, field }}
        onClose={() => setAsking(false)}
        onRevealed={(value) => {
          setAsking(false);
          setLeft(REVEAL_SECONDS);
          setPlain(value);
        }}
      />
    </Space>
  );
}

interface ModalProps {
  open: boolean;
  what: string;
  masked: string;
  target: { objectType: string; objectId: number; field: string };
  onClose: () => void;
  onRevealed: (value: string) => void;
}

function RevealModal({ open, what, masked, target, onClose, onRevealed }: ModalProps) {
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useRevealPii();

  useEffect(() => {
    if (open) {
      form.resetFields();
      reveal.reset();
    }
  }, [open, form, reveal.reset]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    reveal.mutate(
      { ...target, reason: v.reason.trim() },
      {
        onSuccess: ({ value }) => {
          // Drop the value from the mutation state: it lives only in the component, for 30 seconds.
          reveal.reset();
          onRevealed(value);
        },
      },
    );
  };

  return (
    <Modal
      title={`查看完整${what}`}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="查看"
      confirmLoading={reveal.isPending}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert
          type="info"
          showIcon
          title={`当前显示：${masked}`}
          description={`查看明文将记录查看人、时间和理由，供审计管理员核查；明文显示 ${REVEAL_SECONDS} 秒后自动隐藏。`}
        />
        {reveal.isError && <Alert type="error" showIcon title={errorMessage(reveal.error)} />}
        <Form form={form} layout="vertical" name="pii-reveal">
          <Form.Item
            name="reason"
            label="查看理由"
            rules={[
              { required: true, whitespace: true, message: '请填写查看理由' },
              { min: 2, message: '查看理由至少 2 个字' },
              { max: 200, message: '查看理由不超过 200 个字' },
            ]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：核实投诉人身份后电话回访" />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}
