import type { UserOptions } from '@rongjian/shared/api';
import { Form, Input, Select } from 'antd';
import { SearchCard } from '../../../shared/ui/SearchCard.tsx';
import { STATUS_LABELS, type UserFilter } from './api.ts';

export interface SearchValues {
  keyword?: string;
  phone?: string;
  roleCode?: string;
  postId?: number;
  status?: UserFilter['status'];
  certExpiring?: number;
}

interface Props {
  options: UserOptions | undefined;
  onSearch: (v: SearchValues) => void;
}

const CERT_OPTIONS = [
  { value: 0, label: '已过期' },
  { value: 30, label: '30 天内到期（含已过期）' },
  { value: 90, label: '90 天内到期（含已过期）' },
];

/** The filter card above the user table; the department comes from the tree on the left. */
export function UserSearchForm({ options, onSearch }: Props) {
  return (
    <SearchCard<SearchValues> onSearch={onSearch} name="user-search">
      <Form.Item name="keyword" label="用户" rules={[{ max: 64, message: '最多 64 个字符' }]}>
        <Input placeholder="用户名或姓名" allowClear style={{ width: 160 }} />
      </Form.Item>
      <Form.Item
        name="phone"
        label="手机号"
        rules={[{ pattern: /^[\d\s+-]{0,20}$/, message: '请输入完整手机号' }]}
        tooltip="手机号加密保存，只能按完整号码精确查找"
      >
        <Input placeholder="完整号码" allowClear style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name="roleCode" label="角色">
        <Select
          allowClear
          placeholder="全部"
          style={{ width: 140 }}
          options={options?.roles.map((r) => ({ value: r.code, label: r.name }))}
        />
      </Form.Item>
      <Form.Item name="postId" label="岗位">
        <Select
          allowClear
          placeholder="全部"
          style={{ width: 120 }}
          options={options?.posts.map((p) => ({ value: p.id, label: p.name }))}
        />
      </Form.Item>
      <Form.Item name="status" label="状态">
        <Select
          allowClear
          placeholder="全部"
          style={{ width: 90 }}
          options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item name="certExpiring" label="执法证">
        <Select allowClear placeholder="全部" style={{ width: 200 }} options={CERT_OPTIONS} />
      </Form.Item>
    </SearchCard>
  );
}
