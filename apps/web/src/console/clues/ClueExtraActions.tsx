import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  CLUE_KIND_LABELS,
  type ClueDetail,
  type ClueKind,
  REPLY_TEMPLATE_LABELS,
  type ReplyTemplate,
  SATISFACTION_CHANNEL_LABELS,
  SATISFACTION_LABELS,
  type Satisfaction,
  SORT_ROUTE_LABELS,
  type SortSuggestion,
} from '@rongjian/shared/api';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Radio, Select, Space } from 'antd';
import { type ReactNode, useState } from 'react';
import { ApiError, errorMessage } from '../../shared/api/client.ts';
import { useDict } from '../../shared/api/dicts.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { useReply, useSatisfaction, useSorting, useSplit } from './api.ts';

const KIND_OPTIONS = Object.entries(CLUE_KIND_LABELS).map(([value, label]) => ({ value, label }));
const ROUTES = ['direct', 'analysis', 'dispatch'] as const;

/** A modal form with the server's field errors on the fields and a reload after a 409. */
function FormModal<V extends object>({
  name,
  title,
  okText,
  busy,
  onClose,
  onSubmit,
  initialValues,
  children,
  width = 620,
}: {
  /** Form name: prefixes the field ids, so labels point at their inputs. */
  name: string;
  title: string;
  okText: string;
  busy: boolean;
  onClose: () => void;
  onSubmit: (v: V) => Promise<string>;
  initialValues?: Partial<V>;
  children: ReactNode;
  width?: number;
}) {
  const [form] = Form.useForm<V>();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    try {
      void message.success(await onSubmit(v));
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        void message.error(e.message);
        onClose();
        return;
      }
      if (e instanceof ApiError && e.details?.length) {
        form.setFields(e.details.map((d) => ({ name: d.path.split('.') as never, errors: [d.message] })));
      }
      setError(errorMessage(e));
    }
  };
  return (
    <Modal
      title={title}
      open
      okText={okText}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={width}
    >
      <Form form={form} name={name} layout="vertical" initialValues={initialValues as never}>
        {children}
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

interface SortValues {
  kind: ClueKind;
  businessLine: string;
  category12315?: string;
  entityId?: number;
  route: (typeof ROUTES)[number];
  answer?: string;
  note?: string;
}

function SortingModal({ clue, onClose }: { clue: ClueDetail; onClose: () => void }) {
  const sorting = useSorting(clue.id);
  const lines = useDict('business_line');
  const categories = useDict('category_12315');
  const s = clue.sortSuggestion as Partial<SortSuggestion>;
  const suggestedRoute = ROUTES.find((r) => r === s.route);
  const candidates = s.respondents ?? [];
  return (
    <FormModal<SortValues>
      name="clue-sorting"
      title={`分拣确认 · ${clue.number}`}
      okText="确认分拣"
      busy={sorting.isPending}
      onClose={onClose}
      initialValues={{
        kind: s.kind ?? clue.kind,
        businessLine: clue.businessLine ?? s.businessLine,
        category12315: clue.category12315 ?? s.category12315,
        route: suggestedRoute ?? (clue.kind === 'inquiry' ? 'direct' : 'dispatch'),
        ...(clue.entityId ? {} : candidates[0] ? { entityId: candidates[0].entityId } : {}),
      }}
      onSubmit={async (v) => {
        await sorting.mutateAsync({
          version: clue.version,
          kind: v.kind,
          businessLine: v.businessLine,
          ...(v.category12315 ? { category12315: v.category12315 } : {}),
          ...(v.entityId ? { entityId: v.entityId } : {}),
          route: v.route,
          ...(v.route === 'direct' && v.answer ? { answer: v.answer.trim() } : {}),
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        });
        return `已分拣：${SORT_ROUTE_LABELS[v.route]}`;
      }}
    >
      {s.classifier && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="已按分拣建议预填，修改即记为更正"
          description={s.ruleNames?.length ? `命中规则：${s.ruleNames.join('、')}` : undefined}
        />
      )}
      <Form.Item name="kind" label="线索类型" rules={[{ required: true, message: '请选择线索类型' }]}>
        <Radio.Group optionType="button" options={KIND_OPTIONS} />
      </Form.Item>
      <Space size={16} style={{ display: 'flex' }} align="start">
        <Form.Item
          name="businessLine"
          label="业务条线"
          rules={[{ required: true, message: '请选择业务条线' }]}
        >
          <Select
            style={{ width: 260 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={lines.options}
            placeholder="选择业务条线"
          />
        </Form.Item>
        <Form.Item name="category12315" label="12315 分类">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 260 }}
            options={categories.options}
            placeholder="选填"
          />
        </Form.Item>
      </Space>
      {!clue.entityId && candidates.length > 0 && (
        <Form.Item name="entityId" label="被投诉（举报）对象（建议）">
          <Select
            allowClear
            options={candidates.map((c) => ({
              value: c.entityId,
              label: `${c.name}（${c.uscc ?? '无信用代码'}）`,
            }))}
          />
        </Form.Item>
      )}
      <Form.Item name="route" label="去向" rules={[{ required: true, message: '请选择去向' }]}>
        <Radio.Group
          optionType="button"
          options={ROUTES.map((r) => ({ value: r, label: SORT_ROUTE_LABELS[r] }))}
        />
      </Form.Item>
      <Form.Item noStyle dependencies={['route']}>
        {({ getFieldValue }) =>
          getFieldValue('route') === 'direct' ? (
            <Form.Item
              name="answer"
              label="答复内容"
              rules={[
                { required: true, whitespace: true, message: '直接办结须填写答复内容' },
                { min: 2, message: '答复内容至少 2 个字' },
              ]}
            >
              <Input.TextArea rows={4} maxLength={5000} showCount />
            </Form.Item>
          ) : null
        }
      </Form.Item>
      <Form.Item name="note" label="说明（选填）">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

interface SplitValues {
  parts: { kind: ClueKind; content: string; request?: string }[];
}

function SplitModal({ clue, onClose }: { clue: ClueDetail; onClose: () => void }) {
  const split = useSplit(clue.id);
  return (
    <FormModal<SplitValues>
      name="clue-split"
      title={`拆分线索 · ${clue.number}`}
      okText="拆分"
      busy={split.isPending}
      onClose={onClose}
      width={760}
      initialValues={{
        parts: [
          { kind: clue.kind, content: clue.content, request: clue.request },
          { kind: clue.kind === 'complaint' ? 'report' : 'complaint', content: '' },
        ],
      }}
      onSubmit={async (v) => {
        const out = await split.mutateAsync({
          version: clue.version,
          parts: v.parts.map((p) => ({
            kind: p.kind,
            content: p.content.trim(),
            ...(p.request?.trim() ? { request: p.request.trim() } : {}),
          })),
        });
        return `已拆分为 ${out.clues.length} 条：${out.clues.map((c) => c.number).join('、')}`;
      }}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="同时含有投诉和举报的，应分别处理（《市场监督管理投诉举报处理暂行办法》第七条）"
        description="第一部分保留在本线索，其余各部分登记为新线索，投诉（举报）人随之复制。"
      />
      <Form.List name="parts">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <div
                key={f.key}
                style={{ borderTop: i ? '1px dashed #d9d9d9' : undefined, paddingTop: i ? 12 : 0 }}
              >
                <Space align="center" style={{ marginBottom: 8 }}>
                  <strong>{i === 0 ? '第 1 部分（本线索）' : `第 ${i + 1} 部分（新线索）`}</strong>
                  {i >= 2 && (
                    <Button type="link" danger icon={<MinusCircleOutlined />} onClick={() => remove(f.name)}>
                      删除
                    </Button>
                  )}
                </Space>
                <Form.Item
                  name={[f.name, 'kind']}
                  label="类型"
                  rules={[{ required: true, message: '请选择类型' }]}
                >
                  <Radio.Group optionType="button" options={KIND_OPTIONS} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'content']}
                  label="内容"
                  rules={[
                    { required: true, whitespace: true, message: '请填写内容' },
                    { min: 5, message: '内容至少 5 个字' },
                  ]}
                >
                  <Input.TextArea rows={3} maxLength={20000} showCount />
                </Form.Item>
                <Form.Item name={[f.name, 'request']} label="诉求">
                  <Input maxLength={2000} />
                </Form.Item>
              </div>
            ))}
            {fields.length < 5 && (
              <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'complaint', content: '' })}>
                再加一部分
              </Button>
            )}
          </>
        )}
      </Form.List>
    </FormModal>
  );
}

interface ReplyValues {
  template: ReplyTemplate;
  result?: string;
  reason?: string;
}

function ReplyModal({ clue, onClose }: { clue: ClueDetail; onClose: () => void }) {
  const reply = useReply(clue.id);
  const initial: ReplyTemplate =
    clue.status === 'rejected'
      ? 'rejected'
      : clue.status === 'closed' || clue.status === 'direct'
        ? 'result'
        : 'accepted';
  return (
    <FormModal<ReplyValues>
      name="clue-reply"
      title={`答复投诉（举报）人 · ${clue.number}`}
      okText="发送短信"
      busy={reply.isPending}
      onClose={onClose}
      initialValues={{ template: initial }}
      onSubmit={async (v) => {
        const out = await reply.mutateAsync({
          template: v.template,
          ...(v.result?.trim() ? { result: v.result.trim() } : {}),
          ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
        });
        return `短信已发送 ${out.sent} 条${out.failed ? `，失败 ${out.failed} 条` : ''}`;
      }}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="按答复模板生成短信，发给本线索及并入线索的全部投诉（举报）人"
      />
      <Form.Item name="template" label="答复模板" rules={[{ required: true, message: '请选择模板' }]}>
        <Radio.Group
          optionType="button"
          options={Object.entries(REPLY_TEMPLATE_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item noStyle dependencies={['template']}>
        {({ getFieldValue }) =>
          getFieldValue('template') === 'result' ? (
            <Form.Item name="result" label="办理结果（选填，默认取已记录的结果）">
              <Input.TextArea rows={3} maxLength={500} showCount />
            </Form.Item>
          ) : getFieldValue('template') === 'rejected' ? (
            <Form.Item name="reason" label="不予受理理由（选填，默认取已记录的理由）">
              <Input.TextArea rows={3} maxLength={500} showCount />
            </Form.Item>
          ) : null
        }
      </Form.Item>
    </FormModal>
  );
}

interface SatisfactionValues {
  result: Satisfaction;
  channel: 'sms' | 'phone' | 'online';
  reason?: string;
  reopen?: boolean;
}

function SatisfactionModal({ clue, onClose }: { clue: ClueDetail; onClose: () => void }) {
  const record = useSatisfaction(clue.id);
  return (
    <FormModal<SatisfactionValues>
      name="clue-satisfaction"
      title={`满意度回访 · ${clue.number}`}
      okText="保存回访结果"
      busy={record.isPending}
      onClose={onClose}
      initialValues={{ result: 'satisfied', channel: 'phone', reopen: false }}
      onSubmit={async (v) => {
        await record.mutateAsync({
          result: v.result,
          channel: v.channel,
          ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
          ...(v.result === 'unsatisfied' && v.reopen ? { reopen: true } : {}),
        });
        return v.result === 'unsatisfied' && v.reopen ? '已记录不满意，线索重新办理' : '回访结果已记录';
      }}
    >
      <Form.Item name="result" label="回访结果" rules={[{ required: true, message: '请选择回访结果' }]}>
        <Radio.Group
          optionType="button"
          options={Object.entries(SATISFACTION_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item name="channel" label="回访方式" rules={[{ required: true, message: '请选择回访方式' }]}>
        <Radio.Group
          options={Object.entries(SATISFACTION_CHANNEL_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item noStyle dependencies={['result']}>
        {({ getFieldValue }) => {
          const unsatisfied = getFieldValue('result') === 'unsatisfied';
          return (
            <>
              <Form.Item
                name="reason"
                label={unsatisfied ? '不满意原因' : '回访记录（选填）'}
                rules={
                  unsatisfied
                    ? [
                        { required: true, whitespace: true, message: '不满意时请填写原因' },
                        { min: 2, message: '原因至少 2 个字' },
                      ]
                    : []
                }
              >
                <Input.TextArea rows={3} maxLength={1000} showCount />
              </Form.Item>
              {unsatisfied && (
                <Form.Item name="reopen" valuePropName="checked">
                  <Checkbox>重新办理（线索回到待分拣）</Checkbox>
                </Form.Item>
              )}
            </>
          );
        }}
      </Form.Item>
    </FormModal>
  );
}

type Extra = 'sorting' | 'split' | 'reply' | 'satisfaction';

/**
 * Actions of the sorting and feedback modules, offered next to the machine's transitions: 分拣确认 and 拆分 on a
 * clue waiting to be sorted, 答复 when there is someone to answer, 满意度回访 once it is answered or closed.
 */
export function ClueExtraButtons({ clue }: { clue: ClueDetail }) {
  const me = useCurrentUser();
  const [open, setOpen] = useState<Extra | null>(null);
  const mayHandle = can(me, 'clue:clue:handle');
  const offered: { key: Extra; label: string; primary?: boolean }[] = [];
  if (mayHandle && clue.status === 'sorting') {
    offered.push({ key: 'sorting', label: '分拣确认', primary: true });
  }
  if (mayHandle && (clue.status === 'sorting' || clue.status === 'registering')) {
    offered.push({ key: 'split', label: '拆分' });
  }
  if (mayHandle && clue.parties.length > 0 && clue.status !== 'merged') {
    offered.push({ key: 'reply', label: '答复' });
  }
  if (mayHandle && (clue.status === 'direct' || clue.status === 'closed') && clue.parties.length > 0) {
    offered.push({ key: 'satisfaction', label: '满意度回访' });
  }
  const close = () => setOpen(null);
  return (
    <>
      {offered.map((o) => (
        <Button key={o.key} type={o.primary ? 'primary' : 'default'} onClick={() => setOpen(o.key)}>
          {o.label}
        </Button>
      ))}
      {open === 'sorting' && <SortingModal clue={clue} onClose={close} />}
      {open === 'split' && <SplitModal clue={clue} onClose={close} />}
      {open === 'reply' && <ReplyModal clue={clue} onClose={close} />}
      {open === 'satisfaction' && <SatisfactionModal clue={clue} onClose={close} />}
    </>
  );
}
