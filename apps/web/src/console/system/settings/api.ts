import type { SettingList, SettingView } from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (settings.ts). The same screens serve both groups, each on its own route.
export type {
  SettingFieldView,
  SettingList,
  SettingVersionView,
  SettingView,
} from '@rongjian/shared/api';

export type SettingGroup = 'system' | 'security';

/** Each group has its own route and permission pair (系统管理员 / 安全管理员). */
export const GROUP_API: Record<SettingGroup, { path: string; read: string; update: string }> = {
  system: { path: '/api/system/settings', read: 'system:setting:read', update: 'system:setting:update' },
  security: {
    path: '/api/system/security-settings',
    read: 'security:policy:read',
    update: 'security:policy:update',
  },
};

export const settingsKeys = {
  group: (group: SettingGroup) => ['settings', group] as const,
};

export function useSettings(group: SettingGroup) {
  return useQuery({
    queryKey: settingsKeys.group(group),
    queryFn: ({ signal }) => api.get<SettingList>(GROUP_API[group].path, undefined, signal),
  });
}

export interface SaveSettingInput {
  key: string;
  value: Record<string, unknown>;
  effectiveFrom?: string;
}

export function useSaveSetting(group: SettingGroup) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, ...body }: SaveSettingInput) =>
      api.put<SettingView>(`${GROUP_API[group].path}/${encodeURIComponent(key)}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: settingsKeys.group(group) }),
  });
}
