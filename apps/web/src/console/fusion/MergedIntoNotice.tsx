import { Alert } from 'antd';
import { Link } from 'react-router';
import { useProvenance } from './api.ts';

/** On the profile of an entity a merge absorbed: where its facts live now. Renders nothing otherwise. */
export function MergedIntoNotice({ entityId }: { entityId: number }) {
  const p = useProvenance(entityId);
  const target = p.data?.mergedInto;
  if (!target) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="merged-into-notice"
      title={
        <span>
          该主体已合并至<Link to={`/entities/${target.id}`}>「{target.name}」</Link>
        </span>
      }
      description="它的来源记录、许可证、信用记录和人员已移到合并后的主体，检索结果中不再单独出现；此页保留合并前的登记信息。如合并有误，可在合并记录中撤销。"
    />
  );
}
