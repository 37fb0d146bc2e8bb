import type { Deadline, DeadlineBoardPage as BoardPage, DeadlineDetail } from '@rongjian/shared/api';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { DeadlineStateTag, deadlineUnit as unit, remainingText } from './deadlineLabels.tsx';

// Server contract: `@rongjian/shared/api` (deadlines.ts), `/api/deadlines*`.
type Tab = 'warning' | 'overdue' | 'running';

const deadlineKeys = {
  all: ['deadlines'] as const,
  board: (tab: Tab, ruleKey: string | undefined) => ['deadlines', 'board', tab, ruleKey ?? ''] as const,
};

const RULE_OPTIONS = [
  { value: 'complaint.accept', label: '投诉受理决定' },
  { value: 'complaint.mediation', label: '投诉调解' },
  { value: 'report.verify', label: '举报核查' },
  { value: 'report.reply', label: '举报立案告知' },
];

const SUBJECT_NAMES: Record<string, string> = { clue: '线索', dispatch_order: '调度单', case: '案件' };

function useBoard(tab: Tab, ruleKey: string | undefined) {
  return useInfiniteQuery({
    queryKey: deadlineKeys.board(tab, ruleKey),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<BoardPage>('/api/deadlines', { state: tab, ruleKey, after: pageParam, limit: 50 }, signal),
    getNextPageParam: (last) => last.nextAfter ?? undefined,
  });
}

/** Every action answers with the changed deadline; every board tab is read again. */
function useDeadlineAction<V>(fn: (v: V) => Promise<DeadlineDetail>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: deadlineKeys.all }),
  });
}

function Subject({ d }: { d: Deadline }) {
  const name = d.subjectLabel ?? `${SUBJECT_NAMES[d.subjectType] ?? d.subjectType} ${d.subjectId}`;
  return d.clueId !== null ? <Link to={`/clues/${d.clueId}`}>{name}</Link> : <span>{name}</span>;
}

type Dialog = { kind: 'pause' | 'extend' | 'approve'; deadline: Deadline } | null;

/** 线索归集 › 时限看板: legal limits about to expire (预警), expired (逾期) or running, in the user's data scope. */
export default function DeadlineBoardPage() {
  const me = useCurrentUser();
  const [tab, setTab] = useState<Tab>('warning');
  const [ruleKey, setRuleKey] = useState<string | undefined>();
  const board = useBoard(tab, ruleKey);
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const items = board.data?.pages.flatMap((p) => p.items) ?? [];
  const today = board.data?.pages[0]?.today;

  const resume = useDeadlineAction((id: number) => api.post<DeadlineDetail>(`/api/deadlines/${id}/resume`));
  const canPause = can(me, 'clue:deadline:pause');
  const canExtend = can(me, 'clue:deadline:extend');
  const canApprove = can(me, 'clue:deadline:approve');

  const actions = (d: Deadline) => {
    const open = d.status === 'running' || d.status === 'paused';
    const extendable =
      open &&
      !d.pendingExtension &&
      d.maxExtensionDays > d.extendedDays &&
      (d.extensionAfterDue || d.state !== 'overdue');
    return (
      <Space size={4} wrap>
        {canPause && d.status === 'running' && (
          <Button size="small" onClick={() => setDialog({ kind: 'pause', deadline: d })}>
            中止
          </Button>
        )}
        {canPause && d.status === 'paused' && (
          <Button
            size="small"
            loading={resume.isPending && resume.variables === d.id}
            onClick={() =>
              resume.mutate(d.id, {
                onSuccess: (r) => void message.success(`已恢复计时，到期日 ${r.dueOn}`),
                onError: (e) => void message.error(errorMessage(e)),
              })
            }
          >
            恢复
          </Button>
        )}
        {canExtend && extendable && (
          <Button size="small" onClick={() => setDialog({ kind: 'extend', deadline: d })}>
            申请延期
          </Button>
        )}
        {canApprove && d.pendingExtension && d.pendingExtension.requestedById !== me.id && (
          <Button size="small" type="primary" onClick={() => setDialog({ kind: 'approve', deadline: d })}>
            审批
          </Button>
        )}
      </Space>
    );
  };

  return (
    <Card
      variant="borderless"
      title="时限看板"
      extra={
        <Space>
          {today && <Typography.Text type="secondary">计算日期：{today}</Typography.Text>}
          <Select
            allowClear
            placeholder="全部时限"
            style={{ width: 160 }}
            value={ruleKey}
            onChange={(v) => setRuleKey(v)}
            options={RULE_OPTIONS}
            data-testid="deadline-rule-filter"
          />
        </Space>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as Tab)}
        items={[
          { key: 'warning', label: '预警' },
          { key: 'overdue', label: '逾期' },
          { key: 'running', label: '进行中' },
        ]}
      />
      {board.isError && (
        <Alert type="error" showIcon title="加载失败" description={errorMessage(board.error)} />
      )}
      <Table<Deadline>
        rowKey="id"
        size="middle"
        loading={board.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 1160 }}
        data-testid="deadline-table"
        locale={{
          emptyText: (
            <Empty
              description={
                { warning: '没有预警的时限', overdue: '没有逾期的时限', running: '没有进行中的时限' }[tab]
              }
            />
          ),
        }}
        columns={[
          { key: 'subject', title: '线索/对象', width: 150, render: (_: unknown, d) => <Subject d={d} /> },
          {
            key: 'label',
            title: '时限名称',
            width: 120,
            render: (_: unknown, d) => (
              <Space orientation="vertical" size={0}>
                <span>{d.label}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {d.days} {unit(d)}
                  {d.extendedDays > 0 ? `（已延长 ${d.extendedDays}）` : ''}
                </Typography.Text>
              </Space>
            ),
          },
          {
            key: 'regulation',
            title: '依据',
            width: 160,
            ellipsis: { showTitle: false },
            render: (_: unknown, d) => (
              <Tooltip
                title={`${d.regulation}（${d.ruleEffectiveFrom === 'default' ? '系统默认规则' : `${d.ruleEffectiveFrom} 起施行的版本`}）`}
              >
                <span>{d.regulation}</span>
              </Tooltip>
            ),
          },
          { key: 'start', title: '起算日', dataIndex: 'startOn', width: 100 },
          { key: 'due', title: '到期日', dataIndex: 'dueOn', width: 100 },
          {
            key: 'remaining',
            title: '剩余/超期',
            width: 140,
            render: (_: unknown, d) => (
              <Typography.Text
                type={d.state === 'overdue' ? 'danger' : d.state === 'warning' ? 'warning' : undefined}
              >
                {remainingText(d)}
              </Typography.Text>
            ),
          },
          {
            key: 'state',
            title: '状态',
            width: 100,
            render: (_: unknown, d) => (
              <Space size={2} wrap>
                <DeadlineStateTag d={d} />
                {d.pendingExtension && <Tag color="purple">延期待批</Tag>}
              </Space>
            ),
          },
          {
            key: 'owner',
            title: '承办人/部门',
            width: 130,
            render: (_: unknown, d) => (
              <Space orientation="vertical" size={0}>
                <span>{d.assigneeName ?? '未指定承办人'}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {d.departmentName ?? '—'}
                </Typography.Text>
              </Space>
            ),
          },
          {
            key: 'actions',
            title: '操作',
            width: 160,
            fixed: 'right',
            render: (_: unknown, d) => actions(d),
          },
        ]}
      />
      {board.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button loading={board.isFetchingNextPage} onClick={() => void board.fetchNextPage()}>
            加载更多
          </Button>
        </div>
      )}
      {dialog?.kind === 'pause' && <PauseModal deadline={dialog.deadline} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'extend' && (
        <ExtendModal deadline={dialog.deadline} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'approve' && (
        <ApproveModal deadline={dialog.deadline} onClose={() => setDialog(null)} />
      )}
    </Card>
  );
}

function Summary({ d }: { d: Deadline }) {
  return (
    <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
      <Descriptions.Item label="对象">
        {d.subjectLabel ?? `${SUBJECT_NAMES[d.subjectType] ?? d.subjectType} ${d.subjectId}`}
      </Descriptions.Item>
      <Descriptions.Item label="时限">{d.label}</Descriptions.Item>
      <Descriptions.Item label="起算日">{d.startOn}</Descriptions.Item>
      <Descriptions.Item label="到期日">{d.dueOn}</Descriptions.Item>
    </Descriptions>
  );
}

function PauseModal({ deadline, onClose }: { deadline: Deadline; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const { message } = App.useApp();
  const pause = useDeadlineAction((reason: string) =>
    api.post<DeadlineDetail>(`/api/deadlines/${deadline.id}/pause`, { reason }),
  );
  return (
    <Modal
      open
      title="中止计时"
      okText="中止"
      confirmLoading={pause.isPending}
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        const { reason } = await form.validateFields();
        try {
          await pause.mutateAsync(reason.trim());
          void message.success('已中止计时，恢复后到期日顺延');
          onClose();
        } catch (e) {
          void message.error(errorMessage(e));
        }
      }}
    >
      <Summary d={deadline} />
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label="中止原因"
          rules={[
            { required: true, whitespace: true, message: '请填写中止原因' },
            { min: 2, message: '原因至少 2 个字' },
          ]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder="例如：检验、检测、鉴定期间不计入时限"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ExtendModal({ deadline, onClose }: { deadline: Deadline; onClose: () => void }) {
  const [form] = Form.useForm<{ days: number; reason: string }>();
  const { message } = App.useApp();
  const left = deadline.maxExtensionDays - deadline.extendedDays;
  const extend = useDeadlineAction((v: { days: number; reason: string }) =>
    api.post<DeadlineDetail>(`/api/deadlines/${deadline.id}/extensions`, v),
  );
  return (
    <Modal
      open
      title="申请延期"
      okText="提交申请"
      confirmLoading={extend.isPending}
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        const v = await form.validateFields();
        try {
          await extend.mutateAsync({ days: v.days, reason: v.reason.trim() });
          void message.success('延期申请已提交，待他人审批');
          onClose();
        } catch (e) {
          void message.error(errorMessage(e));
        }
      }}
    >
      <Summary d={deadline} />
      <Form form={form} layout="vertical" initialValues={{ days: left }}>
        <Form.Item
          name="days"
          label={`延长天数（${deadline.dayKind === 'working' ? '工作日' : '自然日'}，最多 ${left}）`}
          rules={[{ required: true, message: '请填写延长天数' }]}
        >
          <InputNumber min={1} max={left} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label="延期理由"
          rules={[
            { required: true, whitespace: true, message: '请填写延期理由' },
            { min: 2, message: '理由至少 2 个字' },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder="例如：案情复杂，需要补充调查取证" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ApproveModal({ deadline, onClose }: { deadline: Deadline; onClose: () => void }) {
  const [note, setNote] = useState('');
  const { message } = App.useApp();
  const ext = deadline.pendingExtension;
  const decide = useDeadlineAction((approve: boolean) =>
    api.post<DeadlineDetail>(`/api/deadlines/extensions/${ext?.id}/decision`, { approve, note }),
  );
  const submit = async (approve: boolean) => {
    try {
      const r = await decide.mutateAsync(approve);
      void message.success(approve ? `已批准，新的到期日 ${r.dueOn}` : '已驳回延期申请');
      onClose();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };
  return (
    <Modal
      open
      title="审批延期申请"
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button
          key="reject"
          danger
          loading={decide.isPending && decide.variables === false}
          onClick={() => void submit(false)}
        >
          驳回
        </Button>,
        <Button
          key="approve"
          type="primary"
          loading={decide.isPending && decide.variables === true}
          onClick={() => void submit(true)}
        >
          批准
        </Button>,
      ]}
    >
      <Summary d={deadline} />
      {ext && (
        <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
          <Descriptions.Item label="申请人">{ext.requestedBy}</Descriptions.Item>
          <Descriptions.Item label="延长">
            {ext.days} {unit(deadline)}
          </Descriptions.Item>
          <Descriptions.Item label="理由">{ext.reason}</Descriptions.Item>
        </Descriptions>
      )}
      <Input.TextArea
        rows={2}
        maxLength={500}
        showCount
        placeholder="审批意见（可选）"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </Modal>
  );
}
