import { CloseOutlined, LeftOutlined, MergeCellsOutlined, RightOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Progress,
  Radio,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { dateTime, type MergeQueueItem, useDismissPair, useMergePair, useMergeQueue } from './api.ts';
import { channelLabel, kindLabel, StatusTag } from './labels.tsx';
import './clues.css';

type Side = MergeQueueItem['clue'];

function SideView({ side, caption }: { side: Side; caption: string }) {
  return (
    <div data-testid="merge-side" className="rj-clue-side">
      <Typography.Text type="secondary">{caption}</Typography.Text>
      <Space wrap size={6} style={{ display: 'flex', margin: '4px 0 8px' }}>
        <Link to={`/clues/${side.id}`} target="_blank" rel="noopener noreferrer">
          <strong>{side.number}</strong>
        </Link>
        <StatusTag status={side.status} />
        <Tag>{kindLabel(side.kind)}</Tag>
      </Space>
      <div>来源：{channelLabel(side.channel)}</div>
      <div>收到：{dateTime(side.receivedAt)}</div>
      <div>对象：{side.respondentName || '—'}</div>
      <div className="rj-clue-excerpt" style={{ marginTop: 8 }}>
        {side.title}
      </div>
    </div>
  );
}

function MergeModal({ item, onClose }: { item: MergeQueueItem; onClose: () => void }) {
  const { message } = App.useApp();
  const merge = useMergePair();
  // The older clue (the candidate) survives by default: the newer one repeats it.
  const [survivorId, setSurvivorId] = useState(item.candidate.id);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const survivor = survivorId === item.clue.id ? item.clue : item.candidate;
  const absorbed = survivorId === item.clue.id ? item.candidate : item.clue;
  return (
    <Modal
      title="并案"
      open
      okText="并案"
      confirmLoading={merge.isPending}
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        setError(null);
        try {
          await merge.mutateAsync({
            absorbedId: absorbed.id,
            version: absorbed.version,
            survivorId: survivor.id,
            ...(note.trim() ? { note: note.trim() } : {}),
          });
          void message.success(`${absorbed.number} 已并入 ${survivor.number}`);
          onClose();
        } catch (e) {
          if (e instanceof ApiError && e.status === 409) {
            void message.error(e.message);
            onClose();
            return;
          }
          setError(errorMessage(e));
        }
      }}
    >
      <Typography.Paragraph>
        并案后被并入的线索保留原有渠道和投诉（举报）人，状态为“已并案”；办理和答复在保留的线索上进行，答复发给全部投诉（举报）人。
      </Typography.Paragraph>
      <Radio.Group
        value={survivorId}
        onChange={(e) => setSurvivorId(e.target.value as number)}
        style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 16 }}
        options={[
          { value: item.candidate.id, label: `保留较早的 ${item.candidate.number}（推荐）` },
          { value: item.clue.id, label: `保留较新的 ${item.clue.number}` },
        ]}
      />
      <Form layout="vertical">
        <Form.Item label="说明（选填）">
          <Input.TextArea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

function DismissModal({ item, onClose }: { item: MergeQueueItem; onClose: () => void }) {
  const { message } = App.useApp();
  const dismiss = useDismissPair();
  const [reason, setReason] = useState('');
  return (
    <Modal
      title="不是重复"
      open
      okText="确认不是重复"
      confirmLoading={dismiss.isPending}
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        try {
          await dismiss.mutateAsync({ id: item.id, ...(reason.trim() ? { reason: reason.trim() } : {}) });
          void message.success('已排除，这一对不再提示');
          onClose();
        } catch (e) {
          void message.error(errorMessage(e));
        }
      }}
    >
      <Typography.Paragraph>
        {item.clue.number} 与 {item.candidate.number} 将不再作为疑似重复提示。
      </Typography.Paragraph>
      <Input.TextArea
        aria-label="原因"
        rows={3}
        maxLength={500}
        showCount
        placeholder="可说明为何不是重复（选填），如：同一商家的不同消费纠纷"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </Modal>
  );
}

function PairCard({ item, canMerge }: { item: MergeQueueItem; canMerge: boolean }) {
  const [dialog, setDialog] = useState<'merge' | 'dismiss' | null>(null);
  const open = item.status === 'open';
  return (
    <Card
      variant="borderless"
      size="small"
      data-testid={`merge-pair-${item.id}`}
      title={
        <Space wrap>
          <span>疑似重复 #{item.id}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {dateTime(item.createdAt)} 发现
          </Typography.Text>
        </Space>
      }
      extra={
        open && canMerge ? (
          <Space>
            <Button type="primary" icon={<MergeCellsOutlined />} onClick={() => setDialog('merge')}>
              并案
            </Button>
            <Button icon={<CloseOutlined />} onClick={() => setDialog('dismiss')}>
              不是重复
            </Button>
          </Space>
        ) : (
          <Tag>{item.status === 'merged' ? '已并案' : item.status === 'dismissed' ? '已排除' : '待处理'}</Tag>
        )
      }
    >
      <div className="rj-clue-pair">
        <Space align="start" size={12}>
          <Progress
            type="circle"
            size={56}
            percent={Math.round(item.score * 100)}
            format={(p) => `${p}%`}
            strokeColor={item.score >= 0.8 ? '#fa541c' : '#faad14'}
          />
          <div>
            <Typography.Text strong>相似原因</Typography.Text>
            <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
              {item.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </div>
        </Space>
        <SideView side={item.clue} caption="新收到的线索" />
        <SideView side={item.candidate} caption="已有线索" />
      </div>
      {dialog === 'merge' && <MergeModal item={item} onClose={() => setDialog(null)} />}
      {dialog === 'dismiss' && <DismissModal item={item} onClose={() => setDialog(null)} />}
    </Card>
  );
}

/**
 * 线索并案: pairs the intake found alike (same respondent, similar text, close in time) wait here; a person merges
 * them (choosing which clue survives) or says they are not the same.
 */
export default function ClueMergeQueuePage() {
  const me = useCurrentUser();
  const [stack, setStack] = useState<(number | undefined)[]>([undefined]);
  const after = stack[stack.length - 1];
  const queue = useMergeQueue(after, 10);
  const items = queue.data?.items ?? [];
  const canMerge = can(me, 'clue:clue:merge');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        title="疑似重复线索"
        description="登记时按同一被投诉对象、内容相似度和收到时间间隔（参数设置 › 线索查重）找出的疑似重复线索。并案保留每条原始线索及其渠道和投诉（举报）人。"
      />
      <QueryError query={queue} title="并案队列加载失败" />
      {queue.isPending && <Spin />}
      {!queue.isPending && items.length === 0 && !queue.isError && (
        <Card variant="borderless">
          <Empty description="没有待处理的疑似重复线索" />
        </Card>
      )}
      {items.map((item) => (
        <PairCard key={item.id} item={item} canMerge={canMerge} />
      ))}
      {(items.length > 0 || stack.length > 1) && (
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Typography.Text type="secondary">第 {stack.length} 页</Typography.Text>
          <Button
            icon={<LeftOutlined />}
            disabled={stack.length <= 1 || queue.isFetching}
            onClick={() => setStack((s) => s.slice(0, -1))}
          >
            上一页
          </Button>
          <Button
            disabled={queue.data?.nextAfter == null || queue.isFetching}
            onClick={() => {
              const next = queue.data?.nextAfter;
              if (next != null) setStack((s) => [...s, next]);
            }}
          >
            下一页 <RightOutlined />
          </Button>
        </Space>
      )}
    </Space>
  );
}
