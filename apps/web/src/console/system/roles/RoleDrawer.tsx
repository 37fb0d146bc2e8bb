import { Alert, App, Button, Drawer, Form, Input, Select, Skeleton, Space, Tabs, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { usePermissionCatalog } from '../permissions/api.ts';
import {
  DATA_SCOPE_LABELS,
  type DataScopeCode,
  type DepartmentOption,
  type RoleInput,
  useCreateRole,
  useDepartmentOptions,
  useRole,
  useUpdateRole,
} from './api.ts';
import { MembersTab } from './MembersTab.tsx';
import { PermissionTree } from './PermissionTree.tsx';

type FormValues = Omit<RoleInput, 'permissions'>;
const FORM_FIELDS = new Set(['code', 'name', 'dataScope', 'scopeDepartmentIds']);

interface TreeOption {
  value: number;
  title: string;
  children?: TreeOption[];
}

function departmentTree(items: readonly DepartmentOption[]): TreeOption[] {
  const nodes = new Map<number, TreeOption>(items.map((d) => [d.id, { value: d.id, title: d.name }]));
  const roots: TreeOption[] = [];
  for (const d of items) {
    const parent = d.parentId === null ? undefined : nodes.get(d.parentId);
    const node = nodes.get(d.id)!;
    if (!parent) roots.push(node);
    else if (parent.children) parent.children.push(node);
    else parent.children = [node];
  }
  return roots;
}

/** Create or edit a role: basic info and data scope, the permission tree, and (when editing) its members. */
export function RoleDrawer(props: {
  open: boolean;
  roleId: number | null;
  tab?: string;
  onClose: () => void;
}) {
  const { open, roleId, onClose } = props;
  const user = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [permissions, setPermissions] = useState<string[]>([]);
  const [tab, setTab] = useState(props.tab ?? 'basic');
  const [serverError, setServerError] = useState<string | null>(null);
  const role = useRole(open ? roleId : null);
  const catalog = usePermissionCatalog();
  const scope = Form.useWatch('dataScope', form);
  const departments = useDepartmentOptions(open && scope === 'custom');
  const create = useCreateRole();
  const update = useUpdateRole();
  const editing = roleId !== null;
  const canSave = can(user, editing ? 'system:role:update' : 'system:role:create');
  const builtin = !!role.data?.builtin;
  const deptTree = useMemo(() => departmentTree(departments.data?.items ?? []), [departments.data]);

  useEffect(() => {
    if (!open) return;
    setTab(props.tab ?? 'basic');
    setServerError(null);
    if (!editing) {
      form.setFieldsValue({ code: '', name: '', dataScope: 'department', scopeDepartmentIds: [] });
      setPermissions([]);
    }
  }, [open, editing, props.tab, form]);

  useEffect(() => {
    const r = role.data;
    if (!open || !r) return;
    form.setFieldsValue({
      code: r.code,
      name: r.name,
      dataScope: r.dataScope,
      scopeDepartmentIds: r.scopeDepartmentIds,
    });
    setPermissions(r.effectivePermissions);
  }, [open, role.data, form]);

  const showError = (e: unknown) => {
    const details = e instanceof ApiError ? (e.details ?? []) : [];
    const fields = details
      .map((d) => ({ name: d.path.replace(/^body\./, '').split('.')[0] ?? '', errors: [d.message] }))
      .filter((f) => FORM_FIELDS.has(f.name));
    if (fields.length > 0) {
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      setTab('basic');
    }
    const general = fields.length === details.length && fields.length > 0 ? null : errorMessage(e);
    setServerError(general);
    if (general) message.error(general);
  };

  const save = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      setTab('basic');
      return;
    }
    setServerError(null);
    const input: RoleInput = {
      ...values,
      scopeDepartmentIds: values.dataScope === 'custom' ? (values.scopeDepartmentIds ?? []) : [],
      permissions,
    };
    const done = {
      onSuccess: () => {
        message.success('已保存');
        onClose();
      },
      onError: showError,
    };
    if (editing) update.mutate({ id: roleId, ...input }, done);
    else create.mutate(input, done);
  };

  const basic = (
    <Form form={form} layout="vertical" disabled={!canSave}>
      <Form.Item
        name="name"
        label="角色名称"
        rules={[
          { required: true, whitespace: true, message: '请输入角色名称' },
          { max: 32, message: '角色名称最多 32 个字' },
        ]}
        extra={builtin ? '内置角色的名称和编码不能修改' : undefined}
      >
        <Input disabled={builtin} placeholder="如：食品安全检查员" />
      </Form.Item>
      <Form.Item
        name="code"
        label="角色编码"
        rules={[
          { required: true, message: '请输入角色编码' },
          { pattern: /^[a-z][a-z0-9_]{1,31}$/, message: '2–32 位，小写字母开头，可含小写字母、数字和下划线' },
        ]}
      >
        <Input disabled={builtin} placeholder="如：food_inspector" />
      </Form.Item>
      <Form.Item name="dataScope" label="数据权限" rules={[{ required: true, message: '请选择数据权限' }]}>
        <Select
          options={(Object.keys(DATA_SCOPE_LABELS) as DataScopeCode[]).map((v) => ({
            value: v,
            label: DATA_SCOPE_LABELS[v],
          }))}
        />
      </Form.Item>
      {scope === 'custom' && (
        <Form.Item
          name="scopeDepartmentIds"
          label="指定部门"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个部门' }]}
          extra="只包含所选部门本身，不自动包含其下级部门。"
        >
          <TreeSelect
            multiple
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            loading={departments.isFetching}
            treeData={deptTree}
            placeholder="选择部门"
          />
        </Form.Item>
      )}
    </Form>
  );

  const loading = (editing && role.isPending) || catalog.isPending;
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      title={editing ? `编辑角色${role.data ? `：${role.data.name}` : ''}` : '新增角色'}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          {canSave && (
            <Button type="primary" loading={create.isPending || update.isPending} onClick={() => void save()}>
              保存
            </Button>
          )}
        </Space>
      }
    >
      {serverError && (
        <Alert
          type="error"
          showIcon
          title={serverError}
          style={{ marginBottom: 16 }}
          data-testid="role-error"
        />
      )}
      <QueryError query={role} title="角色加载失败" />
      {loading ? (
        <Skeleton active />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'basic', label: '基本信息', children: basic, forceRender: true },
            {
              key: 'permissions',
              label: `菜单权限（${permissions.length}）`,
              children: catalog.data && (
                <PermissionTree
                  nodes={catalog.data.nodes}
                  value={permissions}
                  onChange={setPermissions}
                  disabled={!canSave}
                />
              ),
            },
            ...(editing
              ? [
                  {
                    key: 'members',
                    label: `成员（${role.data?.memberCount ?? 0}）`,
                    children: (
                      <MembersTab
                        roleId={roleId}
                        canEdit={can(user, 'system:role:update')}
                        selfId={user.id}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </Drawer>
  );
}
