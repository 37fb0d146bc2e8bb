import { ApartmentOutlined, BankOutlined, ShopOutlined, TeamOutlined } from '@ant-design/icons';
import { Card, Col, Row, Statistic } from 'antd';
import type { ReactNode } from 'react';
import type { Overview } from './api.ts';

interface Stat {
  title: string;
  value: number;
  suffix: string;
  icon: ReactNode;
  color: string;
  bg: string;
}

export function StatCards({ data }: { data: Overview }) {
  const stats: Stat[] = [
    {
      title: '经营主体总数',
      value: data.entities.total,
      suffix: '户',
      icon: <ShopOutlined />,
      color: '#1677ff',
      bg: '#e6f4ff',
    },
    {
      title: '市场监管所',
      value: data.stations,
      suffix: '个',
      icon: <BankOutlined />,
      color: '#13a8a8',
      bg: '#e6fffb',
    },
    {
      title: '网格',
      value: data.grids,
      suffix: '个',
      icon: <ApartmentOutlined />,
      color: '#fa8c16',
      bg: '#fff7e6',
    },
    {
      title: '工作人员',
      value: data.staff,
      suffix: '人',
      icon: <TeamOutlined />,
      color: '#722ed1',
      bg: '#f9f0ff',
    },
  ];
  return (
    <Row gutter={[16, 16]}>
      {stats.map((s) => (
        <Col key={s.title} xs={24} sm={12} xl={6}>
          <Card variant="borderless" className="rj-stat-card">
            <span className="rj-stat-icon" style={{ color: s.color, background: s.bg }}>
              {s.icon}
            </span>
            <Statistic title={s.title} value={s.value} suffix={s.suffix} groupSeparator="," />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
