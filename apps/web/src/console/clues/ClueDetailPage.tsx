import { ArrowLeftOutlined, DownloadOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import {
  SATISFACTION_LABELS,
  SORT_ROUTE_LABELS,
  type SortRoute,
  type SortSuggestion,
} from '@rongjian/shared/api';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { SimpleList } from './SimpleList.tsx';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../shared/api/client.ts';
import { useDict } from '../../shared/api/dicts.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { MaskedValue } from '../../shared/pii/MaskedValue.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { type ClueDetail, dateTime, useClue, useUploadAttachment } from './api.ts';
import { ClueActionButtons } from './ClueActions.tsx';
import { ClueDeadlinesCard } from './ClueDeadlinesCard.tsx';
import { ClueExtraButtons } from './ClueExtraActions.tsx';
import { ClueMap } from './ClueMap.tsx';
import { ClueTimeline } from './ClueTimeline.tsx';
import { channelLabel, kindLabel, StatusTag } from './labels.tsx';
import './clues.css';

type Party = ClueDetail['parties'][number];

function Header({ clue }: { clue: ClueDetail }) {
  const categories = useDict('category_12315');
  return (
    <Descriptions
      column={{ xs: 1, md: 2, xl: 3 }}
      size="small"
      items={[
        { key: 'kind', label: '类型', children: kindLabel(clue.kind) },
        { key: 'channel', label: '来源渠道', children: channelLabel(clue.channel) },
        { key: 'received', label: '收到时间', children: dateTime(clue.receivedAt) },
        {
          key: 'rule',
          label: '适用规定',
          children: (
            <span data-testid="clue-rule">
              {clue.regulation}（{clue.ruleEffectiveFrom} 起施行的版本）
            </span>
          ),
        },
        {
          key: 'respondent',
          label: '被投诉（举报）对象',
          children: clue.entityId ? (
            <Link to={`/entities/${clue.entityId}`}>
              {clue.respondentName || `经营主体 #${clue.entityId}`}
            </Link>
          ) : (
            clue.respondentName || '—'
          ),
        },
        { key: 'uscc', label: '统一社会信用代码', children: clue.respondentUscc ?? '—' },
        { key: 'department', label: '承办部门', children: clue.departmentName ?? '—' },
        { key: 'grid', label: '网格', children: clue.gridName ?? '未落格' },
        { key: 'line', label: '业务条线', children: clue.businessLine ?? '待分拣' },
        {
          key: 'category',
          label: '12315 分类',
          children: clue.category12315 ? categories.label(clue.category12315) : '—',
        },
        ...(clue.externalNo
          ? [
              {
                key: 'ext',
                label: '外部工单号',
                children: `${clue.externalSource ?? ''} ${clue.externalNo}`.trim(),
              },
            ]
          : []),
        { key: 'by', label: '登记人', children: clue.createdByName || '—' },
        ...(clue.splitFromId
          ? [
              {
                key: 'split',
                label: '拆分自',
                children: <Link to={`/clues/${clue.splitFromId}`}>原线索</Link>,
              },
            ]
          : []),
        ...(clue.mergedIntoId
          ? [
              {
                key: 'merged',
                label: '已并入',
                children: <Link to={`/clues/${clue.mergedIntoId}`}>主线索</Link>,
              },
            ]
          : []),
      ]}
    />
  );
}

function Content({ clue }: { clue: ClueDetail }) {
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {clue.title && <Typography.Text strong>{clue.title}</Typography.Text>}
      <pre className="rj-clue-text" data-testid="clue-content">
        {clue.content}
      </pre>
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'request',
            label: '诉求',
            children: clue.request ? <span className="rj-clue-text">{clue.request}</span> : '—',
          },
          { key: 'address', label: '事发地址', children: clue.address || '—' },
          { key: 'raddress', label: '经营地址', children: clue.respondentAddress || '—' },
        ]}
      />
    </Space>
  );
}

function Parties({ clue }: { clue: ClueDetail }) {
  if (clue.parties.length === 0) {
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={clue.anonymous ? '匿名，未留个人信息' : '未留个人信息'}
      />
    );
  }
  const cell = (
    p: Party,
    field: 'name' | 'phone' | 'idCard' | 'address',
    masked: string | null,
    label: string,
  ) => <MaskedValue masked={masked} objectType="clue_party" objectId={p.id} field={field} label={label} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {clue.confidential && (
        <Alert type="warning" showIcon title="举报人要求保密：不得向被举报方透露举报人的任何信息" />
      )}
      <Table<Party>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={clue.parties}
        columns={[
          {
            title: '身份',
            dataIndex: 'role',
            width: 110,
            render: (r: Party['role'], p) => (
              <Space size={4} wrap>
                {r === 'informant' ? '举报人' : '投诉人'}
                {p.realName ? <Tag color="blue">实名</Tag> : null}
              </Space>
            ),
          },
          { title: '姓名', key: 'name', render: (_, p) => cell(p, 'name', p.nameMasked, '姓名') },
          { title: '电话', key: 'phone', render: (_, p) => cell(p, 'phone', p.phoneMasked, '电话') },
          {
            title: '身份证号',
            key: 'idCard',
            render: (_, p) => cell(p, 'idCard', p.idCardMasked, '身份证号'),
          },
          { title: '地址', key: 'address', render: (_, p) => cell(p, 'address', p.addressMasked, '地址') },
          {
            title: '来源',
            key: 'channel',
            width: 150,
            render: (_, p) =>
              p.originalClueId !== clue.id ? (
                <Link to={`/clues/${p.originalClueId}`}>{channelLabel(p.channel)}（并入）</Link>
              ) : (
                channelLabel(p.channel)
              ),
          },
        ]}
      />
    </Space>
  );
}

const size = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;

function Attachments({ clue }: { clue: ClueDetail }) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const upload = useUploadAttachment(clue.id, me.csrfToken);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {clue.attachments.length === 0 ? (
        <Typography.Text type="secondary">暂无附件</Typography.Text>
      ) : (
        <SimpleList
          items={clue.attachments}
          itemKey={(a) => a.id}
          render={(a) => (
            <>
              <Space size={8} align="start">
                <PaperClipOutlined />
                <Space orientation="vertical" size={0}>
                  <Typography.Text>{a.fileName}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {`${size(a.sizeBytes)} · ${a.uploadedByName} · ${dateTime(a.uploadedAt)}`}
                  </Typography.Text>
                </Space>
              </Space>
              <a
                href={`/api/clues/${clue.id}/attachments/${a.id}`}
                download={a.fileName}
                aria-label={`下载 ${a.fileName}`}
              >
                <DownloadOutlined /> 下载
              </a>
            </>
          )}
        />
      )}
      {can(me, 'clue:clue:update') && (
        <Upload
          accept="image/jpeg,image/png,image/gif,image/webp,application/pdf"
          showUploadList={false}
          customRequest={({ file, onSuccess, onError }) => {
            upload
              .mutateAsync(file as File)
              .then((r) => {
                void message.success('附件已上传');
                onSuccess?.(r);
              })
              .catch((e: unknown) => {
                void message.error(errorMessage(e));
                onError?.(e as Error);
              });
          }}
        >
          <Button icon={<UploadOutlined />} loading={upload.isPending}>
            上传附件（图片或 PDF）
          </Button>
        </Upload>
      )}
    </Space>
  );
}

function SortSuggestionCard({ clue }: { clue: ClueDetail }) {
  const s = clue.sortSuggestion as Partial<SortSuggestion>;
  const lines = useDict('category_12315');
  if (!s.classifier) {
    return <Typography.Text type="secondary">暂无分拣建议</Typography.Text>;
  }
  return (
    <Descriptions
      size="small"
      column={1}
      items={[
        { key: 'kind', label: '类型', children: s.kind ? kindLabel(s.kind) : '—' },
        { key: 'line', label: '业务条线', children: s.businessLine ?? '—' },
        { key: 'cat', label: '12315 分类', children: s.category12315 ? lines.label(s.category12315) : '—' },
        {
          key: 'route',
          label: '建议去向',
          children: s.route ? (SORT_ROUTE_LABELS[s.route as SortRoute] ?? s.route) : '—',
        },
        {
          key: 'respondents',
          label: '可能的被投诉对象',
          children: s.respondents?.length
            ? s.respondents.map((r) => (
                <Link key={r.entityId} to={`/entities/${r.entityId}`} style={{ marginRight: 8 }}>
                  {r.name}
                </Link>
              ))
            : '—',
        },
        {
          key: 'why',
          label: '依据',
          children:
            [
              s.ruleNames?.length ? `规则：${s.ruleNames.join('、')}` : null,
              s.matched?.length ? `关键词：${s.matched.join('、')}` : null,
              typeof s.confidence === 'number' ? `置信度 ${Math.round(s.confidence * 100)}%` : null,
            ]
              .filter(Boolean)
              .join('；') || '—',
        },
      ]}
    />
  );
}

function Outcome({ clue }: { clue: ClueDetail }) {
  const r = clue.resolution as Record<string, unknown>;
  const text = (k: string) => (typeof r[k] === 'string' && r[k] ? (r[k] as string) : null);
  const refusal = r.refusal as { regulation?: string; article?: string; label?: string } | undefined;
  const items = [
    { key: 'summary', label: '办理结果', children: clue.resultSummary || null },
    { key: 'agency', label: '转办机关', children: text('agency') },
    { key: 'reason', label: '转办理由', children: text('transferReason') },
    {
      key: 'ground',
      label: '不予受理理由',
      children: refusal
        ? `${refusal.regulation ?? ''}${refusal.article ?? ''} ${refusal.label ?? ''}`.trim()
        : null,
    },
    { key: 'reopen', label: '重新办理原因', children: text('reopenReason') },
    { key: 'closed', label: '办结时间', children: clue.closedAt ? dateTime(clue.closedAt) : null },
    {
      key: 'satisfaction',
      label: '满意度',
      children: clue.satisfaction
        ? `${SATISFACTION_LABELS[clue.satisfaction]}${clue.satisfactionReason ? `：${clue.satisfactionReason}` : ''}`
        : null,
    },
  ].filter((i) => i.children);
  if (items.length === 0) return null;
  return (
    <Col span={24}>
      <Card title="办理结果" variant="borderless">
        <Descriptions
          size="small"
          column={1}
          items={items.map((i) => ({ ...i, children: <span className="rj-clue-text">{i.children}</span> }))}
        />
      </Card>
    </Col>
  );
}

/**
 * 线索详情: the facts, the parties (masked; revealed with a reason), attachments, the sorting suggestion, the map,
 * the actions the server offers this user now, and one timeline from the ledger of everything that happened.
 */
export default function ClueDetailPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const query = useClue(id);
  const clue = query.data;
  const valid = Number.isInteger(id) && id > 0;
  const numbers = new Map<string, string>((clue?.mergedClues ?? []).map((m) => [String(m.id), m.number]));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Button
        icon={<ArrowLeftOutlined />}
        onClick={() => void navigate('/clues')}
        style={{ width: 'fit-content' }}
      >
        返回线索列表
      </Button>
      {!valid && <Alert type="error" showIcon title="线索编号无效" />}
      <QueryError query={query} title="线索加载失败" />
      {valid && query.isPending && <Skeleton active />}
      {clue && (
        <Row gutter={[16, 16]}>
          <Col span={24}>
            <Card
              variant="borderless"
              title={
                <Space wrap>
                  <span data-testid="clue-number">{clue.number}</span>
                  <StatusTag status={clue.status} />
                  <Tag>{kindLabel(clue.kind)}</Tag>
                  {clue.confidential && <Tag color="red">保密</Tag>}
                  {clue.anonymous && <Tag>匿名</Tag>}
                </Space>
              }
            >
              <Header clue={clue} />
              <Space wrap style={{ marginTop: 12 }} data-testid="clue-actions">
                <ClueExtraButtons clue={clue} />
                <ClueActionButtons clue={clue} primaryTaken={clue.status === 'sorting'} />
                {clue.status === 'transferred' && clue.resolution.transferLetter ? (
                  <Button
                    href={`/api/clues/${clue.id}/transfer-letter`}
                    target="_blank"
                    rel="noopener noreferrer"
                  >
                    查看转办函
                  </Button>
                ) : null}
              </Space>
            </Card>
          </Col>
          <Col xs={24} xl={14}>
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <Card title="线索内容" variant="borderless">
                <Content clue={clue} />
              </Card>
              <Card title="投诉（举报）人" variant="borderless">
                <Parties clue={clue} />
              </Card>
              <Card title="附件" variant="borderless">
                <Attachments clue={clue} />
              </Card>
            </Space>
          </Col>
          <Col xs={24} xl={10}>
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <ClueDeadlinesCard clueId={clue.id} />
              <Card title="位置" variant="borderless">
                <ClueMap clue={clue} />
              </Card>
              <Card title="分拣建议" variant="borderless">
                <SortSuggestionCard clue={clue} />
              </Card>
              {clue.mergedClues.length > 0 && (
                <Card title={`并案线索（${clue.mergedClues.length}）`} variant="borderless">
                  <SimpleList
                    items={clue.mergedClues}
                    itemKey={(m) => m.id}
                    render={(m) => (
                      <>
                        <Link to={`/clues/${m.id}`}>{m.number}</Link>
                        <Typography.Text type="secondary">
                          {channelLabel(m.channel)} · {dateTime(m.receivedAt)}
                        </Typography.Text>
                      </>
                    )}
                  />
                </Card>
              )}
            </Space>
          </Col>
          <Outcome clue={clue} />
          <Col span={24}>
            <Card title="办理时间线" variant="borderless">
              <ClueTimeline events={clue.timeline} clueId={clue.id} numbers={numbers} />
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
