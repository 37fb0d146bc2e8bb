import { Form, Input, Tabs, Typography } from 'antd';
import { useMemo } from 'react';
import { MUTED_COLOR, SELECTED_COLOR } from '../../../shared/map/colors.ts';
import { drawable, type Parsed } from './geometry.ts';
import { GridMap, type MapRegion } from './GridMap.tsx';

export type Mode = 'vertices' | 'geojson';

/**
 * The boundary field of the grid form: typed as a vertex list or as GeoJSON, with syntax errors and the server's
 * geometry errors under it, and a live preview of the shape among the other grids (grey).
 */
export function BoundaryEditor(props: {
  mode: Mode;
  onModeChange: (mode: Mode) => void;
  text: string;
  onTextChange: (text: string) => void;
  parsed: Parsed;
  errors: string[];
  context: readonly MapRegion[];
  gridId: number | null;
  disabled: boolean;
}) {
  const { mode, text, parsed, gridId } = props;
  const preview = useMemo<MapRegion[]>(() => {
    const others = props.context
      .filter((r) => r.id !== gridId)
      .map((r) => ({ ...r, color: MUTED_COLOR, id: undefined }) as MapRegion);
    if (!parsed.ok || !drawable(parsed.polygon)) return others;
    return [
      ...others,
      {
        code: '__draft__',
        name: '正在编辑的网格',
        geometry: parsed.polygon,
        color: SELECTED_COLOR,
        lines: [],
      },
    ];
  }, [parsed, props.context, gridId]);

  const boundaryHelp = !parsed.ok && text.trim() ? [parsed.error] : props.errors;
  const boundary = (
    <Form.Item
      label="边界"
      required
      validateStatus={boundaryHelp.length > 0 ? 'error' : ''}
      help={boundaryHelp.length > 0 ? boundaryHelp.map((m) => <div key={m}>{m}</div>) : undefined}
      extra={
        mode === 'vertices'
          ? '每行一个顶点“经度, 纬度”（WGS-84），按边界顺序排列；末尾与起点相同的点可省略，保存时自动闭合。'
          : '粘贴 GeoJSON Polygon 或 MultiPolygon（分成几块的网格），也可为含一个要素的 Feature / FeatureCollection。'
      }
    >
      <Input.TextArea
        value={text}
        onChange={(e) => props.onTextChange(e.target.value)}
        rows={mode === 'vertices' ? 8 : 12}
        disabled={props.disabled}
        placeholder={
          mode === 'vertices'
            ? '120.6012, 31.4005\n120.6201, 31.4010\n120.6188, 31.4153\n120.6003, 31.4140'
            : '{ "type": "Polygon", "coordinates": [[[120.60, 31.40], …]] }'
        }
        style={{ fontFamily: 'monospace' }}
        aria-label="边界坐标"
      />
    </Form.Item>
  );

  return (
    <>
      <Tabs
        activeKey={mode}
        onChange={(k) => props.onModeChange(k as Mode)}
        items={[
          { key: 'vertices', label: '顶点列表' },
          { key: 'geojson', label: 'GeoJSON' },
        ]}
      />
      {boundary}
      <Typography.Text type="secondary">预览（蓝色为正在编辑的网格，灰色为其他网格）</Typography.Text>
      <GridMap regions={preview} height={260} focusCode="__draft__" testId="grid-preview" />
    </>
  );
}
