import {
  BUSINESS_LINES,
  CATEGORIES_12315,
  type Category12315,
  DISPOSALS,
  type DisposalCode,
  RISK_CLASSES,
  type RiskClass,
} from '@rongjian/shared';
import { CLUE_STATUS_LABELS, type ClueKind } from '@rongjian/shared/api';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Progress,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { dateTime, useRefusalGrounds } from '../clues/api.ts';
import { eventDetails, eventLabel } from '../clues/clueEventLabels.ts';
import { CHANNEL_OPTIONS, channelLabel, KIND_OPTIONS, kindLabel, StatusTag } from '../clues/labels.tsx';
import {
  type AnalysisQueueItem,
  type JudgmentInput,
  type QueueFilter,
  useAnalysisQueue,
  useJudge,
  useWorkbench,
  type Workbench,
  type WorkbenchSuggestion,
} from './workbenchApi.ts';
import './workbench.css';

const LINE_OPTIONS = BUSINESS_LINES.map((l) => ({ value: l, label: l }));
const CATEGORY_OPTIONS = Object.entries(CATEGORIES_12315).map(([value, label]) => ({ value, label }));
const DISPOSAL_OPTIONS = Object.entries(DISPOSALS).map(([value, label]) => ({ value, label }));
const categoryLabel = (c: string | null | undefined) =>
  c ? (CATEGORIES_12315[c as Category12315] ?? c) : '—';
const OUTCOME_LABELS: Record<string, string> = {
  violation: '发现违法',
  no_violation: '未发现违法',
  referred: '移送处理',
  other: '其他',
};
const EXPIRY_COLORS: Record<string, string> = { expired: 'red', due: 'orange', soon: 'gold', valid: 'green' };
const pct = (c: number) => Math.round(c * 100);

// ── left: the queue ──────────────────────────────────────────────────────────────────────────────────────────

function QueuePanel({
  filter,
  onFilter,
  items,
  selected,
  checked,
  onSelect,
  onCheck,
  more,
}: {
  filter: QueueFilter;
  onFilter: (f: QueueFilter) => void;
  items: AnalysisQueueItem[];
  selected: number | null;
  checked: number[];
  onSelect: (id: number) => void;
  onCheck: (ids: number[]) => void;
  more: { has: boolean; loading: boolean; load: () => void };
}) {
  const listRef = useRef<HTMLDivElement>(null);
  // Opened from 我的待办 or after a judgment: bring the selected clue into view inside the queue.
  useEffect(() => {
    const list = listRef.current;
    if (!list || selected === null || items.length === 0) return;
    const item = list.querySelector<HTMLElement>(`[data-id="${selected}"]`);
    if (item) list.scrollTop = item.offsetTop - 8;
  }, [selected, items.length]);
  return (
    <Card
      title={`待研判（${items.length}${more.has ? '+' : ''}）`}
      size="small"
      className="rj-analysis-queue"
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={8}>
        <Select
          allowClear
          placeholder="业务条线"
          options={LINE_OPTIONS}
          value={filter.businessLine}
          onChange={(v: string | undefined) => onFilter({ ...filter, businessLine: v })}
          style={{ width: '100%' }}
        />
        <Space.Compact style={{ width: '100%' }}>
          <Select
            allowClear
            placeholder="类型"
            options={KIND_OPTIONS}
            value={filter.kind}
            onChange={(v: string | undefined) => onFilter({ ...filter, kind: v })}
            style={{ width: '50%' }}
          />
          <Select
            allowClear
            placeholder="渠道"
            options={CHANNEL_OPTIONS}
            value={filter.channel}
            onChange={(v: string | undefined) => onFilter({ ...filter, channel: v })}
            style={{ width: '50%' }}
          />
        </Space.Compact>
        {checked.length > 0 && (
          <Alert
            type="info"
            showIcon
            title={`已勾选 ${checked.length} 条，将一并研判`}
            action={
              <Button size="small" type="link" onClick={() => onCheck([])}>
                清除
              </Button>
            }
          />
        )}
      </Space>
      {items.length === 0 ? (
        <Empty description="没有待研判的线索" style={{ marginTop: 24 }} />
      ) : (
        <div className="rj-analysis-queue-list" data-testid="analysis-queue" ref={listRef}>
          {items.map((item) => (
            <div
              key={item.id}
              className={`rj-analysis-queue-item${item.id === selected ? ' is-selected' : ''}`}
              data-testid="queue-item"
              data-id={item.id}
              data-number={item.number}
            >
              <Checkbox
                checked={checked.includes(item.id)}
                aria-label={`勾选 ${item.number} 一并研判`}
                onChange={(e) =>
                  onCheck(e.target.checked ? [...checked, item.id] : checked.filter((c) => c !== item.id))
                }
              />
              <button type="button" className="rj-analysis-queue-body" onClick={() => onSelect(item.id)}>
                <div>
                  <Typography.Text strong>{item.number}</Typography.Text> <Tag>{kindLabel(item.kind)}</Tag>
                </div>
                <div className="rj-analysis-queue-title">{item.title}</div>
                <div className="rj-analysis-queue-meta">
                  {channelLabel(item.channel)} · {dateTime(item.receivedAt)}
                </div>
                {item.suggestion && (
                  <div className="rj-analysis-queue-meta">
                    建议：{item.suggestion.line.label} · {item.suggestion.disposal.label}（
                    {pct(item.suggestion.confidence)}%）
                  </div>
                )}
              </button>
            </div>
          ))}
        </div>
      )}
      {more.has && (
        <Button block loading={more.loading} onClick={more.load} style={{ marginTop: 8 }}>
          加载更多
        </Button>
      )}
    </Card>
  );
}

// ── right: the workbench ─────────────────────────────────────────────────────────────────────────────────────

function Guess({
  title,
  guess,
  onUse,
}: {
  title: string;
  guess: { label: string; confidence: number };
  onUse: () => void;
}) {
  return (
    <Card size="small" className="rj-analysis-guess" data-testid="suggestion-card">
      <Typography.Text type="secondary">{title}</Typography.Text>
      <div className="rj-analysis-guess-value">{guess.label}</div>
      <Progress
        percent={pct(guess.confidence)}
        size="small"
        status={guess.confidence >= 0.8 ? 'success' : guess.confidence >= 0.5 ? 'normal' : 'exception'}
        format={(p) => `置信度 ${p}%`}
      />
      <Button size="small" type="link" onClick={onUse} style={{ paddingInline: 0 }}>
        采用
      </Button>
    </Card>
  );
}

function Suggestions({
  wb,
  onUse,
}: {
  wb: Workbench;
  onUse: (field: 'kind' | 'businessLine' | 'category12315' | 'disposal', value: string) => void;
}) {
  const s: WorkbenchSuggestion | null = wb.suggestion;
  return (
    <Card size="small" title="研判建议" data-testid="suggestions">
      {s ? (
        <>
          <Row gutter={8}>
            <Col span={6}>
              <Guess title="类型" guess={s.kind} onUse={() => onUse('kind', s.kind.value)} />
            </Col>
            <Col span={6}>
              <Guess title="业务条线" guess={s.line} onUse={() => onUse('businessLine', s.line.value)} />
            </Col>
            <Col span={6}>
              <Guess
                title="12315 分类"
                guess={s.category}
                onUse={() => onUse('category12315', s.category.value)}
              />
            </Col>
            <Col span={6}>
              <Guess title="处置方式" guess={s.disposal} onUse={() => onUse('disposal', s.disposal.value)} />
            </Col>
          </Row>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            模型版本 {s.modelVersion} · 综合置信度 {pct(s.confidence)}%
          </Typography.Text>
        </>
      ) : (
        <Typography.Text type="secondary">分类模型尚未就绪，请参考规则建议与相似线索。</Typography.Text>
      )}
      {wb.rules && (
        <div style={{ marginTop: 8 }} data-testid="rule-suggestion">
          <Typography.Text>
            分拣规则：
            {[
              wb.rules.kind && kindLabel(wb.rules.kind),
              wb.rules.businessLine,
              wb.rules.category12315 && categoryLabel(wb.rules.category12315),
            ]
              .filter(Boolean)
              .join(' · ') || '—'}
          </Typography.Text>
          {wb.rules.matched.length > 0 && (
            <Typography.Text type="secondary">（命中：{wb.rules.matched.join('、')}）</Typography.Text>
          )}
        </div>
      )}
    </Card>
  );
}

/** undefined = leave the clue's entity as it is; null = remove the link; a value = link that entity. */
type EntityChoice = { id: number; name: string } | null | undefined;

function EntityCard({
  wb,
  entity,
  onEntity,
}: {
  wb: Workbench;
  entity: EntityChoice;
  onEntity: (e: EntityChoice) => void;
}) {
  const linkedId = entity?.id;
  const e = wb.entity;
  if (e) {
    return (
      <Card
        size="small"
        title="经营主体"
        data-testid="entity-card"
        extra={<Link to={`/entities/${e.id}`}>一户一档</Link>}
      >
        <Descriptions size="small" column={2}>
          <Descriptions.Item label="名称">{e.name}</Descriptions.Item>
          <Descriptions.Item label="统一社会信用代码">{e.uscc ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="风险分类">
            {e.riskClass ? (
              <Tag color={e.riskClass === 'D' ? 'red' : e.riskClass === 'C' ? 'orange' : 'blue'}>
                {e.riskClass} 类 {e.riskLabel ?? RISK_CLASSES[e.riskClass as RiskClass] ?? ''}
              </Tag>
            ) : (
              '未评定'
            )}
          </Descriptions.Item>
          <Descriptions.Item label="近一年线索">{e.recentClues} 条</Descriptions.Item>
          <Descriptions.Item label="信用记录">
            {e.creditRecords} 条{e.activeCreditRecords > 0 ? `（${e.activeCreditRecords} 条未移出）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="地址">{e.address}</Descriptions.Item>
        </Descriptions>
        {e.riskHeadline && (
          <Alert type="warning" showIcon title={e.riskHeadline} style={{ marginBottom: 8 }} />
        )}
        <Space wrap>
          {e.licences.length === 0 && <Typography.Text type="secondary">无许可证信息</Typography.Text>}
          {e.licences.map((l) => (
            <Tag key={l.licenceNo} color={EXPIRY_COLORS[l.expiry] ?? 'default'}>
              {l.kindLabel} {l.licenceNo} · 有效期至 {l.validUntil ?? '长期'}
              {l.daysLeft !== null && l.daysLeft < 0 ? '（已过期）' : ''}
            </Tag>
          ))}
        </Space>
      </Card>
    );
  }
  return (
    <Card size="small" title="候选经营主体" data-testid="entity-candidates">
      {wb.candidates.length === 0 ? (
        <Typography.Text type="secondary">线索未关联经营主体，也未识别出候选主体。</Typography.Text>
      ) : (
        <div className="rj-analysis-list">
          {wb.candidates.map((c) => (
            <div key={c.entityId} className="rj-analysis-list-item" data-testid="entity-candidate">
              <div className="rj-analysis-list-main">
                <Space wrap>
                  <Link to={`/entities/${c.entityId}`}>{c.name}</Link>
                  <Tag color="blue">匹配度 {pct(c.score)}%</Tag>
                  {linkedId === c.entityId && <Tag color="green">将关联</Tag>}
                </Space>
                <div className="rj-analysis-queue-meta">
                  {[c.uscc, c.address, c.reasons.join('；')].filter(Boolean).join(' · ')}
                </div>
              </div>
              {linkedId === c.entityId ? (
                <Button size="small" onClick={() => onEntity(undefined)}>
                  取消关联
                </Button>
              ) : (
                <Button
                  size="small"
                  type="primary"
                  ghost
                  onClick={() => onEntity({ id: c.entityId, name: c.name })}
                >
                  关联
                </Button>
              )}
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

function SimilarCard({ wb }: { wb: Workbench }) {
  return (
    <Card size="small" title="相似线索（两年内）" data-testid="similar-clues">
      {wb.similar.length === 0 ? (
        <Typography.Text type="secondary">没有相似的线索</Typography.Text>
      ) : (
        <div className="rj-analysis-list">
          {wb.similar.map((s) => (
            <div key={s.id} className="rj-analysis-list-item" data-testid="similar-clue">
              <div className="rj-analysis-list-main">
                <Space wrap>
                  <Link to={`/clues/${s.id}`}>{s.number}</Link>
                  <StatusTag status={s.status} />
                  {s.disposal && <Tag>研判：{DISPOSALS[s.disposal as DisposalCode] ?? s.disposal}</Tag>}
                  {s.outcome && (
                    <Tag color={s.outcome.outcome === 'violation' ? 'red' : 'green'}>
                      {OUTCOME_LABELS[s.outcome.outcome] ?? s.outcome.outcome}
                    </Tag>
                  )}
                  <Typography.Text type="secondary">{dateTime(s.receivedAt)}</Typography.Text>
                </Space>
                <div>{s.title}</div>
                <div className="rj-analysis-queue-meta">{s.reasons.join(' · ')}</div>
                {(s.outcome?.summary || s.result) && <div>结果：{s.outcome?.summary || s.result}</div>}
              </div>
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

function HistoryCard({ wb }: { wb: Workbench }) {
  if (!wb.entity) return null;
  return (
    <Card size="small" title="主体历史（最近 20 条）" data-testid="entity-history">
      {wb.entityHistory.length === 0 ? (
        <Typography.Text type="secondary">暂无记录</Typography.Text>
      ) : (
        <Timeline
          items={wb.entityHistory.map((e) => ({
            key: e.id,
            content: (
              <div>
                <Typography.Text strong>{eventLabel(e)}</Typography.Text>
                {eventDetails(e)
                  .slice(0, 2)
                  .map((line) => (
                    <div key={line} className="rj-analysis-queue-meta">
                      {line}
                    </div>
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
  );
}

interface FormValues {
  disposal: DisposalCode;
  kind: ClueKind;
  businessLine?: string | undefined;
  category12315?: string | undefined;
  conclusion: string;
  basis: string;
  answer?: string;
  groundCode?: string;
  agency?: string;
}

function JudgmentForm({
  wb,
  group,
  canJudge,
  onDone,
  entity,
  onEntity,
  used,
}: {
  wb: Workbench;
  group: { id: number; version: number; number: string }[];
  canJudge: boolean;
  onDone: () => void;
  entity: EntityChoice;
  onEntity: (e: EntityChoice) => void;
  /** The last suggestion the analyst clicked 采用 on (n changes with every click). */
  used: { field: keyof FormValues; value: string; n: number } | null;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const judge = useJudge();
  const clue = wb.clue;
  const disposal = Form.useWatch('disposal', form);
  const grounds = useRefusalGrounds(clue.receiptDay, disposal === 'reject');
  const initial: Partial<FormValues> = useMemo(
    () => ({
      disposal: (wb.suggestion?.disposal.value as DisposalCode | undefined) ?? 'inspection',
      kind: clue.kind,
      businessLine: clue.businessLine ?? wb.suggestion?.line.value ?? wb.rules?.businessLine ?? undefined,
      category12315:
        clue.category12315 ?? wb.suggestion?.category.value ?? wb.rules?.category12315 ?? undefined,
    }),
    [wb, clue],
  );
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(initial);
  }, [form, initial]);
  useEffect(() => {
    if (used) form.setFieldValue(used.field, used.value);
  }, [form, used]);

  const submit = async (v: FormValues) => {
    const body: JudgmentInput = {
      clues: group.map((g) => ({ id: g.id, version: g.version })),
      disposal: v.disposal,
      conclusion: v.conclusion,
      basis: v.basis,
      ...(v.kind !== clue.kind ? { kind: v.kind } : {}),
      ...(v.businessLine && v.businessLine !== clue.businessLine
        ? { businessLine: v.businessLine as JudgmentInput['businessLine'] }
        : {}),
      ...(v.category12315 && v.category12315 !== clue.category12315
        ? { category12315: v.category12315 as JudgmentInput['category12315'] }
        : {}),
      ...(entity !== undefined ? { entityId: entity?.id ?? null } : {}),
      ...(v.disposal === 'direct' ? { answer: v.answer } : {}),
      ...(v.disposal === 'reject' ? { groundCode: v.groundCode } : {}),
      ...(v.disposal === 'transfer' ? { agency: v.agency } : {}),
    };
    try {
      await judge.mutateAsync(body);
      void message.success(
        group.length > 1
          ? `已研判 ${group.length} 条线索：${DISPOSALS[v.disposal]}`
          : `已研判：${DISPOSALS[v.disposal]}`,
      );
      onDone();
    } catch (err) {
      const details =
        err instanceof ApiError && err.details ? `（${err.details.map((d) => d.message).join('；')}）` : '';
      void message.error(
        `${errorMessage(err)}${err instanceof ApiError && err.status === 409 ? details : ''}`,
      );
    }
  };

  return (
    <Card
      size="small"
      title={
        group.length > 1
          ? `研判（一并研判 ${group.length} 条：${group.map((g) => g.number).join('、')}）`
          : '研判'
      }
      data-testid="judgment-form"
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={!canJudge}
        initialValues={initial}
      >
        <Form.Item name="disposal" label="处置方式" rules={[{ required: true, message: '请选择处置方式' }]}>
          <Radio.Group options={DISPOSAL_OPTIONS} optionType="button" buttonStyle="solid" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={6}>
            <Form.Item name="kind" label="类型">
              <Select options={KIND_OPTIONS} />
            </Form.Item>
          </Col>
          <Col span={9}>
            <Form.Item name="businessLine" label="业务条线">
              <Select options={LINE_OPTIONS} allowClear showSearch />
            </Form.Item>
          </Col>
          <Col span={9}>
            <Form.Item name="category12315" label="12315 分类">
              <Select options={CATEGORY_OPTIONS} allowClear showSearch optionFilterProp="label" />
            </Form.Item>
          </Col>
        </Row>
        {entity !== undefined && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            title={entity ? `保存时关联经营主体：${entity.name}` : '保存时取消关联经营主体'}
            action={
              <Button size="small" type="link" onClick={() => onEntity(undefined)}>
                撤销
              </Button>
            }
          />
        )}
        {wb.entity && entity === undefined && (
          <div style={{ marginBottom: 12 }}>
            <Typography.Text type="secondary">已关联经营主体：{wb.entity.name}</Typography.Text>
            <Button size="small" type="link" onClick={() => onEntity(null)}>
              关联有误，取消关联
            </Button>
          </div>
        )}
        {disposal === 'direct' && (
          <Form.Item
            name="answer"
            label="答复内容"
            rules={[
              { required: true, min: 2, max: 5000, whitespace: true, message: '请填写答复内容（2–5000 字）' },
            ]}
          >
            <Input.TextArea rows={3} maxLength={5000} showCount />
          </Form.Item>
        )}
        {disposal === 'reject' && (
          <Form.Item
            name="groundCode"
            label="不予受理理由"
            rules={[{ required: true, message: '请选择不予受理理由' }]}
          >
            <Select
              loading={grounds.isLoading}
              options={(grounds.data?.items ?? []).map((g) => ({
                value: g.code,
                label: `${g.article} ${g.label}`,
              }))}
            />
          </Form.Item>
        )}
        {disposal === 'transfer' && (
          <Form.Item
            name="agency"
            label="接收机关"
            rules={[
              { required: true, min: 2, max: 100, whitespace: true, message: '请填写接收机关（2–100 字）' },
            ]}
          >
            <Input maxLength={100} />
          </Form.Item>
        )}
        <Form.Item
          name="conclusion"
          label="研判结论"
          rules={[
            { required: true, min: 2, max: 2000, whitespace: true, message: '请填写研判结论（2–2000 字）' },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item
          name="basis"
          label="研判依据"
          rules={[
            { required: true, min: 2, max: 2000, whitespace: true, message: '请填写研判依据（2–2000 字）' },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
        {canJudge ? (
          <Button type="primary" htmlType="submit" loading={judge.isPending} data-testid="judge-submit">
            保存研判
          </Button>
        ) : (
          <Typography.Text type="secondary">只读：没有研判权限</Typography.Text>
        )}
      </Form>
    </Card>
  );
}

function WorkbenchPanel({
  id,
  group,
  canJudge,
  onDone,
}: {
  id: number;
  group: AnalysisQueueItem[];
  canJudge: boolean;
  onDone: () => void;
}) {
  const wb = useWorkbench(id);
  const [entity, setEntity] = useState<EntityChoice>(undefined);
  const [used, setUsed] = useState<{ field: keyof FormValues; value: string; n: number } | null>(null);
  if (wb.isLoading) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (wb.isError || !wb.data) return <QueryError query={wb} title="无法打开这条线索" />;
  const data = wb.data;
  const clue = data.clue;
  const others = group.filter((g) => g.id !== clue.id);
  const members = [
    { id: clue.id, version: clue.version, number: clue.number },
    ...others.map((g) => ({ id: g.id, version: g.version, number: g.number })),
  ];
  return (
    <Space
      orientation="vertical"
      style={{ width: '100%' }}
      size={12}
      data-testid="workbench"
      data-number={clue.number}
    >
      <Card
        size="small"
        title={
          <Space>
            <Link to={`/clues/${clue.id}`}>{clue.number}</Link>
            <StatusTag status={clue.status} />
            <Tag>{kindLabel(clue.kind)}</Tag>
            <Typography.Text type="secondary">{channelLabel(clue.channel)}</Typography.Text>
          </Space>
        }
        extra={<Typography.Text type="secondary">收到 {dateTime(clue.receivedAt)}</Typography.Text>}
      >
        <Descriptions size="small" column={2}>
          <Descriptions.Item label="被投诉（举报）对象">{clue.respondentName || '—'}</Descriptions.Item>
          <Descriptions.Item label="承办部门">{clue.departmentName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="业务条线">{clue.businessLine ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="12315 分类">{categoryLabel(clue.category12315)}</Descriptions.Item>
          {clue.parties.map((p) => (
            <Descriptions.Item key={p.id} label={p.role === 'informant' ? '举报人' : '投诉人'}>
              {[p.nameMasked, p.phoneMasked].filter(Boolean).join(' ') || '匿名'}
            </Descriptions.Item>
          ))}
        </Descriptions>
        <Typography.Paragraph className="rj-analysis-content">{clue.content}</Typography.Paragraph>
        {clue.request && <Typography.Paragraph type="secondary">诉求：{clue.request}</Typography.Paragraph>}
      </Card>
      <Suggestions wb={data} onUse={(field, value) => setUsed({ field, value, n: (used?.n ?? 0) + 1 })} />
      <Row gutter={12}>
        <Col span={12}>
          <Space orientation="vertical" style={{ width: '100%' }} size={12}>
            <EntityCard wb={data} entity={entity} onEntity={setEntity} />
            <HistoryCard wb={data} />
          </Space>
        </Col>
        <Col span={12}>
          <SimilarCard wb={data} />
        </Col>
      </Row>
      {data.judgments.length > 0 && (
        <Card size="small" title="已有研判">
          {data.judgments.map((j) => (
            <div key={j.id}>
              {dateTime(j.judgedAt)} {j.judgedByName}：{DISPOSALS[j.disposal]} — {j.conclusion}
            </div>
          ))}
        </Card>
      )}
      {clue.status === 'analysing' ? (
        <JudgmentForm
          wb={data}
          group={members}
          canJudge={canJudge}
          onDone={onDone}
          entity={entity}
          onEntity={setEntity}
          used={used}
        />
      ) : (
        <Alert
          type="info"
          showIcon
          title={`这条线索已不在待研判状态（当前：${CLUE_STATUS_LABELS[clue.status]}）`}
        />
      )}
    </Space>
  );
}

// ── page ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** 综合研判 › 研判工作台: the 待研判 queue on the left, the selected clue's workbench and judgment on the right. */
export default function WorkbenchPage() {
  const user = useCurrentUser();
  const canJudge = can(user, 'analysis:judgment:create');
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useState<QueueFilter>({});
  const [checked, setChecked] = useState<number[]>([]);
  const queue = useAnalysisQueue(filter);
  const items = useMemo(() => queue.data?.pages.flatMap((p) => p.items) ?? [], [queue.data]);
  const paramId = Number(params.get('clue'));
  const selected = Number.isInteger(paramId) && paramId > 0 ? paramId : (items[0]?.id ?? null);
  const select = (id: number) => setParams({ clue: String(id) });

  const afterJudged = () => {
    const judged = new Set([selected, ...checked]);
    const pos = items.findIndex((i) => i.id === selected);
    const next = [...items.slice(pos + 1), ...items.slice(0, Math.max(pos, 0))].find(
      (i) => !judged.has(i.id),
    );
    setChecked([]);
    if (next) select(next.id);
    else setParams({});
  };

  return (
    <Row gutter={16} className="rj-analysis">
      <Col xs={24} lg={8} xl={7}>
        <QueryError query={queue} />
        <QueuePanel
          filter={filter}
          onFilter={(f) => {
            setFilter(f);
            setChecked([]);
          }}
          items={items}
          selected={selected}
          checked={checked}
          onSelect={select}
          onCheck={setChecked}
          more={{
            has: Boolean(queue.hasNextPage),
            loading: queue.isFetchingNextPage,
            load: () => void queue.fetchNextPage(),
          }}
        />
      </Col>
      <Col xs={24} lg={16} xl={17}>
        {selected === null ? (
          <Card>
            <Empty description={queue.isLoading ? '加载中…' : '没有待研判的线索'} />
          </Card>
        ) : (
          <WorkbenchPanel
            key={selected}
            id={selected}
            group={items.filter((i) => checked.includes(i.id))}
            canJudge={canJudge}
            onDone={afterJudged}
          />
        )}
      </Col>
    </Row>
  );
}
