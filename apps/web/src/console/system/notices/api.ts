import type {
  NoticeAdmin,
  NoticeAdminPage,
  NoticeDepartment,
  NoticeKind,
  NoticeLevel,
  NoticeStatus,
} from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (notices.ts).
export type {
  NoticeAdmin,
  NoticeDepartment,
  NoticeKind,
  NoticeLevel,
  NoticeStatus,
} from '@rongjian/shared/api';
export { NOTICE_KIND_LABELS, NOTICE_LEVEL_LABELS, NOTICE_STATUS_LABELS } from '@rongjian/shared/api';

export interface NoticeFilter {
  keyword?: string | undefined;
  status?: NoticeStatus | undefined;
  kind?: NoticeKind | undefined;
}

export interface NoticeInput {
  title: string;
  body: string;
  kind: NoticeKind;
  level: NoticeLevel;
  targetAll: boolean;
  targetDepartmentIds: number[];
}

export const noticeAdminKeys = {
  all: ['notices'] as const,
  list: (q: NoticeFilter & { after?: number | undefined; limit: number }) => ['notices', 'admin', q] as const,
  departments: ['notices', 'departments'] as const,
};

export function useAdminNotices(q: NoticeFilter & { after?: number | undefined; limit: number }) {
  return useQuery({
    queryKey: noticeAdminKeys.list(q),
    queryFn: ({ signal }) => api.get<NoticeAdminPage>('/api/system/notices', { ...q }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useNoticeDepartments(enabled: boolean) {
  return useQuery({
    queryKey: noticeAdminKeys.departments,
    queryFn: ({ signal }) =>
      api.get<{ items: NoticeDepartment[] }>('/api/system/notices/departments', undefined, signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** Notices change what every user sees (lists, unread counts): refresh all notice queries. */
function useNoticeMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: noticeAdminKeys.all }),
  });
}

export const useCreateNotice = () =>
  useNoticeMutation((n: NoticeInput) => api.post<NoticeAdmin>('/api/system/notices', n));
export const useUpdateNotice = () =>
  useNoticeMutation(({ id, ...n }: NoticeInput & { id: number }) =>
    api.put<NoticeAdmin>(`/api/system/notices/${id}`, n),
  );
export const useDeleteNotice = () =>
  useNoticeMutation((id: number) => api.delete(`/api/system/notices/${id}`));
export const usePublishNotice = () =>
  useNoticeMutation((id: number) => api.post<NoticeAdmin>(`/api/system/notices/${id}/publish`));
export const useWithdrawNotice = () =>
  useNoticeMutation((id: number) => api.post<NoticeAdmin>(`/api/system/notices/${id}/withdraw`));
