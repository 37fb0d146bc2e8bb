import type {
  EntityCreditRecord,
  EntityLicence,
  EntityPerson,
  EntityProfile,
  LicenceExpiry,
} from '@rongjian/shared/api';
import { Card, Col, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { MaskedValue } from '../../shared/pii/MaskedValue.tsx';

/** 一户一档 cards: 许可证 (with expiry warnings), 信用记录 and 人员 (masked, revealable with a reason). */
const EXPIRY_COLORS: Record<LicenceExpiry, string | null> = {
  expired: 'red',
  within30: 'orange',
  within60: 'gold',
  within90: 'gold',
  ok: null,
};

/** The warning tag names the days of the tier the server applied (许可证到期预警 setting), e.g. “14 天内到期”. */
function expiryText(l: EntityLicence): string {
  if (l.expiry === 'expired') return '已过期';
  return l.expiryDays === null ? '即将到期' : `${l.expiryDays} 天内到期`;
}

const STATUS_COLORS: Record<string, string> = { 有效: 'green', 注销: 'default', 吊销: 'red', 过期: 'red' };

const licenceColumns: ColumnsType<EntityLicence> = [
  { title: '许可类别', dataIndex: 'kindLabel', width: 160 },
  { title: '许可证编号', dataIndex: 'licenceNo', width: 200 },
  { title: '发证日期', dataIndex: 'issuedOn', width: 110 },
  { title: '有效期至', dataIndex: 'validUntil', width: 110 },
  {
    title: '状态',
    dataIndex: 'status',
    width: 80,
    render: (s: string) => <Tag color={STATUS_COLORS[s] ?? 'default'}>{s}</Tag>,
  },
  {
    title: '到期预警',
    dataIndex: 'expiry',
    width: 120,
    render: (x: LicenceExpiry, l) => {
      const color = EXPIRY_COLORS[x];
      if (!color) return '—';
      const title =
        l.daysLeft === null
          ? undefined
          : l.daysLeft < 0
            ? `已过期 ${-l.daysLeft} 天`
            : `剩余 ${l.daysLeft} 天`;
      return (
        <Tag color={color} title={title}>
          {expiryText(l)}
        </Tag>
      );
    },
  },
  { title: '发证机关', dataIndex: 'issuer' },
];

const creditColumns: ColumnsType<EntityCreditRecord> = [
  {
    title: '类别',
    dataIndex: 'kindLabel',
    width: 150,
    render: (label: string, r) => (
      <Tag color={r.kind === 'administrative_penalty' ? 'orange' : r.removedOn ? 'default' : 'red'}>
        {label}
      </Tag>
    ),
  },
  { title: '决定日期', dataIndex: 'decidedOn', width: 110 },
  { title: '移出日期', dataIndex: 'removedOn', width: 110, render: (d: string | null) => d ?? '—' },
  { title: '决定书文号', dataIndex: 'documentNo', width: 190 },
  { title: '事由', dataIndex: 'reason' },
  {
    title: '罚没金额（元）',
    dataIndex: 'amount',
    width: 130,
    render: (a: number | null) => (a === null ? '—' : a.toLocaleString('zh-CN')),
  },
  { title: '决定机关', dataIndex: 'authority', width: 180 },
];

const personColumns: ColumnsType<EntityPerson> = [
  { title: '身份', dataIndex: 'roleLabel', width: 120 },
  {
    title: '姓名',
    dataIndex: 'nameMasked',
    width: 160,
    render: (v: string, p) => (
      <MaskedValue masked={v} objectType="entity_person" objectId={p.id} field="name" label="姓名" />
    ),
  },
  {
    title: '身份证号',
    dataIndex: 'idCardMasked',
    width: 260,
    render: (v: string | null, p) => (
      <MaskedValue masked={v} objectType="entity_person" objectId={p.id} field="idCard" label="身份证号" />
    ),
  },
  {
    title: '手机号',
    dataIndex: 'phoneMasked',
    render: (v: string | null, p) => (
      <MaskedValue masked={v} objectType="entity_person" objectId={p.id} field="phone" label="手机号" />
    ),
  },
];

export function EntityDossierCards({ e }: { e: EntityProfile }) {
  return (
    <>
      <Col span={24}>
        <Card title="许可证" variant="borderless">
          <Table
            rowKey="id"
            size="small"
            columns={licenceColumns}
            dataSource={e.licences}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: '暂无许可证信息' }}
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card title="信用记录" variant="borderless">
          <Table
            rowKey="id"
            size="small"
            columns={creditColumns}
            dataSource={e.creditRecords}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: '暂无经营异常、严重违法失信或行政处罚记录' }}
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card title="人员" variant="borderless">
          <Table
            rowKey="id"
            size="small"
            columns={personColumns}
            dataSource={e.personnel}
            pagination={false}
            locale={{ emptyText: '暂无人员信息' }}
          />
        </Card>
      </Col>
    </>
  );
}
