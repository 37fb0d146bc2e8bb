import { BUSINESS_LINES, ENTITY_TYPES, RISK_CLASSES } from '@rongjian/shared';
import { Form, Select } from 'antd';
import { useMemo } from 'react';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { useMapGrids } from '../../shared/map/api.ts';
import { useLicenceExpiryDays } from './api.ts';

const TYPE_OPTIONS = Object.entries(ENTITY_TYPES).map(([value, label]) => ({ value, label }));
const LINE_OPTIONS = BUSINESS_LINES.map((l) => ({ value: l, label: l }));
const RISK_OPTIONS = Object.entries(RISK_CLASSES).map(([value, label]) => ({
  value,
  label: `${value} ${label}`,
}));
const TIERS = ['within30', 'within60', 'within90'] as const;
const TIER_NAMES = ['第一档', '第二档', '第三档'];

/** 已过期, then one choice per configured warning tier, named by its days (“14 天内到期”). */
function licenceOptions(days: readonly number[] | undefined) {
  return [
    { value: 'expired', label: '已过期' },
    ...TIERS.map((value, i) => ({
      value,
      label: days?.[i] === undefined ? `${TIER_NAMES[i]}预警天数内到期` : `${days[i]} 天内到期`,
    })),
  ];
}

/**
 * 所属所 and 网格: the grids the user may see (`/api/map/grids` answers within the data scope, as on 一张图), the
 * 所 among them; once a 所 is chosen, only its grids. Absent without 一张图 permission.
 */
function PlaceFields({ compact }: { compact: boolean }) {
  const me = useCurrentUser();
  const allowed = can(me, 'entity:map:read');
  const grids = useMapGrids(allowed);
  const form = Form.useFormInstance();
  const stationId = Form.useWatch<number | undefined>('stationId', form);
  const features = grids.data?.features ?? [];
  const stations = useMemo(() => {
    const seen = new Map<number, string>();
    for (const f of features) seen.set(f.properties.stationId, f.properties.stationName);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [features]);
  if (!allowed) return null;
  const gridOptions = features
    .filter((f) => !stationId || f.properties.stationId === stationId)
    .map((f) => ({ value: f.properties.id, label: f.properties.name }));
  return (
    <>
      <Form.Item name="stationId" label="所属所">
        <Select
          allowClear
          placeholder="全部"
          loading={grids.isPending}
          style={{ width: compact ? 160 : 170 }}
          options={stations}
          // A grid of another 所 would match nothing.
          onChange={() => form.setFieldValue('gridId', undefined)}
        />
      </Form.Item>
      <Form.Item name="gridId" label="网格">
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="全部"
          loading={grids.isPending}
          style={{ width: 180 }}
          options={gridOptions}
        />
      </Form.Item>
    </>
  );
}

/**
 * The entity filters every entity view offers (search, 一张图): 所属所, 网格, type, 业务条线, 风险分类, 许可证状态 — the
 * same names as the entity search API's query parameters. `compact` narrows the selects for a crowded form.
 */
export function EntityFilterFields({ compact = false }: { compact?: boolean }) {
  const me = useCurrentUser();
  const days = useLicenceExpiryDays(can(me, 'entity:profile:read'));
  const [narrow, wide] = compact ? [140, 170] : [150, 180];
  return (
    <>
      <PlaceFields compact={compact} />
      <Form.Item name="type" label="类型">
        <Select allowClear placeholder="全部" style={{ width: narrow }} options={TYPE_OPTIONS} />
      </Form.Item>
      <Form.Item name="businessLine" label="业务条线">
        <Select allowClear placeholder="全部" style={{ width: wide }} options={LINE_OPTIONS} />
      </Form.Item>
      <Form.Item name="riskClass" label="风险分类">
        <Select allowClear placeholder="全部" style={{ width: narrow }} options={RISK_OPTIONS} />
      </Form.Item>
      <Form.Item name="licenceStatus" label="许可证状态" tooltip="按“许可证到期预警”设置的天数档次">
        <Select allowClear placeholder="全部" style={{ width: narrow }} options={licenceOptions(days.data)} />
      </Form.Item>
    </>
  );
}
