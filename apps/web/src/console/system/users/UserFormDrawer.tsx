import type { UserOptions } from '@rongjian/shared/api';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  TreeSelect,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import { ApiError, errorMessage } from '../../../shared/api/client.ts';
import { type User, type UserCreated, type UserInput, useCreateUser, useUpdateUser } from './api.ts';
import { departmentTree } from './DepartmentFilterTree.tsx';
import { InitialPasswordFields } from './PasswordModals.tsx';

interface Values {
  username: string;
  displayName: string;
  departmentId: number;
  roleCodes: string[];
  postIds: number[];
  phone?: string;
  clearPhone?: boolean;
  certNo?: string;
  certValidUntil?: Dayjs | null;
  passwordMode: 'generate' | 'given';
  password?: string;
}

interface Props {
  open: boolean;
  /** null: a new user. */
  user: User | null;
  options: UserOptions | undefined;
  defaultDepartmentId: number | undefined;
  onClose: () => void;
  onCreated: (r: UserCreated) => void;
}

/** Create or edit a user. Username and password are set at creation only; a phone is shown masked, never edited. */
export function UserFormDrawer({ open, user, options, defaultDepartmentId, onClose, onCreated }: Props) {
  const [form] = Form.useForm<Values>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const { message } = App.useApp();
  const tree = useMemo(() => departmentTree(options?.departments ?? []), [options]);
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    create.reset();
    update.reset();
    form.setFieldsValue(
      user
        ? {
            displayName: user.displayName,
            departmentId: user.departmentId,
            roleCodes: user.roles.map((r) => r.code),
            postIds: user.posts.map((p) => p.id),
            certNo: user.certNo ?? '',
            certValidUntil: user.certValidUntil ? dayjs(user.certValidUntil) : null,
          }
        : {
            passwordMode: 'generate',
            roleCodes: [],
            postIds: [],
            departmentId: defaultDepartmentId as number,
          },
    );
  }, [open, user, defaultDepartmentId, form, create.reset, update.reset]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const phone = v.phone?.trim();
    const input: UserInput = {
      displayName: v.displayName.trim(),
      departmentId: v.departmentId,
      roleCodes: v.roleCodes ?? [],
      postIds: v.postIds ?? [],
      certNo: v.certNo?.trim() || null,
      certValidUntil: v.certValidUntil ? v.certValidUntil.format('YYYY-MM-DD') : null,
      ...(phone ? { phone } : v.clearPhone ? { phone: null } : user ? {} : { phone: null }),
    };
    const onError = (e: Error) => {
      // Field-level reasons from the server go under their fields; the rest shows in the alert above the form.
      if (e instanceof ApiError && e.details?.length) {
        form.setFields(
          e.details.map((d) => ({
            name: d.path.replace(/^body\./, '') as keyof Values,
            errors: [d.message],
          })),
        );
      }
    };
    if (user) {
      update.mutate(
        { id: user.id, ...input },
        {
          onSuccess: (u) => {
            void message.success(`已保存 ${u.displayName}`);
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        {
          ...input,
          username: v.username.trim(),
          ...(v.passwordMode === 'given' ? { password: v.password ?? '' } : {}),
        },
        { onSuccess: (r) => onCreated(r), onError },
      );
    }
  };

  return (
    <Drawer
      title={user ? `编辑用户：${user.displayName}` : '新增用户'}
      open={open}
      onClose={onClose}
      size={520}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => void submit()}>
            保存
          </Button>
        </Space>
      }
    >
      {error && !(error instanceof ApiError && error.details?.length) && (
        <Alert type="error" showIcon title={errorMessage(error)} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" name="user-form">
        {!user && (
          <Form.Item
            name="username"
            label="用户名"
            rules={[
              { required: true, message: '请输入用户名' },
              {
                pattern: /^[a-z][a-z0-9_.-]{2,31}$/,
                message: '3–32 位，小写字母开头，可含小写字母、数字、下划线、点和短横线',
              },
            ]}
          >
            <Input placeholder="如 zhang.san" autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 40, message: '姓名最多 40 个字' },
          ]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="departmentId" label="部门" rules={[{ required: true, message: '请选择部门' }]}>
          <TreeSelect
            treeData={tree}
            fieldNames={{ label: 'title', value: 'key', children: 'children' }}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder="选择部门"
          />
        </Form.Item>
        <Form.Item
          name="roleCodes"
          label="角色"
          tooltip="系统、安全、审计管理员三员分立，不能同时授予，也不能与业务角色同时授予"
        >
          <Select
            mode="multiple"
            allowClear
            options={options?.roles.map((r) => ({ value: r.code, label: r.name }))}
          />
        </Form.Item>
        <Form.Item name="postIds" label="岗位">
          <Select
            mode="multiple"
            allowClear
            options={options?.posts.map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <Form.Item
          name="phone"
          label="手机号"
          extra={user?.phoneMasked ? `当前：${user.phoneMasked}（留空表示不修改）` : undefined}
          rules={[
            { pattern: /^(\+?86)?[\s-]*1[3-9](\d[\s-]*){9}$/, message: '请输入 11 位中国大陆手机号码' },
          ]}
        >
          <Input placeholder={user?.phoneMasked ? '输入新号码以替换' : '选填'} autoComplete="off" />
        </Form.Item>
        {user?.phoneMasked && (
          <Form.Item name="clearPhone" valuePropName="checked" style={{ marginTop: -12 }}>
            <Checkbox>清除手机号</Checkbox>
          </Form.Item>
        )}
        <Space size={16} style={{ display: 'flex' }}>
          <Form.Item
            name="certNo"
            label="执法证号"
            rules={[{ max: 40, message: '最多 40 个字符' }]}
            style={{ flex: 1 }}
          >
            <Input placeholder="选填" />
          </Form.Item>
          <Form.Item name="certValidUntil" label="执法证有效期至" style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} placeholder="选择日期" />
          </Form.Item>
        </Space>
        {!user && <InitialPasswordFields />}
      </Form>
    </Drawer>
  );
}
