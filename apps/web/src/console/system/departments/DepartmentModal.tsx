import { Alert, App, Form, Input, InputNumber, Modal, Select, TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import {
  ALLOWED_PARENT_KINDS,
  DEPARTMENT_KIND_LABELS,
  type DepartmentInput,
  type DepartmentKind,
  type DepartmentNode,
  useCreateDepartment,
  useUpdateDepartment,
} from './api.ts';

/** What the modal does: add under a parent (null: a top-level 局), edit fields, or move under another parent. */
export type DepartmentAction =
  | { mode: 'create'; parent: DepartmentNode | null }
  | { mode: 'edit'; node: DepartmentNode }
  | { mode: 'move'; node: DepartmentNode };

interface Props {
  action: DepartmentAction | null;
  tree: DepartmentNode[];
  onClose: () => void;
}

interface TreeOption {
  value: number;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

/** Parent choices for a move: a department cannot go under itself or its own subtree (disabled there). */
function parentOptions(
  nodes: DepartmentNode[],
  moving: DepartmentNode | null,
  kind: DepartmentKind | undefined,
): TreeOption[] {
  return nodes.map((n) => {
    const own = moving !== null && n.id === moving.id;
    const fits = kind === undefined || ALLOWED_PARENT_KINDS[kind].includes(n.kind);
    return {
      value: n.id,
      title: `${n.name}（${DEPARTMENT_KIND_LABELS[n.kind]}）`,
      disabled: own || !fits,
      children: own ? [] : parentOptions(n.children, moving, kind),
    };
  });
}

function findNode(nodes: DepartmentNode[], id: number | null): DepartmentNode | null {
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = findNode(n.children, id);
    if (hit) return hit;
  }
  return null;
}

export function DepartmentModal({ action, tree, onClose }: Props) {
  const [form] = Form.useForm<DepartmentInput>();
  const create = useCreateDepartment();
  const update = useUpdateDepartment();
  const { message } = App.useApp();
  const parentId = Form.useWatch('parentId', form);
  const kind = Form.useWatch('kind', form);
  const node = action && action.mode !== 'create' ? action.node : null;
  const parentKind = parentId == null ? null : (findNode(tree, parentId)?.kind ?? null);
  const kindOptions = (Object.keys(DEPARTMENT_KIND_LABELS) as DepartmentKind[]).map((k) => ({
    value: k,
    label: DEPARTMENT_KIND_LABELS[k],
    disabled: !ALLOWED_PARENT_KINDS[k].includes(parentKind),
  }));
  const options = useMemo(() => parentOptions(tree, node, kind), [tree, node, kind]);
  const mutation = action?.mode === 'create' ? create : update;

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    create.reset();
    update.reset();
    if (action.mode === 'create') {
      const p = action.parent;
      form.setFieldsValue({
        parentId: p?.id ?? null,
        kind: p === null ? 'bureau' : p.kind === 'branch' ? 'station' : 'office',
        sort: 0,
        regionCode: p?.regionCode ?? null,
      });
    } else {
      const n = action.node;
      form.setFieldsValue({
        parentId: n.parentId,
        name: n.name,
        kind: n.kind,
        code: n.code,
        sort: n.sort,
        regionCode: n.regionCode,
      });
    }
  }, [action, form, create.reset, update.reset]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !action) return;
    const input: DepartmentInput = {
      ...v,
      parentId: v.parentId ?? null,
      regionCode: v.regionCode?.trim() || null,
      sort: v.sort ?? 0,
    };
    const done = () => {
      void message.success('已保存');
      onClose();
    };
    if (action.mode === 'create') create.mutate(input, { onSuccess: done });
    else update.mutate({ id: action.node.id, ...input }, { onSuccess: done });
  };

  const title =
    action?.mode === 'create'
      ? action.parent
        ? `在“${action.parent.name}”下新增部门`
        : '新增顶级局'
      : action?.mode === 'move'
        ? `移动“${action.node.name}”`
        : `编辑“${node?.name ?? ''}”`;
  const moving = action?.mode === 'move';

  return (
    <Modal
      title={title}
      open={action !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      {mutation.isError && (
        <Alert type="error" showIcon title={errorMessage(mutation.error)} style={{ marginBottom: 16 }} />
      )}
      {moving && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="该部门的所有下级部门、人员随之移动；不能移到它自己或它的下级之下。"
        />
      )}
      <Form form={form} layout="vertical" name="department-form">
        <Form.Item name="parentId" label="新的上级部门" hidden={!moving}>
          <TreeSelect treeData={options} treeDefaultExpandAll allowClear placeholder="无（顶级局）" />
        </Form.Item>
        <div style={moving ? { display: 'none' } : undefined}>
          <Form.Item
            name="name"
            label="部门名称"
            rules={[
              { required: true, whitespace: true, message: '请输入部门名称' },
              { max: 60, message: '最多 60 个字' },
            ]}
          >
            <Input placeholder="如：城东市场监管所" />
          </Form.Item>
          <Form.Item
            name="kind"
            label="类型"
            rules={[{ required: true, message: '请选择类型' }]}
            extra="局下可设科室、分局、市场监管所；分局下可设科室、市场监管所；科室和所下不能再设部门。"
          >
            <Select options={kindOptions} />
          </Form.Item>
          <Form.Item
            name="code"
            label="部门编码"
            rules={[
              { required: true, message: '请输入部门编码' },
              { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, message: '1–32 位字母、数字、下划线或短横线' },
            ]}
            extra="唯一；用户导入表按此编码识别部门。"
          >
            <Input placeholder="如 SFX-S01" />
          </Form.Item>
          <Form.Item
            name="regionCode"
            label="行政区划代码"
            rules={[{ pattern: /^\d{6}(\d{3}(\d{3})?)?$/, message: '应为 6、9 或 12 位数字' }]}
          >
            <Input placeholder="选填，如 320506" />
          </Form.Item>
          <Form.Item name="sort" label="排序" extra="同级部门按此数字从小到大排列。">
            <InputNumber min={0} max={99999} precision={0} style={{ width: 160 }} />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
