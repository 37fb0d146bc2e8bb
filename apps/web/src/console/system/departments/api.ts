import type { Department, DepartmentKind, DepartmentTree } from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (org.ts), routes under `/api/system/departments`.
export type { Department, DepartmentKind, DepartmentNode } from '@rongjian/shared/api';
export { ALLOWED_PARENT_KINDS, DEPARTMENT_KIND_LABELS } from '@rongjian/shared/org';

export interface DepartmentInput {
  parentId: number | null;
  name: string;
  kind: DepartmentKind;
  code: string;
  sort: number;
  regionCode: string | null;
}

export const KIND_COLORS: Record<DepartmentKind, string> = {
  bureau: 'blue',
  branch: 'purple',
  office: 'cyan',
  station: 'green',
};

export const departmentKeys = { tree: ['system', 'departments', 'tree'] as const };

export function useDepartmentTree() {
  return useQuery({
    queryKey: departmentKeys.tree,
    queryFn: ({ signal }) => api.get<DepartmentTree>('/api/system/departments/tree', undefined, signal),
  });
}

/** Departments also appear in the user pages' tree and forms: refresh those too. */
function useDepartmentMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: departmentKeys.tree });
      await qc.invalidateQueries({ queryKey: ['system', 'users'] });
    },
  });
}

export function useCreateDepartment() {
  return useDepartmentMutation((input: DepartmentInput) =>
    api.post<Department>('/api/system/departments', input),
  );
}

export function useUpdateDepartment() {
  return useDepartmentMutation(({ id, ...input }: DepartmentInput & { id: number }) =>
    api.put<Department>(`/api/system/departments/${id}`, input),
  );
}

export function useDeleteDepartment() {
  return useDepartmentMutation((id: number) => api.delete(`/api/system/departments/${id}`));
}
