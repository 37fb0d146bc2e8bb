import type { EntityPage } from '@rongjian/shared/api';
import { useQuery } from '@tanstack/react-query';
import { Form, Radio, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api/client.ts';
import { useMergeEntities } from './api.ts';
import { ReasonModal } from './ReasonModal.tsx';

/** Entities matching a name fragment (or USCC prefix), for picking the other side of a manual merge. */
function useEntityOptions(keyword: string, exclude: number) {
  const q = keyword.trim();
  const byCode = /^[0-9A-Z]{4,18}$/i.test(q);
  return useQuery({
    queryKey: ['entities', 'pick', q],
    queryFn: ({ signal }) =>
      api.get<EntityPage>(
        '/api/entities',
        byCode ? { uscc: q.toUpperCase(), limit: 20 } : { q, limit: 20 },
        signal,
      ),
    enabled: q.length >= 2,
    select: (page) => page.items.filter((e) => e.id !== exclude),
  });
}

/** 合并其他主体 from a profile: pick the other entity, which one survives, and why. */
export function MergeEntityModal({
  entity,
  open,
  onClose,
}: {
  entity: { id: number; name: string };
  open: boolean;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const merge = useMergeEntities();
  const [keyword, setKeyword] = useState('');
  const [debounced, setDebounced] = useState('');
  const [otherId, setOtherId] = useState<number | null>(null);
  const [keepThis, setKeepThis] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const options = useEntityOptions(debounced, entity.id);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(keyword), 300);
    return () => clearTimeout(t);
  }, [keyword]);
  useEffect(() => {
    if (!open) {
      setKeyword('');
      setOtherId(null);
      setKeepThis(true);
      setError(null);
    }
  }, [open]);
  const other = options.data?.find((e) => e.id === otherId);

  return (
    <ReasonModal
      open={open}
      title={`合并其他主体到「${entity.name}」`}
      okText="合并"
      danger
      onClose={onClose}
      onSubmit={async (reason) => {
        if (otherId === null) {
          setError('请选择要合并的主体');
          throw new Error('请选择要合并的主体');
        }
        const r = await merge.mutateAsync({
          survivorId: keepThis ? entity.id : otherId,
          absorbedId: keepThis ? otherId : entity.id,
          reason,
        });
        if (!keepThis) navigate(`/entities/${r.survivor.id}`);
      }}
    >
      <Form layout="vertical">
        <Form.Item
          label="另一个主体"
          required
          validateStatus={error && otherId === null ? 'error' : ''}
          help={error && otherId === null ? error : '输入名称片段（至少两个字）或统一社会信用代码前几位'}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setKeyword }}
            placeholder="搜索经营主体"
            value={otherId ?? undefined}
            onChange={(v: number) => setOtherId(v)}
            loading={options.isFetching}
            notFoundContent={debounced.trim().length >= 2 ? '没有找到' : '请输入至少两个字'}
            options={(options.data ?? []).map((e) => ({
              value: e.id,
              label: `${e.name}（${e.uscc ?? '无统一社会信用代码'}，${e.address}）`,
            }))}
            aria-label="另一个主体"
          />
        </Form.Item>
        <Form.Item label="保留哪一个">
          <Radio.Group
            value={keepThis}
            onChange={(e) => setKeepThis(e.target.value as boolean)}
            style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
            options={[
              { value: true, label: `保留本主体「${entity.name}」，所选主体并入本主体` },
              {
                value: false,
                label: `保留所选主体${other ? `「${other.name}」` : ''}，本主体并入它`,
              },
            ]}
          />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary">
        统一社会信用代码不同的两个主体是不同的法人，不能合并。合并可在合并记录中撤销。
      </Typography.Paragraph>
    </ReasonModal>
  );
}
