import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../../shared/ui/SearchCard.tsx';
import { type Post, type PostInput, useCreatePost, useDeletePost, usePosts, useUpdatePost } from './api.ts';

/** Add or rename a post; the code is what user import files refer to. */
function PostModal({ post, onClose }: { post: Post | null | false; onClose: () => void }) {
  const [form] = Form.useForm<PostInput>();
  const create = useCreatePost();
  const update = useUpdatePost();
  const { message } = App.useApp();
  const mutation = post ? update : create;

  useEffect(() => {
    if (post === false) return;
    form.resetFields();
    create.reset();
    update.reset();
    if (post) form.setFieldsValue({ code: post.code, name: post.name });
  }, [post, form, create.reset, update.reset]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const input = { code: v.code.trim(), name: v.name.trim() };
    const done = (p: Post) => {
      void message.success(`已保存岗位 ${p.name}`);
      onClose();
    };
    if (post) update.mutate({ id: post.id, ...input }, { onSuccess: done });
    else create.mutate(input, { onSuccess: done });
  };

  return (
    <Modal
      title={post ? `编辑岗位：${post.name}` : '新增岗位'}
      open={post !== false}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      {mutation.isError && (
        <Alert type="error" showIcon title={errorMessage(mutation.error)} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" name="post-form">
        <Form.Item
          name="code"
          label="岗位编码"
          extra="唯一；用户导入表按此编码识别岗位。"
          rules={[
            { required: true, message: '请输入岗位编码' },
            { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, message: '1–32 位字母、数字、下划线或短横线' },
          ]}
        >
          <Input placeholder="如 law_enforcer" />
        </Form.Item>
        <Form.Item
          name="name"
          label="岗位名称"
          rules={[
            { required: true, whitespace: true, message: '请输入岗位名称' },
            { max: 40, message: '最多 40 个字' },
          ]}
        >
          <Input placeholder="如 执法人员" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 系统管理 › 岗位管理: the posts (岗位) staff hold, shared by every department. */
export default function PostsPage() {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const [keyword, setKeyword] = useState('');
  // Fixed page size of 20: the pager below has no 条/页 selector.
  const paging = useKeysetPaging(20);
  const [editing, setEditing] = useState<Post | null | false>(false);
  const posts = usePosts({ keyword: keyword || undefined, after: paging.after, limit: paging.limit });
  const remove = useDeletePost();
  const canCreate = can(user, 'system:post:create');
  const canUpdate = can(user, 'system:post:update');
  const canDelete = can(user, 'system:post:delete');
  const search = (v: { keyword?: string }) => {
    setKeyword(v.keyword?.trim() ?? '');
    paging.reset();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SearchCard onSearch={search}>
        <Form.Item name="keyword" label="岗位" rules={[{ max: 64, message: '最多 64 个字符' }]}>
          <Input placeholder="名称或编码" allowClear style={{ width: 220 }} />
        </Form.Item>
      </SearchCard>
      <Card
        variant="borderless"
        title="岗位列表"
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
              新增岗位
            </Button>
          )
        }
      >
        <QueryError query={posts} />
        <Table<Post>
          rowKey="id"
          size="middle"
          loading={posts.isFetching}
          dataSource={posts.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: '没有岗位' }}
          columns={[
            { title: '岗位名称', dataIndex: 'name' },
            {
              title: '编码',
              dataIndex: 'code',
              render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
            },
            { title: '在岗人数', dataIndex: 'userCount', width: 110, align: 'right' },
            ...(canUpdate || canDelete
              ? [
                  {
                    title: '操作',
                    key: 'op',
                    width: 170,
                    render: (_: unknown, p: Post) => (
                      <Space size={0}>
                        {canUpdate && (
                          <Button
                            type="link"
                            size="small"
                            icon={<EditOutlined />}
                            onClick={() => setEditing(p)}
                          >
                            编辑
                          </Button>
                        )}
                        {canDelete && (
                          <Popconfirm
                            title={`删除岗位“${p.name}”？`}
                            description={
                              p.userCount > 0 ? `还有 ${p.userCount} 人担任该岗位，将无法删除。` : undefined
                            }
                            okText="删除"
                            okButtonProps={{ danger: true }}
                            onConfirm={() =>
                              remove.mutateAsync(p.id).then(
                                () => void message.success(`已删除岗位 ${p.name}`),
                                (e) => void message.error(errorMessage(e)),
                              )
                            }
                          >
                            <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                              删除
                            </Button>
                          </Popconfirm>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
        <KeysetPager
          paging={paging}
          nextAfter={posts.data?.nextAfter}
          loading={posts.isFetching}
          summary={`共 ${posts.data?.total ?? 0} 个 · `}
          showSizeChanger={false}
        />
      </Card>
      <PostModal post={editing} onClose={() => setEditing(false)} />
    </Space>
  );
}
