import {
  Alert,
  App,
  Button,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  Row,
  Select,
  Skeleton,
  Space,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../../../shared/api/client.ts';
import { type GridInput, type StationOption, useCreateGrid, useGrid, useUpdateGrid } from './api.ts';
import {
  fitsVertexList,
  type Parsed,
  parseGeoJsonText,
  parseVertexList,
  type Polygon,
  toGeoJsonText,
  toVertexList,
} from './geometry.ts';
import { BoundaryEditor, type Mode } from './BoundaryEditor.tsx';
import type { MapRegion } from './GridMap.tsx';

type FormValues = Pick<GridInput, 'code' | 'name' | 'stationId'>;
const FORM_FIELDS = new Set(['code', 'name', 'stationId']);

const parse = (mode: Mode, text: string): Parsed =>
  mode === 'vertices' ? parseVertexList(text) : parseGeoJsonText(text);

/** Create or edit a grid; the boundary is typed as vertices or GeoJSON, with a live preview among its neighbours. */
export function GridDrawer(props: {
  open: boolean;
  gridId: number | null;
  stations: readonly StationOption[];
  /** The other grids on the map, drawn grey around the preview. */
  context: readonly MapRegion[];
  canSave: boolean;
  onClose: () => void;
}) {
  const { open, gridId, onClose } = props;
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [mode, setMode] = useState<Mode>('vertices');
  const [text, setText] = useState('');
  const [geometryErrors, setGeometryErrors] = useState<string[]>([]);
  const [serverError, setServerError] = useState<string | null>(null);
  const grid = useGrid(open ? gridId : null);
  const create = useCreateGrid();
  const update = useUpdateGrid();
  const editing = gridId !== null;

  useEffect(() => {
    if (!open) return;
    setServerError(null);
    setGeometryErrors([]);
    setMode('vertices');
    if (!editing) {
      form.resetFields();
      setText('');
    }
  }, [open, editing, form]);

  useEffect(() => {
    const g = grid.data;
    if (!open || !g) return;
    form.setFieldsValue({ code: g.code, name: g.name, stationId: g.stationId });
    const geometry = g.geometry as Polygon;
    // A boundary with holes or several parts has no vertex-list form.
    if (fitsVertexList(geometry)) setText(toVertexList(geometry));
    else {
      setMode('geojson');
      setText(toGeoJsonText(geometry));
    }
  }, [open, grid.data, form]);

  const parsed = useMemo(() => parse(mode, text), [mode, text]);
  const switchMode = (next: Mode) => {
    // Carry the boundary over when it parses; otherwise keep the text as typed so nothing is lost.
    if (next === 'vertices' && parsed.ok && !fitsVertexList(parsed.polygon)) {
      message.warning('带洞或分成几块的边界只能以 GeoJSON 编辑');
      return;
    }
    if (parsed.ok && text.trim())
      setText(next === 'vertices' ? toVertexList(parsed.polygon) : toGeoJsonText(parsed.polygon));
    setMode(next);
  };

  const showError = (e: unknown) => {
    const details = e instanceof ApiError ? (e.details ?? []) : [];
    const at = (d: { path: string }) => d.path.replace(/^body\./, '').split('.')[0] ?? '';
    form.setFields(
      details
        .filter((d) => FORM_FIELDS.has(at(d)))
        .map((d) => ({ name: at(d) as keyof FormValues, errors: [d.message] })),
    );
    setGeometryErrors(details.filter((d) => at(d) === 'geometry').map((d) => d.message));
    setServerError(details.length > 0 ? null : errorMessage(e));
  };

  const save = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    if (!parsed.ok) {
      setGeometryErrors([parsed.error]);
      return;
    }
    setGeometryErrors([]);
    setServerError(null);
    const input: GridInput = { ...values, geometry: parsed.polygon };
    const done = {
      onSuccess: () => {
        message.success('已保存');
        onClose();
      },
      onError: showError,
    };
    if (editing) update.mutate({ id: gridId, ...input }, done);
    else create.mutate(input, done);
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={760}
      destroyOnHidden
      title={editing ? `编辑网格${grid.data ? `：${grid.data.name}` : ''}` : '新增网格'}
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          {props.canSave && (
            <Button type="primary" loading={create.isPending || update.isPending} onClick={() => void save()}>
              保存
            </Button>
          )}
        </Space>
      }
    >
      {serverError && <Alert type="error" showIcon title={serverError} style={{ marginBottom: 16 }} />}
      {editing && grid.isPending ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" disabled={!props.canSave}>
          <Row gutter={16}>
            <Col span={10}>
              <Form.Item
                name="code"
                label="网格编码"
                rules={[
                  { required: true, message: '请输入网格编码' },
                  {
                    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/,
                    message: '1–32 位字母、数字、下划线或短横线',
                  },
                ]}
              >
                <Input placeholder="如 32059910001" />
              </Form.Item>
            </Col>
            <Col span={14}>
              <Form.Item
                name="name"
                label="网格名称"
                rules={[
                  { required: true, whitespace: true, message: '请输入网格名称' },
                  { max: 40, message: '最多 40 个字' },
                ]}
              >
                <Input placeholder="如 城厢镇第1网格" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="stationId"
            label="所属市场监管所"
            rules={[{ required: true, message: '请选择所属市场监管所' }]}
          >
            <Select
              placeholder="选择所"
              options={props.stations.map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <BoundaryEditor
            mode={mode}
            onModeChange={switchMode}
            text={text}
            onTextChange={(t) => {
              setText(t);
              setGeometryErrors([]);
            }}
            parsed={parsed}
            errors={geometryErrors}
            context={props.context}
            gridId={gridId}
            disabled={!props.canSave}
          />
          {grid.data && (
            <Descriptions
              size="small"
              column={2}
              style={{ marginTop: 12 }}
              items={[
                {
                  key: 'center',
                  label: '中心点',
                  children: `${grid.data.centerLon}, ${grid.data.centerLat}`,
                },
                { key: 'area', label: '面积', children: `${grid.data.areaKm2} 平方公里` },
                { key: 'entities', label: '经营主体', children: `${grid.data.entityCount} 户` },
              ]}
            />
          )}
        </Form>
      )}
    </Drawer>
  );
}
