import type {
  PasswordReset,
  User,
  UserCreated,
  UserImportResult,
  UserList,
  UserOptions,
  UserStatus,
} from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, type Query } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (org.ts), routes under `/api/system/users`.
export type {
  ImportError,
  User,
  UserCreated,
  UserImportResult,
  UserList,
  UserOptions,
  UserStatus,
} from '@rongjian/shared/api';

export type UserFilter = {
  keyword?: string | undefined;
  departmentId?: number | undefined;
  includeSubtree?: boolean | undefined;
  roleCode?: string | undefined;
  postId?: number | undefined;
  status?: UserStatus | undefined;
  certExpiring?: number | undefined;
  phone?: string | undefined;
};

export interface UserInput {
  displayName: string;
  departmentId: number;
  roleCodes: string[];
  postIds: number[];
  /** Omitted on edit: unchanged (the page only ever has the masked number). */
  phone?: string | null;
  certNo: string | null;
  certValidUntil: string | null;
}

export const STATUS_LABELS: Record<UserStatus, string> = { active: '正常', disabled: '停用' };
/** A certificate this close to its end date gets a warning tag in the list. */
export const CERT_WARN_DAYS = 30;

export const userKeys = {
  all: ['system', 'users'] as const,
  list: (q: UserFilter & { after?: number | undefined; limit: number }) =>
    ['system', 'users', 'list', q] as const,
  options: ['system', 'users', 'options'] as const,
};

export function useUsers(q: UserFilter & { after?: number | undefined; limit: number }) {
  return useQuery({
    queryKey: userKeys.list(q),
    queryFn: ({ signal }) => api.get<UserList>('/api/system/users', q, signal),
    placeholderData: (prev) => prev,
  });
}

/** Departments in the caller's data scope, every role and post: for the tree filter and the form. */
export function useUserOptions() {
  return useQuery({
    queryKey: userKeys.options,
    queryFn: ({ signal }) => api.get<UserOptions>('/api/system/users/options', undefined, signal),
    staleTime: 60_000,
  });
}

function useUserMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useCreateUser() {
  return useUserMutation((input: UserInput & { username: string; password?: string }) =>
    api.post<UserCreated>('/api/system/users', input),
  );
}

export function useUpdateUser() {
  return useUserMutation(({ id, ...input }: UserInput & { id: number }) =>
    api.put<User>(`/api/system/users/${id}`, input),
  );
}

export function useSetUserStatus() {
  return useUserMutation(({ id, status }: { id: number; status: UserStatus }) =>
    api.post<User>(`/api/system/users/${id}/status`, { status }),
  );
}

export function useResetPassword() {
  return useMutation({
    mutationFn: (id: number) => api.post<PasswordReset>(`/api/system/users/${id}/reset-password`),
  });
}

/** Multipart upload: the JSON client cannot send a file, so this one call builds its own request (same CSRF rule). */
export function useImportUsers(csrfToken: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const body = new FormData();
      body.append('file', file);
      const res = await fetch(`/api/system/users/import${dryRun ? '?dryRun=1' : ''}`, {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken, accept: 'application/json' },
        credentials: 'same-origin',
        body,
      }).catch(() => {
        throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
      });
      const data = (await res.json().catch(() => ({}))) as Partial<UserImportResult> & {
        code?: string;
        message?: string;
      };
      if (!res.ok) {
        throw new ApiError(res.status, data.code ?? `HTTP_${res.status}`, data.message ?? '导入失败');
      }
      return data as UserImportResult;
    },
    onSuccess: (r) => {
      if (!r.dryRun) void qc.invalidateQueries({ queryKey: userKeys.all });
    },
  });
}

/** Download a file the server builds (xlsx); the browser saves it under the server's file name. */
export async function downloadFile(path: string, query?: Query): Promise<void> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const url = params.size > 0 ? `${path}?${params}` : path;
  const res = await fetch(url, { credentials: 'same-origin' }).catch(() => {
    throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
  });
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(
      res.status,
      e.code ?? `HTTP_${res.status}`,
      e.message ?? `下载失败（HTTP ${res.status}）`,
    );
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const blob = await res.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name ? decodeURIComponent(name) : 'download.xlsx';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
