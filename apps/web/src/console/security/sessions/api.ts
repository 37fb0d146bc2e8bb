import type { OnlineSessionList } from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (auth.ts), `GET /api/system/sessions`, `DELETE /api/system/sessions/:id`.
export type { OnlineSession, OnlineSessionList } from '@rongjian/shared/api';

export interface SessionQuery {
  keyword?: string | undefined;
  after?: number | undefined;
  limit: number;
}

const sessionsKey = ['security', 'sessions'] as const;

/** Online sessions; refreshed every 30 s so the page stays close to who is really signed in. */
export function useOnlineSessions(q: SessionQuery) {
  return useQuery({
    queryKey: [...sessionsKey, q],
    queryFn: ({ signal }) => api.get<OnlineSessionList>('/api/system/sessions', { ...q }, signal),
    placeholderData: (prev) => prev,
    refetchInterval: 30_000,
  });
}

/** 强制下线: the session ends; that user's next request is answered 401 and their browser goes to the login page. */
export function useForceLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/system/sessions/${encodeURIComponent(id)}`),
    onSettled: () => qc.invalidateQueries({ queryKey: sessionsKey }),
  });
}

const BROWSERS: [RegExp, string][] = [
  [/Edg\/(\d+)/, 'Edge'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/Chrom(?:e|ium)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+).*Safari/, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** `Chrome 120 · Windows` from a user-agent string, for the table (the full string is in the tooltip). */
export function describeUserAgent(ua: string | null): string {
  if (!ua) return '—';
  let browser = '其他浏览器';
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  const os = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  return os ? `${browser} · ${os}` : browser;
}
