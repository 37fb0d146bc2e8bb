import { Col, Row } from 'antd';
import { useSearchParams } from 'react-router';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { useDictTypes } from './api.ts';
import { DictItemPanel } from './DictItemPanel.tsx';
import { DictTypePanel } from './DictTypePanel.tsx';

/** 系统管理 › 字典管理: code tables on the left, the selected table's items on the right (`?type=`). */
export default function DictsPage() {
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const selected = params.get('type');
  const all = useDictTypes('');
  const type = all.data?.items.find((t) => t.code === selected);
  const perms = {
    canCreate: can(user, 'system:dict:create'),
    canUpdate: can(user, 'system:dict:update'),
    canDelete: can(user, 'system:dict:delete'),
  };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={8} xxl={6}>
        <DictTypePanel
          selected={selected}
          onSelect={(code) => setParams(code ? { type: code } : {}, { replace: true })}
          {...perms}
        />
      </Col>
      <Col xs={24} lg={16} xxl={18}>
        <DictItemPanel key={type?.code ?? ''} type={type} {...perms} />
      </Col>
    </Row>
  );
}
