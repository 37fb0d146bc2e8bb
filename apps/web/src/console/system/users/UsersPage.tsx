import {
  DownloadOutlined,
  ExportOutlined,
  ImportOutlined,
  LeftOutlined,
  PlusOutlined,
  RightOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Col, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { downloadFile, type User, type UserFilter, useUserOptions, useUsers } from './api.ts';
import { DepartmentFilterTree } from './DepartmentFilterTree.tsx';
import { ImportModal } from './ImportModal.tsx';
import { OneTimePasswordModal, ResetPasswordModal } from './PasswordModals.tsx';
import { UserFormDrawer } from './UserFormDrawer.tsx';
import { type SearchValues, UserSearchForm } from './UserSearchForm.tsx';
import { UserTable } from './UserTable.tsx';

const PAGE_SIZES = [20, 50, 100];

/** 系统管理 › 用户管理: staff accounts of the departments in the user's data scope. */
export default function UsersPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [search, setSearch] = useState<SearchValues>({});
  const [departmentId, setDepartmentId] = useState<number | undefined>();
  const [includeSubtree, setIncludeSubtree] = useState(true);
  const [limit, setLimit] = useState(20);
  // Keyset paging: the cursor of every page visited, so 上一页 returns exactly.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
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
  const after = cursors[cursors.length - 1];
  const users = useUsers({ ...filter, after, limit });
  const options = useUserOptions();
  const restart = () => setCursors([undefined]);

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
            restart();
          }}
        />
      </Col>
      <Col xs={24} lg={18} xl={19}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card variant="borderless">
            <UserSearchForm
              options={options.data}
              onSearch={(v) => {
                setSearch(v);
                restart();
              }}
            />
          </Card>
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
                      restart();
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
            {users.isError && (
              <Alert type="error" showIcon title="加载失败" description={errorMessage(users.error)} />
            )}
            <UserTable
              users={users.data?.items ?? []}
              loading={users.isFetching}
              currentUserId={me.id}
              canUpdate={canUpdate}
              canReset={canReset}
              onEdit={(u) => setEditing(u)}
              onResetPassword={(u) => setResetting(u)}
            />
            <Space style={{ width: '100%', justifyContent: 'flex-end', marginTop: 16 }} wrap>
              <Typography.Text type="secondary">
                共 {users.data?.total ?? 0} 人 · 第 {cursors.length} 页
              </Typography.Text>
              <Button
                icon={<LeftOutlined />}
                disabled={cursors.length <= 1 || users.isFetching}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                上一页
              </Button>
              <Button
                disabled={users.data?.nextAfter == null || users.isFetching}
                onClick={() => {
                  const next = users.data?.nextAfter;
                  if (next != null) setCursors((c) => [...c, next]);
                }}
              >
                下一页 <RightOutlined />
              </Button>
              <Select
                aria-label="每页条数"
                value={limit}
                style={{ width: 110 }}
                options={PAGE_SIZES.map((n) => ({ value: n, label: `${n} 条/页` }))}
                onChange={(n) => {
                  setLimit(n);
                  restart();
                }}
              />
            </Space>
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
