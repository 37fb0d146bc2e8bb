import { ArrowLeftOutlined } from '@ant-design/icons';
import { ENTITY_TYPES } from '@rongjian/shared';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useNavigate, useParams } from 'react-router';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { type EntityProfile, useEntity } from './api.ts';
import { EntityDossierCards } from './EntityDossierCards.tsx';
import { entityEventDetails, entityEventLabel } from './entityEventLabels.ts';
import { EntityRiskCard } from './EntityRiskCard.tsx';
import { EntityProvenanceCard } from './EntityProvenanceCard.tsx';
import { MergedIntoNotice } from '../fusion/MergedIntoNotice.tsx';
import { EntityMap } from './EntityMap.tsx';
import { RiskTag } from './RiskTag.tsx';

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function Facts({ e }: { e: EntityProfile }) {
  return (
    <Descriptions
      column={{ xs: 1, md: 2 }}
      bordered
      size="small"
      items={[
        { key: 'name', label: '名称', children: e.name, span: 2 },
        { key: 'uscc', label: '统一社会信用代码', children: e.uscc ?? '—' },
        { key: 'type', label: '主体类型', children: ENTITY_TYPES[e.type] },
        { key: 'status', label: '登记状态', children: e.status },
        { key: 'established', label: '成立日期', children: e.establishedOn ?? '—' },
        { key: 'address', label: '住所（经营场所）', children: e.address, span: 2 },
        { key: 'region', label: '行政区划', children: e.regionCode },
        { key: 'risk', label: '信用风险分类', children: <RiskTag riskClass={e.riskClass} /> },
        { key: 'station', label: '所属市场监管所', children: e.stationName ?? '—' },
        { key: 'grid', label: '所属网格', children: e.gridName ?? '未划入网格' },
        {
          key: 'lines',
          label: '业务条线',
          span: 2,
          children: e.businessLines.length ? e.businessLines.map((l) => <Tag key={l}>{l}</Tag>) : '—',
        },
        {
          key: 'location',
          label: '坐标（WGS-84）',
          children: e.lon !== null && e.lat !== null ? `${e.lon.toFixed(6)}, ${e.lat.toFixed(6)}` : '未定位',
        },
        { key: 'updated', label: '更新时间', children: dateTime(e.updatedAt) },
      ]}
    />
  );
}

/** 一户一档: one entity's registration facts, place on the map, risk class and the ledger's timeline. */
export default function EntityProfilePage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const entity = useEntity(id);
  const e = entity.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Button
        icon={<ArrowLeftOutlined />}
        onClick={() => navigate('/entities')}
        style={{ width: 'fit-content' }}
      >
        返回经营主体列表
      </Button>
      <QueryError query={entity} title="经营主体加载失败" />
      {e && <MergedIntoNotice entityId={e.id} />}
      {!Number.isInteger(id) || id <= 0 ? <Alert type="error" showIcon title="经营主体编号无效" /> : null}
      {entity.isPending && Number.isInteger(id) && id > 0 ? <Skeleton active /> : null}
      {e && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Card title="登记信息" variant="borderless">
              <Facts e={e} />
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card title="位置" variant="borderless">
              <EntityMap entityId={e.id} />
            </Card>
          </Col>
          <EntityRiskCard e={e} />
          <EntityProvenanceCard e={e} />
          <EntityDossierCards e={e} />
          <Col span={24}>
            <Card title="流转记录" variant="borderless">
              {e.timeline.length === 0 ? (
                <Empty description="暂无流转记录" />
              ) : (
                <Timeline
                  items={e.timeline.map((ev) => ({
                    key: ev.id,
                    children: (
                      <div data-testid="entity-timeline-item" data-kind={ev.kind}>
                        <Typography.Text strong>{entityEventLabel(ev)}</Typography.Text>
                        {entityEventDetails(ev).map((line) => (
                          <div key={line}>{line}</div>
                        ))}
                        <div style={{ color: '#8c8c8c' }}>
                          {dateTime(ev.occurredAt)} · {ev.actorName}
                        </div>
                      </div>
                    ),
                  }))}
                />
              )}
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
