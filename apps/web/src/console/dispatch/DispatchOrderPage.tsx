import {
  DISPATCH_EVENT_LABELS,
  DISPATCH_OUTCOME_LABELS,
  type DispatchAction,
  type DispatchActionInput,
  type DispatchOrderDetail,
  type DispatchOutcome,
} from '@rongjian/shared/api';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { dateTime } from '../clues/api.ts';
import { eventDetails, eventLabel } from '../clues/clueEventLabels.ts';
import { DeadlineStateTag, remainingText } from '../clues/deadlineLabels.tsx';
import { StatusTag } from '../clues/labels.tsx';
import { useDispatchOptions, useOrder, useOrderAction } from './api.ts';
import { ModuleTag, OrderStatusTag } from './labels.tsx';

type FormAction = Extract<
  DispatchAction,
  'complete' | 'return' | 'transfer' | 'extend' | 'urge' | 'rejectTransfer'
>;

const FORM_TITLES: Record<FormAction, string> = {
  complete: '登记办理结果并办结',
  return: '退回调度单',
  transfer: '转办到其他部门',
  extend: '申请延期',
  urge: '督办',
  rejectTransfer: '驳回转办申请',
};

const timelineLabel = (e: DispatchOrderDetail['timeline'][number]) =>
  DISPATCH_EVENT_LABELS[e.kind] ? `${DISPATCH_EVENT_LABELS[e.kind]}` : eventLabel(e);

function ActionForm({
  order,
  action,
  onDone,
}: {
  order: DispatchOrderDetail;
  action: FormAction;
  onDone: () => void;
}) {
  const [form] = Form.useForm();
  const run = useOrderAction(order.id);
  const options = useDispatchOptions();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    const values = (await form.validateFields()) as Partial<DispatchActionInput>;
    setError(null);
    try {
      const after = await run.mutateAsync({
        ...values,
        action,
        version: order.version,
      } as DispatchActionInput);
      message.success(`${FORM_TITLES[action]}：已提交`);
      onDone();
      // Transferred out of the viewer's department: the order is no longer his to see.
      if (action === 'transfer' && after.departmentId !== order.departmentId) navigate('/dispatch');
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <Modal
      open
      title={FORM_TITLES[action]}
      onCancel={onDone}
      onOk={submit}
      confirmLoading={run.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        {action === 'complete' && (
          <>
            <Form.Item
              name="outcome"
              label="办理结果"
              rules={[{ required: true, message: '请选择办理结果' }]}
            >
              <Select
                aria-label="办理结果"
                options={(Object.keys(DISPATCH_OUTCOME_LABELS) as DispatchOutcome[]).map((v) => ({
                  value: v,
                  label: DISPATCH_OUTCOME_LABELS[v],
                }))}
              />
            </Form.Item>
            <Form.Item
              name="summary"
              label="办理情况"
              rules={[{ required: true, min: 2, message: '请填写办理情况（至少 2 个字）' }]}
            >
              <Input.TextArea rows={4} maxLength={5000} showCount aria-label="办理情况" />
            </Form.Item>
            <Typography.Text type="secondary">
              办结后结果回传线索（线索转为“待反馈”），由线索承办人答复投诉（举报）人。
            </Typography.Text>
          </>
        )}
        {action === 'transfer' && (
          <Form.Item name="departmentId" label="转办部门" rules={[{ required: true, message: '请选择部门' }]}>
            <Select
              aria-label="转办部门"
              options={(options.data?.departments ?? [])
                .filter((d) => d.kind !== 'bureau' && d.id !== order.departmentId)
                .map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        )}
        {action === 'extend' && (
          <Form.Item
            name="days"
            label={`延长天数（${order.deadline?.dayKind === 'working' ? '工作日' : '日'}）`}
            rules={[{ required: true, message: '请填写天数' }]}
          >
            <InputNumber min={1} max={90} precision={0} aria-label="延长天数" />
          </Form.Item>
        )}
        {(action === 'return' || action === 'transfer' || action === 'extend') && (
          <Form.Item
            name="reason"
            label="原因"
            rules={[{ required: true, min: 2, message: '请填写原因（至少 2 个字）' }]}
          >
            <Input.TextArea rows={3} maxLength={1000} aria-label="原因" />
          </Form.Item>
        )}
        {action === 'rejectTransfer' && (
          <Form.Item name="note" label="驳回意见">
            <Input.TextArea rows={3} maxLength={1000} aria-label="驳回意见" />
          </Form.Item>
        )}
        {action === 'urge' && (
          <Form.Item
            name="message"
            label="督办意见"
            rules={[{ required: true, min: 2, message: '请填写督办意见（至少 2 个字）' }]}
          >
            <Input.TextArea rows={3} maxLength={1000} aria-label="督办意见" />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}

/** 调度单 detail: clues, officers, deadline card, timeline and the actions the viewer may take now. */
export default function DispatchOrderPage() {
  const id = Number(useParams().id);
  const user = useCurrentUser();
  const order = useOrder(id);
  const run = useOrderAction(id);
  const { message, modal } = App.useApp();
  const [form, setForm] = useState<FormAction | null>(null);

  if (order.isPending) return <Spin />;
  if (order.isError) {
    return <Result status="404" title="调度单不存在或无权访问" subTitle={errorMessage(order.error)} />;
  }
  const o = order.data;
  const has = (a: DispatchAction) => o.actions.some((x) => x.action === a);
  const direct = async (action: 'sign' | 'start' | 'approveTransfer', label: string) => {
    try {
      await run.mutateAsync({ action, version: o.version });
      message.success(`${label}成功`);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  const decideExtension = (approve: boolean) => {
    const ext = o.deadline?.pendingExtension;
    if (!ext) return;
    modal.confirm({
      title: approve ? `批准延长 ${ext.days} 天？` : '驳回延期申请？',
      content: `申请人：${ext.requestedBy}；理由：${ext.reason}`,
      onOk: async () => {
        try {
          await run.mutateAsync({
            action: 'decideExtension',
            version: o.version,
            extensionId: ext.id,
            approve,
          });
          message.success(approve ? '已批准延期' : '已驳回延期申请');
        } catch (err) {
          message.error(errorMessage(err));
        }
      },
    });
  };

  const buttons = [
    has('sign') && (
      <Button key="sign" type="primary" onClick={() => direct('sign', '签收')} loading={run.isPending}>
        签收
      </Button>
    ),
    has('start') && (
      <Button key="start" type="primary" onClick={() => direct('start', '开始办理')} loading={run.isPending}>
        开始办理
      </Button>
    ),
    has('complete') && (
      <Button key="complete" type="primary" onClick={() => setForm('complete')}>
        登记结果并办结
      </Button>
    ),
    has('extend') && !o.deadline?.pendingExtension && (
      <Button key="extend" onClick={() => setForm('extend')}>
        申请延期
      </Button>
    ),
    has('transfer') && (
      <Button key="transfer" onClick={() => setForm('transfer')}>
        转办
      </Button>
    ),
    has('return') && (
      <Button key="return" danger onClick={() => setForm('return')}>
        退回
      </Button>
    ),
    has('urge') && (
      <Button key="urge" onClick={() => setForm('urge')}>
        督办
      </Button>
    ),
  ].filter(Boolean);

  const mayApprove = can(user, 'dispatch:order:approve');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <span>调度单 {o.number}</span>
            <ModuleTag module={o.module} />
            <OrderStatusTag status={o.status} />
            {o.urged && <Tag color="magenta">督办</Tag>}
            {o.escalated && <Tag color="red">逾期已上报</Tag>}
          </Space>
        }
        extra={<Link to="/dispatch">返回调度台</Link>}
      >
        {buttons.length > 0 && (
          <Space wrap style={{ marginBottom: 16 }} data-testid="order-actions">
            {buttons}
          </Space>
        )}
        {o.pendingTransfer && (
          <Alert
            style={{ marginBottom: 16 }}
            type="warning"
            showIcon
            title={`转办待审批：转至${o.pendingTransfer.toDepartmentName}`}
            description={`申请人 ${o.pendingTransfer.requestedBy}（${dateTime(o.pendingTransfer.requestedAt)}）：${o.pendingTransfer.reason}`}
            action={
              has('approveTransfer') && (
                <Space orientation="vertical">
                  <Button size="small" type="primary" onClick={() => direct('approveTransfer', '批准转办')}>
                    批准
                  </Button>
                  <Button size="small" danger onClick={() => setForm('rejectTransfer')}>
                    驳回
                  </Button>
                </Space>
              )
            }
          />
        )}
        {o.status === 'returned' && o.returnReason && (
          <Alert style={{ marginBottom: 16 }} type="info" showIcon title={`已退回：${o.returnReason}`} />
        )}
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          bordered
          items={[
            { key: 'title', label: '事项', children: o.title, span: 'filled' },
            { key: 'dept', label: '承办部门', children: o.departmentName },
            {
              key: 'officers',
              label: '承办人员',
              children: o.officers
                .map((x) => `${x.name}${x.lead ? '（主办）' : ''}${x.certNo ? ` 证号 ${x.certNo}` : ''}`)
                .join('；'),
            },
            { key: 'line', label: '业务条线', children: o.businessLine ?? '—' },
            { key: 'entity', label: '被检查对象', children: o.entityName ?? '—' },
            { key: 'rule', label: '路由规则', children: o.ruleName ?? '—' },
            { key: 'receiver', label: '办理方式', children: o.receiver.name },
            { key: 'instructions', label: '调度要求', children: o.instructions || '—', span: 'filled' },
            ...(o.override
              ? [
                  {
                    key: 'override',
                    label: '调整原因',
                    span: 'filled' as const,
                    children: `${o.override.reason}（建议：${o.override.suggestedDepartmentName ?? '—'}，${o.override.suggestedOfficerNames.join('、') || '—'}）`,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card size="small" title={`线索（${o.clues.length}）`} style={{ marginBottom: 16 }}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              {o.clues.map((c) => (
                <Space key={c.id} wrap>
                  <Link to={`/clues/${c.id}`}>{c.number}</Link>
                  <StatusTag status={c.status} />
                  <Typography.Text>{c.title}</Typography.Text>
                  {c.respondentName && (
                    <Typography.Text type="secondary">被投诉对象：{c.respondentName}</Typography.Text>
                  )}
                </Space>
              ))}
            </Space>
          </Card>
          {o.result && (
            <Card size="small" title="办理结果" style={{ marginBottom: 16 }} data-testid="order-result">
              <Space orientation="vertical">
                <Tag color={o.result.outcome === 'violation' ? 'red' : 'green'}>
                  {DISPATCH_OUTCOME_LABELS[o.result.outcome]}
                </Tag>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                  {o.result.summary}
                </Typography.Paragraph>
                <Typography.Text type="secondary">
                  {o.result.completedBy} · {dateTime(o.result.completedAt)}
                </Typography.Text>
              </Space>
            </Card>
          )}
          <Card size="small" title="办理记录">
            {o.timeline.length === 0 ? (
              <Empty description="暂无记录" />
            ) : (
              <Timeline
                data-testid="order-timeline"
                items={o.timeline.map((e) => ({
                  key: e.id,
                  color: e.kind.endsWith('escalated') || e.kind === 'deadline.overdue' ? 'red' : 'blue',
                  content: (
                    <div data-kind={e.kind}>
                      <Typography.Text strong>{timelineLabel(e)}</Typography.Text>
                      {eventDetails(e).map((line) => (
                        <div key={line}>{line}</div>
                      ))}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {dateTime(e.occurredAt)} · {e.actorName}
                      </Typography.Text>
                    </div>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title="办理时限" style={{ marginBottom: 16 }} data-testid="order-deadline">
            {o.deadline ? (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{o.deadline.label}</Typography.Text>
                  <DeadlineStateTag d={o.deadline} />
                </Space>
                <div>
                  {o.deadline.startOn} 起 {o.deadline.days}
                  {o.deadline.dayKind === 'working' ? ' 个工作日' : ' 日'}
                  {o.deadline.extendedDays > 0 ? `，已延长 ${o.deadline.extendedDays} 天` : ''}，到期日{' '}
                  <Typography.Text strong>{o.deadline.dueOn}</Typography.Text>
                </div>
                <div>{remainingText(o.deadline)}</div>
                <Typography.Text type="secondary">依据：{o.deadline.regulation}</Typography.Text>
                {o.deadline.pendingExtension && (
                  <Alert
                    type="info"
                    showIcon
                    title={`延期申请待审批：延长 ${o.deadline.pendingExtension.days} 天`}
                    description={`${o.deadline.pendingExtension.requestedBy}：${o.deadline.pendingExtension.reason}`}
                    action={
                      mayApprove && has('decideExtension') ? (
                        <Space orientation="vertical">
                          <Button size="small" type="primary" onClick={() => decideExtension(true)}>
                            批准
                          </Button>
                          <Button size="small" danger onClick={() => decideExtension(false)}>
                            驳回
                          </Button>
                        </Space>
                      ) : undefined
                    }
                  />
                )}
              </Space>
            ) : (
              <Typography.Text type="secondary">无</Typography.Text>
            )}
          </Card>
          {o.urges.length > 0 && (
            <Card size="small" title="督办">
              <Space orientation="vertical" style={{ width: '100%' }}>
                {o.urges.map((u) => (
                  <div key={`${u.at}${u.by}`}>
                    <Typography.Text>{u.message}</Typography.Text>
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {u.by} · {dateTime(u.at)}
                    </Typography.Text>
                  </div>
                ))}
              </Space>
            </Card>
          )}
        </Col>
      </Row>
      {form && <ActionForm order={o} action={form} onDone={() => setForm(null)} />}
    </Space>
  );
}
