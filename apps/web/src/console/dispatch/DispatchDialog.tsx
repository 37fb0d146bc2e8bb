import type { DispatchModule } from '@rongjian/shared/api';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Descriptions,
  Empty,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../../shared/api/client.ts';
import { useCreateOrder, useDispatchOptions, useSuggestion } from './api.ts';

/** Officers listed before "显示全部" (least loaded first; the preselected ones are among them). */
const SHOWN = 8;

export interface DispatchTarget {
  id: number;
  number: string;
  title: string;
  version: number;
}

/**
 * 派单: the routed department and the least-loaded available officers (with why), the limit in force and its due
 * day; the dispatcher may change the department or the officers, and then must say why (stored on the order).
 */
export function DispatchDialog({ clue, onClose }: { clue: DispatchTarget | null; onClose: () => void }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [module, setModule] = useState<DispatchModule>('inspection');
  const [departmentId, setDepartmentId] = useState<number | undefined>(undefined);
  const [officerIds, setOfficerIds] = useState<number[]>([]);
  const [reason, setReason] = useState('');
  const [instructions, setInstructions] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const suggestion = useSuggestion(clue?.id ?? null, module, departmentId);
  const options = useDispatchOptions();
  const create = useCreateOrder();
  const s = suggestion.data;

  // A new clue starts afresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the clue changes
  useEffect(() => {
    setModule('inspection');
    setDepartmentId(undefined);
    setReason('');
    setInstructions('');
    setError(null);
    setShowAll(false);
  }, [clue?.id]);
  // Preselect the suggested officers whenever the suggestion changes.
  useEffect(() => {
    if (s) setOfficerIds(s.officers.slice(0, s.minOfficers).map((o) => o.id));
  }, [s]);

  const suggestedIds = useMemo(() => (s ? s.officers.slice(0, s.minOfficers).map((o) => o.id) : []), [s]);
  const overridden =
    !!s &&
    ((departmentId !== undefined && departmentId !== s.routedDepartmentId) ||
      [...officerIds].sort().join() !== [...suggestedIds].sort().join());
  const departmentOptions = (options.data?.departments ?? [])
    .filter((d) => d.kind !== 'bureau')
    .map((d) => ({ value: d.id, label: d.name }));

  async function submit() {
    if (!clue || !s?.department) return;
    setError(null);
    try {
      const created = await create.mutateAsync({
        clueIds: [clue.id],
        clueVersions: [clue.version],
        module,
        departmentId: s.department.id,
        officerIds,
        instructions,
        ...(overridden ? { overrideReason: reason } : {}),
      });
      message.success(`已派单 ${created.number}`);
      onClose();
      navigate(`/dispatch/orders/${created.id}`);
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'DISPATCH_CONFLICT'
          ? `派单未成功：${err.message}`
          : errorMessage(err),
      );
    }
  }

  const tooFew = officerIds.length < (s?.minOfficers ?? 2);
  return (
    <Modal
      open={clue !== null}
      title={clue ? `派单 · ${clue.number}` : '派单'}
      width={720}
      onCancel={onClose}
      okText="派单"
      onOk={submit}
      okButtonProps={{
        disabled: !s?.department || tooFew || (overridden && reason.trim().length < 2),
        loading: create.isPending,
      }}
      destroyOnHidden
    >
      {clue && (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Text type="secondary">{clue.title}</Typography.Text>
          <Radio.Group
            value={module}
            onChange={(e) => {
              setModule(e.target.value);
              setDepartmentId(undefined);
            }}
            optionType="button"
            options={[
              { value: 'inspection', label: '监管检查（监管模块）' },
              { value: 'enforcement', label: '执法核查（案源登记）' },
            ]}
          />
          {suggestion.isPending ? (
            <Spin />
          ) : suggestion.isError ? (
            <Alert type="error" showIcon title={errorMessage(suggestion.error)} />
          ) : s ? (
            <>
              <Descriptions
                size="small"
                column={1}
                bordered
                items={[
                  {
                    key: 'department',
                    label: '承办部门',
                    children: (
                      <>
                        <Select
                          style={{ minWidth: 260 }}
                          value={s.department?.id}
                          options={departmentOptions}
                          onChange={(v: number) => setDepartmentId(v)}
                          aria-label="承办部门"
                        />
                        {s.why.map((w) => (
                          <Typography.Text key={w} type="secondary" style={{ display: 'block' }}>
                            {w}
                          </Typography.Text>
                        ))}
                      </>
                    ),
                  },
                  {
                    key: 'limit',
                    label: '办理时限',
                    children: (
                      <>
                        {s.limit.label}：{s.limit.days} {s.limit.dayKind === 'working' ? '个工作日' : '日'}
                        ，预计 {s.limit.dueOn} 到期
                        {s.limit.maxExtensionDays > 0
                          ? `（经批准可延长 ${s.limit.maxExtensionDays} 天）`
                          : '（不得延长）'}
                        <Typography.Text type="secondary" style={{ display: 'block' }}>
                          依据：{s.limit.regulation}
                        </Typography.Text>
                      </>
                    ),
                  },
                ]}
              />
              <div>
                <Typography.Text strong>
                  承办人员（至少 {s.minOfficers} 名持有效执法证的人员，按在办工作量排序）
                </Typography.Text>
                {s.officers.length === 0 ? (
                  <Empty description="该部门没有可派的执法人员" image={Empty.PRESENTED_IMAGE_SIMPLE} />
                ) : (
                  <Checkbox.Group
                    value={officerIds}
                    onChange={(v) => setOfficerIds(v as number[])}
                    style={{ display: 'flex', flexDirection: 'column', gap: 4, marginTop: 8 }}
                  >
                    {s.officers
                      .filter((o, i) => showAll || i < SHOWN || officerIds.includes(o.id))
                      .map((o) => (
                        <Checkbox key={o.id} value={o.id} data-testid={`officer-${o.id}`}>
                          {o.name} <Typography.Text type="secondary">{o.why}</Typography.Text>
                        </Checkbox>
                      ))}
                  </Checkbox.Group>
                )}
                {s.officers.length > SHOWN && (
                  <Button type="link" size="small" onClick={() => setShowAll((v) => !v)}>
                    {showAll ? '收起' : `显示全部 ${s.officers.length} 名可派人员`}
                  </Button>
                )}
                {!s.enough && (
                  <Alert
                    style={{ marginTop: 8 }}
                    type="warning"
                    showIcon
                    title={`可派人员不足 ${s.minOfficers} 名，请改选部门或调整请假/回避安排`}
                  />
                )}
                {s.skipped.length > 0 && (
                  <div style={{ marginTop: 8 }}>
                    <Typography.Text type="secondary">不可派：</Typography.Text>
                    {s.skipped.map((x) => (
                      <Tag key={x.id} title={x.reasons.join('；')}>
                        {x.name}（{x.reasons.join('；')}）
                      </Tag>
                    ))}
                  </div>
                )}
              </div>
              {overridden && (
                <Input.TextArea
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  placeholder="已调整建议的部门或人员，请说明原因（必填，记入调度单）"
                  rows={2}
                  maxLength={1000}
                  aria-label="调整原因"
                />
              )}
              <Input.TextArea
                value={instructions}
                onChange={(e) => setInstructions(e.target.value)}
                placeholder="调度要求（可选）：检查重点、注意事项"
                rows={3}
                maxLength={2000}
                aria-label="调度要求"
              />
            </>
          ) : null}
          {error && <Alert type="error" showIcon title={error} />}
        </Space>
      )}
    </Modal>
  );
}
