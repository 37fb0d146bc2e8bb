import { App, Button, Popconfirm, Space } from 'antd';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { type NoticeAdmin, useDeleteNotice, usePublishNotice, useWithdrawNotice } from './api.ts';

interface Props {
  notice: NoticeAdmin;
  onEdit: () => void;
}

/**
 * What may be done to one notice, by permission and state: a published notice can only be withdrawn (readers never
 * see it change under them); drafts and withdrawn ones can be edited, (re)published or deleted.
 */
export function NoticeRowActions({ notice: r, onEdit }: Props) {
  const user = useCurrentUser();
  const publish = usePublishNotice();
  const withdraw = useWithdrawNotice();
  const remove = useDeleteNotice();
  const { message } = App.useApp();
  const done = (text: string) => ({
    onSuccess: () => void message.success(text),
    onError: (e: unknown) => void message.error(errorMessage(e)),
  });
  const published = r.status === 'published';
  const canPublish = can(user, 'system:notice:publish');

  return (
    <Space size={0} wrap>
      {can(user, 'system:notice:update') && !published && (
        <Button type="link" size="small" onClick={onEdit}>
          修改
        </Button>
      )}
      {canPublish && !published && (
        <Popconfirm
          title={`发布“${r.title}”？`}
          description="发布后接收人员立即可见。"
          okText="发布"
          onConfirm={() => publish.mutate(r.id, done('已发布'))}
        >
          <Button type="link" size="small">
            发布
          </Button>
        </Popconfirm>
      )}
      {canPublish && published && (
        <Popconfirm
          title={`撤回“${r.title}”？`}
          description="撤回后接收人员将看不到该通知公告。"
          okText="撤回"
          onConfirm={() => withdraw.mutate(r.id, done('已撤回'))}
        >
          <Button type="link" size="small">
            撤回
          </Button>
        </Popconfirm>
      )}
      {can(user, 'system:notice:delete') && !published && (
        <Popconfirm
          title={`删除“${r.title}”？`}
          okText="删除"
          okButtonProps={{ danger: true }}
          onConfirm={() => remove.mutate(r.id, done('已删除'))}
        >
          <Button type="link" size="small" danger>
            删除
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}
