import { DownloadOutlined, ExportOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Col, Row, Space } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { downloadFile, type User, type UserFilter, useUserOptions, useUsers } from './api.ts';
import { DepartmentFilterTree } from './DepartmentFilterTree.tsx';
import { ImportModal } from './ImportModal.tsx';
import { OneTimePasswordModal, ResetPasswordModal } from './PasswordModals.tsx';
import { UserFormDrawer } from './UserFormDrawer.tsx';
import { type SearchValues, UserSearchForm } from './UserSearchForm.tsx';
import { UserTable } from './UserTable.tsx';

/** 系统管理 › 用户管理: staff accounts of the departments in the user's data scope. */
export default function UsersPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [search, setSearch] = useState<SearchValues>({});
  const [departmentId, setDepartmentId] = useState<number | undefined>();
  const [includeSubtree, setIncludeSubtree] = useState(true);
  const paging = useKeysetPaging();
  const [editing, setEditing] = useState<User | null | false>(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [oneTime, setOneTime] = useState<{ username: string; displayName: string; password: string } | null>(
    null,
  );
  const [importing, setImporting] = useState(false);

  const filter: UserFilter = {
    keyword: search.keyword?.trim() || undefined,
    phone: search.phone?.trim() || undefined,
    roleCode: search.roleCode,
    postId: search.postId,
    status: search.status,
    certExpiring: search.certExpiring,
    departmentId,
    includeSubtree: departmentId === undefined ? undefined : includeSubtree,
  };
  const users = useUsers({ ...filter, after: paging.after, limit: paging.limit });
  const options = useUserOptions();

  const canCreate = can(me, 'system:user:create');
  const canUpdate = can(me, 'system:user:update');
  const canReset = can(me, 'system:user:reset');
  const canImport = can(me, 'system:user:import');
  const canExport = can(me, 'system:user:export');
  const download = (path: string, query?: Record<string, string | number | boolean | undefined>) =>
    downloadFile(path, query).catch((e) => void message.error(errorMessage(e)));

  return (
    <Row gutter={16}>
      <Col xs={24} lg={6} xl={5}>
        <DepartmentFilterTree
          departments={options.data?.departments}
          loading={options.isPending}
          selected={departmentId}
          onSelect={(id) => {
            setDepartmentId(id);
            paging.reset();
          }}
        />
      </Col>
      <Col xs={24} lg={18} xl={19}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <UserSearchForm
            options={options.data}
            onSearch={(v) => {
              setSearch(v);
              paging.reset();
            }}
          />
          <Card
            variant="borderless"
            title={
              <Space>
                用户列表
                {departmentId !== undefined && (
                  <Checkbox
                    checked={includeSubtree}
                    onChange={(e) => {
                      setIncludeSubtree(e.target.checked);
                      paging.reset();
                    }}
                  >
                    含下级部门
                  </Checkbox>
                )}
              </Space>
            }
            extra={
              <Space wrap>
                {canCreate && (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
                    新增
                  </Button>
                )}
                {canImport && (
                  <Button icon={<ImportOutlined />} onClick={() => setImporting(true)}>
                    导入
                  </Button>
                )}
                {canExport && (
                  <Button
                    icon={<ExportOutlined />}
                    onClick={() => void download('/api/system/users/export', { ...filter })}
                  >
                    导出
                  </Button>
                )}
                {canImport && (
                  <Button
                    icon={<DownloadOutlined />}
                    onClick={() => void download('/api/system/users/import-template')}
                  >
                    下载模板
                  </Button>
                )}
              </Space>
            }
          >
            <QueryError query={users} />
            <UserTable
              users={users.data?.items ?? []}
              loading={users.isFetching}
              currentUserId={me.id}
              canUpdate={canUpdate}
              canReset={canReset}
              onEdit={(u) => setEditing(u)}
              onResetPassword={(u) => setResetting(u)}
            />
            <KeysetPager
              paging={paging}
              nextAfter={users.data?.nextAfter}
              loading={users.isFetching}
              summary={`共 ${users.data?.total ?? 0} 人 · `}
            />
          </Card>
        </Space>
      </Col>

      <UserFormDrawer
        open={editing !== false}
        user={editing || null}
        options={options.data}
        defaultDepartmentId={departmentId}
        onClose={() => setEditing(false)}
        onCreated={(r) => {
          setEditing(false);
          void message.success(`已新增用户 ${r.user.displayName}`);
          if (r.initialPassword) {
            setOneTime({
              username: r.user.username,
              displayName: r.user.displayName,
              password: r.initialPassword,
            });
          }
        }}
      />
      <ResetPasswordModal
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(password) => {
          if (resetting)
            setOneTime({ username: resetting.username, displayName: resetting.displayName, password });
          setResetting(null);
        }}
      />
      <OneTimePasswordModal value={oneTime} onClose={() => setOneTime(null)} />
      {canImport && <ImportModal open={importing} onClose={() => setImporting(false)} />}
    </Row>
  );
}
