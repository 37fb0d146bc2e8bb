import { App, Form, Input, Modal, Radio, TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import {
  type NoticeAdmin,
  type NoticeDepartment,
  type NoticeInput,
  useCreateNotice,
  useNoticeDepartments,
  useUpdateNotice,
} from './api.ts';

interface Props {
  open: boolean;
  /** The notice being edited (a draft or withdrawn one); null to write a new draft. */
  editing: NoticeAdmin | null;
  onClose: () => void;
}

interface TreeNode {
  value: number;
  title: string;
  children: TreeNode[];
}

function toTree(departments: NoticeDepartment[]): TreeNode[] {
  const nodes = new Map(
    departments.map((d) => [d.id, { value: d.id, title: d.name, children: [] as TreeNode[] }]),
  );
  const roots: TreeNode[] = [];
  for (const d of departments) {
    const node = nodes.get(d.id)!;
    const parent = d.parentId === null ? undefined : nodes.get(d.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Write or edit a notice. Saving keeps it a draft; publishing is a separate, deliberate step in the list. */
export function NoticeFormModal({ open, editing, onClose }: Props) {
  const [form] = Form.useForm<NoticeInput>();
  const create = useCreateNotice();
  const update = useUpdateNotice();
  const departments = useNoticeDepartments(open);
  const { message } = App.useApp();
  const targetAll = Form.useWatch('targetAll', form);
  const tree = useMemo(() => toTree(departments.data?.items ?? []), [departments.data]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      editing
        ? {
            title: editing.title,
            body: editing.body,
            kind: editing.kind,
            level: editing.level,
            targetAll: editing.targetAll,
            targetDepartmentIds: editing.targetDepartments.map((d) => d.id),
          }
        : { kind: 'notice', level: 'normal', targetAll: true, targetDepartmentIds: [], body: '' },
    );
  }, [open, editing, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const input: NoticeInput = {
      ...v,
      title: v.title.trim(),
      body: v.body ?? '',
      targetDepartmentIds: v.targetAll ? [] : (v.targetDepartmentIds ?? []),
    };
    const done = {
      onSuccess: () => {
        void message.success(editing ? '已保存' : '已保存为草稿，可在列表中发布');
        onClose();
      },
      onError: (e: unknown) => void message.error(errorMessage(e)),
    };
    if (editing) update.mutate({ ...input, id: editing.id }, done);
    else create.mutate(input, done);
  };

  return (
    <Modal
      title={editing ? '修改通知公告' : '新增通知公告'}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存草稿"
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={720}
    >
      <Form form={form} layout="vertical" name="notice">
        <Form.Item
          name="title"
          label="标题"
          rules={[
            { required: true, whitespace: true, message: '请填写标题' },
            { max: 100, message: '标题最多 100 个字' },
          ]}
        >
          <Input maxLength={100} showCount />
        </Form.Item>
        <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
          <Radio.Group
            options={[
              { value: 'notice', label: '通知' },
              { value: 'announcement', label: '公告' },
            ]}
          />
        </Form.Item>
        <Form.Item name="level" label="级别">
          <Radio.Group
            options={[
              { value: 'normal', label: '普通' },
              { value: 'important', label: '重要' },
            ]}
          />
        </Form.Item>
        <Form.Item name="targetAll" label="接收范围">
          <Radio.Group
            options={[
              { value: true, label: '全体人员' },
              { value: false, label: '指定部门（含下级部门）' },
            ]}
          />
        </Form.Item>
        {targetAll === false && (
          <Form.Item
            name="targetDepartmentIds"
            label="接收部门"
            rules={[{ required: true, type: 'array', min: 1, message: '请选择至少一个接收部门' }]}
          >
            <TreeSelect
              treeData={tree}
              multiple
              treeDefaultExpandAll
              showSearch={{ treeNodeFilterProp: 'title' }}
              loading={departments.isLoading}
              placeholder="选择部门"
            />
          </Form.Item>
        )}
        <Form.Item name="body" label="正文" rules={[{ max: 20000, message: '正文最多 20000 个字' }]}>
          <Input.TextArea rows={10} maxLength={20000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
