import { App, Form, Input, Modal } from 'antd';
import { type ReactNode, useState } from 'react';
import { errorMessage } from '../../shared/api/client.ts';

/**
 * A confirmation that records why: merges, un-merges and manual values require a reason (audited, and shown in
 * the history); queue decisions take an optional note. Errors stay in the dialog as a toast, so nothing is lost.
 */
export function ReasonModal({
  open,
  title,
  okText,
  danger,
  required = true,
  label = '原因',
  placeholder = '请说明依据，例如现场核实、登记机关答复',
  children,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  okText: string;
  danger?: boolean;
  required?: boolean;
  label?: string;
  placeholder?: string;
  children?: ReactNode;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={title}
      open={open}
      okText={okText}
      okButtonProps={{ danger: danger ?? false }}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        const { reason } = await form.validateFields();
        setBusy(true);
        try {
          await onSubmit((reason ?? '').trim());
          onClose();
        } catch (e) {
          void message.error(errorMessage(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {children}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={label}
          rules={
            required
              ? [
                  { required: true, whitespace: true, message: `请填写${label}` },
                  { min: 2, message: `${label}至少 2 个字` },
                ]
              : []
          }
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={placeholder} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
