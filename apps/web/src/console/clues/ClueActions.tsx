import {
  CLUE_STATUS_LABELS,
  type ClueDetail,
  type ClueTransitionAction,
  type ClueTransitionInput,
} from '@rongjian/shared/api';
import { App, Alert, Button, Form, Input, Modal, Select, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../shared/api/client.ts';
import { useClues, useRefusalGrounds, useTransition } from './api.ts';
import { useDebounced } from './hooks.ts';
import { StatusTag } from './labels.tsx';

interface ActionValues {
  note?: string;
  answer?: string;
  result?: string;
  groundCode?: string;
  agency?: string;
  targetId?: number;
  reason?: string;
}

/** What each action asks for, besides an optional note. */
const NEEDS: Partial<Record<ClueTransitionAction, (keyof ActionValues)[]>> = {
  answer: ['answer'],
  recordResult: ['result'],
  reject: ['groundCode'],
  transfer: ['agency', 'reason'],
  merge: ['targetId'],
  reopen: ['reason'],
  returnToDispatch: ['reason'],
};

/** The usual next step, in order of preference; at most one button is highlighted. */
const PRIMARY: ClueTransitionAction[] = ['register', 'startHandling', 'recordResult', 'close'];
const DANGER: ClueTransitionAction[] = ['reject'];

/** Pick the clue to merge into by its number (or any text the list search understands). */
function TargetPicker({
  clue,
  value,
  onChange,
}: {
  clue: ClueDetail;
  value?: number;
  onChange?: (v: number) => void;
}) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const found = useClues({ q }, undefined, 10, q.length >= 2);
  const items = q.length >= 2 ? (found.data?.items ?? []).filter((c) => c.id !== clue.id) : [];
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value}
      onChange={onChange}
      placeholder="输入线索编号（如 XS20261128）或被投诉对象"
      notFoundContent={q.length >= 2 && found.isFetching ? <Spin size="small" /> : '输入至少 2 个字查找'}
      options={items.map((c) => ({
        value: c.id,
        label: (
          <Space size={6}>
            <span>{c.number}</span>
            <StatusTag status={c.status} />
            <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220 }}>
              {c.respondentName || c.title}
            </Typography.Text>
          </Space>
        ),
      }))}
    />
  );
}

function ActionForm({ clue, action }: { clue: ClueDetail; action: ClueTransitionAction }) {
  const needs = NEEDS[action] ?? [];
  const grounds = useRefusalGrounds(clue.receiptDay, action === 'reject');
  return (
    <>
      {needs.includes('answer') && (
        <Form.Item
          name="answer"
          label="答复内容"
          rules={[
            { required: true, whitespace: true, message: '请填写答复内容' },
            { min: 2, message: '答复内容至少 2 个字' },
          ]}
        >
          <Input.TextArea rows={5} maxLength={5000} showCount placeholder="对咨询（投诉）人的答复" />
        </Form.Item>
      )}
      {needs.includes('result') && (
        <Form.Item
          name="result"
          label="办理结果"
          rules={[
            { required: true, whitespace: true, message: '请填写办理结果' },
            { min: 2, message: '办理结果至少 2 个字' },
          ]}
        >
          <Input.TextArea rows={5} maxLength={5000} showCount placeholder="核查情况、处理结果" />
        </Form.Item>
      )}
      {needs.includes('groundCode') && (
        <Form.Item
          name="groundCode"
          label="不予受理理由"
          extra={`按收到当日（${clue.receiptDay}）施行的规定：${clue.regulation}`}
          rules={[{ required: true, message: '请选择不予受理的法定理由' }]}
        >
          <Select
            loading={grounds.isPending}
            placeholder="选择法定理由"
            notFoundContent={grounds.isError ? errorMessage(grounds.error) : '暂无适用的理由'}
            options={(grounds.data?.items ?? [])
              .filter((g) => g.enabled)
              .map((g) => ({
                value: g.code,
                label: `${g.regulation}${g.article}：${g.label}`,
                title: g.label,
              }))}
            optionRender={(o) => <div style={{ whiteSpace: 'normal' }}>{o.label}</div>}
          />
        </Form.Item>
      )}
      {needs.includes('agency') && (
        <Form.Item
          name="agency"
          label="接收机关"
          rules={[
            { required: true, whitespace: true, message: '请填写接收机关' },
            { min: 2, message: '接收机关至少 2 个字' },
          ]}
        >
          <Input maxLength={100} placeholder="如：示范县住房和城乡建设局" />
        </Form.Item>
      )}
      {needs.includes('targetId') && (
        <Form.Item
          name="targetId"
          label="并入的线索"
          extra="本线索并入所选线索，保留本线索的渠道和投诉（举报）人；答复将发给全部投诉（举报）人。"
          rules={[{ required: true, message: '请选择并入的线索' }]}
        >
          <TargetPicker clue={clue} />
        </Form.Item>
      )}
      {needs.includes('reason') && (
        <Form.Item
          name="reason"
          label={action === 'transfer' ? '转办理由' : '原因'}
          rules={[
            { required: true, whitespace: true, message: '请填写原因' },
            { min: 2, message: '原因至少 2 个字' },
          ]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
      )}
      <Form.Item name="note" label="说明（选填）">
        <Input.TextArea rows={2} maxLength={2000} placeholder="记入办理时间线" />
      </Form.Item>
    </>
  );
}

/** The modal of one transition: its fields, the clue's version, and a reload when someone else was quicker. */
function ActionModal({
  clue,
  action,
  label,
  onClose,
}: {
  clue: ClueDetail;
  action: ClueTransitionAction;
  label: string;
  onClose: () => void;
}) {
  const [form] = Form.useForm<ActionValues>();
  const { message } = App.useApp();
  const transition = useTransition(clue.id);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    const body: ClueTransitionInput = { action, version: clue.version };
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined || val === null || (typeof val === 'string' && val.trim() === '')) continue;
      (body as unknown as Record<string, unknown>)[k] = typeof val === 'string' ? val.trim() : val;
    }
    try {
      const after = await transition.mutateAsync(body);
      void message.success(`${label}：线索现为“${CLUE_STATUS_LABELS[after.status]}”`);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // Someone else moved the clue: the page reloads it (the mutation refreshes the detail) and says so.
        void message.error(e.message);
        onClose();
        return;
      }
      if (e instanceof ApiError && e.details?.length) {
        form.setFields(e.details.map((d) => ({ name: d.path as keyof ActionValues, errors: [d.message] })));
      }
      setError(errorMessage(e));
    }
  };

  return (
    <Modal
      title={`${label} · ${clue.number}`}
      open
      okText={label}
      okButtonProps={{ danger: DANGER.includes(action) }}
      confirmLoading={transition.isPending}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={620}
    >
      <Form form={form} layout="vertical" name={`clue-action-${action}`}>
        <ActionForm clue={clue} action={action} />
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

/** The buttons of the actions the server offers this user for this clue, each with its modal. */
export function ClueActionButtons({
  clue,
  primaryTaken = false,
}: {
  clue: ClueDetail;
  primaryTaken?: boolean;
}) {
  const primary = primaryTaken
    ? null
    : (PRIMARY.find((p) => clue.actions.some((a) => a.action === p)) ?? null);
  const [open, setOpen] = useState<{ action: ClueTransitionAction; label: string } | null>(null);
  return (
    <>
      {clue.actions.map((a) => (
        <Button
          key={a.action}
          type={a.action === primary ? 'primary' : 'default'}
          danger={DANGER.includes(a.action)}
          onClick={() => setOpen({ action: a.action, label: a.label })}
        >
          {a.label}
        </Button>
      ))}
      {open && (
        <ActionModal clue={clue} action={open.action} label={open.label} onClose={() => setOpen(null)} />
      )}
    </>
  );
}
