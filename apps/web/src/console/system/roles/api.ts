import type {
  DataScopeCode,
  DepartmentOption,
  RoleDetail,
  RoleMember,
  RoleMemberPage,
  RoleSummary,
} from '@rongjian/shared/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';
import { permissionKeys } from '../permissions/api.ts';

// Server contract: `@rongjian/shared/api` (roles.ts).

export type {
  DataScopeCode,
  DepartmentOption,
  RoleDetail,
  RoleMember,
  RoleSummary,
} from '@rongjian/shared/api';

export const DATA_SCOPE_LABELS: Record<DataScopeCode, string> = {
  all: '全部数据',
  custom: '指定部门',
  department: '本部门',
  department_tree: '本部门及以下',
  self: '仅本人',
};

export interface RoleInput {
  code: string;
  name: string;
  dataScope: DataScopeCode;
  scopeDepartmentIds: number[];
  permissions: string[];
}

export const roleKeys = {
  all: ['system', 'roles'] as const,
  list: (keyword: string) => ['system', 'roles', 'list', keyword] as const,
  detail: (id: number) => ['system', 'roles', 'detail', id] as const,
  members: (id: number, keyword: string, after: number | undefined, limit: number) =>
    ['system', 'roles', 'members', id, keyword, after, limit] as const,
  candidates: (id: number, keyword: string) => ['system', 'roles', 'candidates', id, keyword] as const,
  departments: ['system', 'roles', 'departments'] as const,
};

export function useRoles(keyword: string) {
  return useQuery({
    queryKey: roleKeys.list(keyword),
    queryFn: ({ signal }) =>
      api.get<{ items: RoleSummary[] }>('/api/system/roles', { keyword: keyword || undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRole(id: number | null) {
  return useQuery({
    queryKey: roleKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<RoleDetail>(`/api/system/roles/${id}`, undefined, signal),
    enabled: id !== null,
  });
}

export function useDepartmentOptions(enabled: boolean) {
  return useQuery({
    queryKey: roleKeys.departments,
    queryFn: ({ signal }) =>
      api.get<{ items: DepartmentOption[] }>('/api/system/roles/departments', undefined, signal),
    enabled,
    staleTime: 60_000,
  });
}

export function useRoleMembers(id: number, q: { keyword: string; after: number | undefined; limit: number }) {
  return useQuery({
    queryKey: roleKeys.members(id, q.keyword, q.after, q.limit),
    queryFn: ({ signal }) =>
      api.get<RoleMemberPage>(
        `/api/system/roles/${id}/members`,
        { keyword: q.keyword || undefined, after: q.after, limit: q.limit },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useRoleCandidates(id: number, keyword: string, enabled: boolean) {
  return useQuery({
    queryKey: roleKeys.candidates(id, keyword),
    queryFn: ({ signal }) =>
      api.get<{ items: RoleMember[] }>(
        `/api/system/roles/${id}/candidates`,
        { keyword: keyword || undefined, limit: 30 },
        signal,
      ),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Any role change can change member counts, the catalogue's holders and who may do what: refresh them all. */
function useRoleMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: roleKeys.all }),
        qc.invalidateQueries({ queryKey: permissionKeys.catalog }),
      ]);
    },
  });
}

export const useCreateRole = () =>
  useRoleMutation((input: RoleInput) => api.post<RoleDetail>('/api/system/roles', input));

export const useUpdateRole = () =>
  useRoleMutation(({ id, ...input }: RoleInput & { id: number }) =>
    api.put<RoleDetail>(`/api/system/roles/${id}`, input),
  );

export const useDeleteRole = () => useRoleMutation((id: number) => api.delete(`/api/system/roles/${id}`));

export const useAddMembers = () =>
  useRoleMutation(({ id, userIds }: { id: number; userIds: number[] }) =>
    api.post<{ added: number }>(`/api/system/roles/${id}/members`, { userIds }),
  );

export const useRemoveMember = () =>
  useRoleMutation(({ id, userId }: { id: number; userId: number }) =>
    api.delete(`/api/system/roles/${id}/members/${userId}`),
  );
