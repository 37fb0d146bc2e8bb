import { EditOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { ENTITY_TYPES } from '@rongjian/shared';
import { Button, Card, Col, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import {
  dateTime,
  type EditableField,
  FIELD_RULE_LABELS,
  type FieldAlternative,
  type FieldProvenanceView,
  useAdoptValue,
  useEditField,
  useProvenance,
} from '../fusion/api.ts';
import { MergeEntityModal } from '../fusion/MergeEntityModal.tsx';
import { MergeHistory } from '../fusion/MergeHistory.tsx';
import { ReasonModal } from '../fusion/ReasonModal.tsx';
import '../fusion/fusion.css';

const EDITABLE = new Set<string>([
  'uscc',
  'name',
  'type',
  'address',
  'regionCode',
  'establishedOn',
  'status',
  'businessScope',
]);
const METHODS: Record<string, string> = {
  uscc: '统一社会信用代码',
  similarity: '名称地址相似',
  manual: '人工维护',
  new: '新建主体',
};

function show(field: string, value: unknown) {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'type') return ENTITY_TYPES[value as keyof typeof ENTITY_TYPES] ?? String(value);
  if (typeof value === 'number') return value.toFixed(6);
  return String(value);
}

/**
 * Where an import run is shown. The exchange console lists runs on its page and opens one in a drawer; it has no
 * page of its own per run yet (`/system/exchange/runs/:id` when it has).
 */
const RUN_PAGE = (_runId: number) => '/system/exchange';

function RunRef({ runId, exists }: { runId: number | null; exists: boolean }) {
  const me = useCurrentUser();
  if (runId === null) return <>—</>;
  if (exists && can(me, 'system:exchange:read')) {
    return (
      <Tooltip title={`在“系统管理 › 数据交换”的导入批次中查看 #${runId}`}>
        <Link to={RUN_PAGE(runId)}>#{runId}</Link>
      </Tooltip>
    );
  }
  return <>#{runId}</>;
}

/** One entry per distinct value (the newest record carrying it; conflicts first), with how many more carry it. */
function distinctValues(alternatives: FieldAlternative[]) {
  const out: { alt: FieldAlternative; more: number }[] = [];
  for (const a of alternatives) {
    const same = out.find((o) => o.alt.value === a.value);
    if (same) same.more++;
    else out.push({ alt: a, more: 0 });
  }
  return out;
}

type Dialog =
  | { kind: 'edit'; field: FieldProvenanceView }
  | { kind: 'adopt'; field: FieldProvenanceView; alt: FieldAlternative }
  | { kind: 'keep'; field: FieldProvenanceView }
  | null;

/** 字段来源: every registration field with its source, run, time and rule; other values; manual edits; merges. */
export function EntityProvenanceCard({ e }: { e: { id: number; name: string } }) {
  const me = useCurrentUser();
  const p = useProvenance(e.id);
  const edit = useEditField(e.id);
  const adopt = useAdoptValue(e.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [value, setValue] = useState('');
  const [merging, setMerging] = useState(false);
  const absorbed = !!p.data?.mergedInto;
  const canEdit = can(me, 'entity:profile:update') && !absorbed;

  const columns: ColumnsType<FieldProvenanceView> = [
    { title: '字段', dataIndex: 'label', width: 110, fixed: 'left' },
    {
      title: '当前值',
      dataIndex: 'value',
      render: (v: unknown, f) => <span data-testid={`prov-value-${f.field}`}>{show(f.field, v)}</span>,
    },
    {
      title: '来源',
      key: 'source',
      width: 180,
      render: (_, f) =>
        f.sourceLabel ? (
          <Tooltip title={f.note ?? undefined}>
            <Tag color={f.source === 'manual' ? 'purple' : 'blue'} className="rj-prov-source">
              {f.sourceLabel}
            </Tag>
            {f.actorName ? <Typography.Text type="secondary">{f.actorName}</Typography.Text> : null}
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">未记录来源</Typography.Text>
        ),
    },
    {
      title: '批次',
      key: 'run',
      width: 64,
      render: (_, f) => <RunRef runId={f.runId} exists={f.runExists} />,
    },
    { title: '接收/更新时间', dataIndex: 'at', width: 140, render: (at: string | null) => dateTime(at) },
    {
      title: '融合规则',
      dataIndex: 'rule',
      width: 100,
      render: (r: FieldProvenanceView['rule']) => FIELD_RULE_LABELS[r],
    },
    {
      title: '其他来源的不同值',
      key: 'alternatives',
      width: 300,
      render: (_, f) =>
        f.alternatives.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Space orientation="vertical" size={6}>
            {distinctValues(f.alternatives).map(({ alt: a, more }) => (
              <div key={a.recordId} data-testid={`prov-alt-${f.field}`}>
                <div className="rj-prov-alt">
                  {a.conflict && <Tag color="red">冲突</Tag>}
                  <span className={a.conflict ? 'rj-prov-conflict' : undefined}>
                    {show(f.field, a.value)}
                  </span>
                  {canEdit && EDITABLE.has(f.field) && (
                    <Button
                      size="small"
                      type="link"
                      style={{ padding: 0 }}
                      onClick={() => setDialog({ kind: 'adopt', field: f, alt: a })}
                    >
                      采用此值
                    </Button>
                  )}
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {a.sourceLabel} · {dateTime(a.at)}
                  {more > 0 ? `（另有 ${more} 条记录同值）` : ''}
                </Typography.Text>
              </div>
            ))}
            {canEdit && f.source === 'manual' && f.alternatives.some((a) => a.conflict) && (
              <Button size="small" onClick={() => setDialog({ kind: 'keep', field: f })}>
                保留现值
              </Button>
            )}
          </Space>
        ),
    },
    {
      title: '操作',
      key: 'op',
      width: 80,
      fixed: 'right',
      render: (_, f) =>
        canEdit && EDITABLE.has(f.field) ? (
          <Button
            size="small"
            icon={<EditOutlined />}
            aria-label={`修改${f.label}`}
            onClick={() => {
              setValue(f.value === null ? '' : String(f.value));
              setDialog({ kind: 'edit', field: f });
            }}
          >
            修改
          </Button>
        ) : null,
    },
  ];

  const field = dialog?.field;
  return (
    <Col span={24}>
      <Card
        title="字段来源（数据融合）"
        variant="borderless"
        data-testid="provenance-card"
        extra={
          can(me, 'entity:merge:execute') && !absorbed ? (
            <Button icon={<MergeCellsOutlined />} onClick={() => setMerging(true)}>
              合并其他主体
            </Button>
          ) : null
        }
      >
        <QueryError query={p} title="字段来源加载失败" />
        <Table<FieldProvenanceView>
          rowKey="field"
          size="small"
          columns={columns}
          dataSource={p.data?.fields ?? []}
          loading={p.isPending}
          pagination={false}
          scroll={{ x: 1100 }}
        />
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          来源记录
        </Typography.Title>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={p.data?.records ?? []}
          locale={{
            emptyText: p.data?.mergedInto
              ? `来源记录已随合并移到「${p.data.mergedInto.name}」`
              : '没有来源记录（数据融合之前写入的主体）',
          }}
          columns={[
            { title: '来源', dataIndex: 'sourceLabel' },
            { title: '来源键', dataIndex: 'sourceKey', width: 230 },
            {
              title: '批次',
              key: 'run',
              width: 80,
              render: (_, r) => <RunRef runId={r.runId} exists={r.runId !== null} />,
            },
            { title: '接收时间', dataIndex: 'receivedAt', width: 150, render: (at: string) => dateTime(at) },
            {
              title: '识别方式',
              key: 'method',
              width: 200,
              render: (_, r) =>
                `${METHODS[r.matchMethod] ?? r.matchMethod}${r.matchScore !== null ? `（得分 ${r.matchScore.toFixed(2)}）` : ''}`,
            },
          ]}
        />
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          合并记录
        </Typography.Title>
        <MergeHistory items={p.data?.merges ?? []} loading={p.isFetching} highlight={e.id} />
      </Card>

      <ReasonModal
        open={dialog?.kind === 'edit'}
        title={field ? `修改${field.label}` : '修改'}
        okText="保存"
        onClose={() => setDialog(null)}
        onSubmit={(reason) => edit.mutateAsync({ field: field!.field as EditableField, value, reason })}
      >
        <Typography.Paragraph type="secondary">
          人工维护的值作为来源“人工维护”保存，并按该字段的融合规则参与比较（“最新”规则下，之后来源送来的新值会取代它）。
        </Typography.Paragraph>
        {field?.field === 'type' ? (
          <Select
            value={value || undefined}
            onChange={setValue}
            style={{ width: '100%', marginBottom: 16 }}
            aria-label="新值"
            options={Object.entries(ENTITY_TYPES).map(([v, label]) => ({ value: v, label }))}
          />
        ) : (
          <Input.TextArea
            value={value}
            onChange={(ev) => setValue(ev.target.value)}
            autoSize={{ minRows: 1, maxRows: 6 }}
            aria-label="新值"
            placeholder={field?.field === 'establishedOn' ? 'YYYY-MM-DD' : '新值'}
            style={{ marginBottom: 16 }}
          />
        )}
      </ReasonModal>
      <ReasonModal
        open={dialog?.kind === 'adopt'}
        title={field ? `采用此值作为${field.label}` : '采用此值'}
        okText="采用"
        onClose={() => setDialog(null)}
        onSubmit={(reason) =>
          dialog?.kind === 'adopt'
            ? adopt.mutateAsync({
                field: dialog.field.field as EditableField,
                recordId: dialog.alt.recordId,
                reason,
              })
            : Promise.resolve()
        }
      >
        {dialog?.kind === 'adopt' && (
          <Typography.Paragraph>
            采用「{dialog.alt.sourceLabel}」的值 <b>{show(dialog.field.field, dialog.alt.value)}</b>
            ，作为人工维护值保存。
          </Typography.Paragraph>
        )}
      </ReasonModal>
      <ReasonModal
        open={dialog?.kind === 'keep'}
        title={field ? `保留${field.label}的现值` : '保留现值'}
        okText="保留"
        onClose={() => setDialog(null)}
        onSubmit={(reason) =>
          edit.mutateAsync({
            field: field!.field as EditableField,
            value: String(field!.value ?? ''),
            reason,
          })
        }
      >
        <Typography.Paragraph>
          确认现值 <b>{field ? show(field.field, field.value) : ''}</b>{' '}
          无误；此前来源送来的不同值不再列为冲突。
        </Typography.Paragraph>
      </ReasonModal>
      <MergeEntityModal entity={e} open={merging} onClose={() => setMerging(false)} />
    </Col>
  );
}
