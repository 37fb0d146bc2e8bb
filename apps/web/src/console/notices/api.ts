import type { MyNoticePage } from '@rongjian/shared/api';
import { NOTICE_PUBLISHED_EVENT } from '@rongjian/shared/api';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (notices.ts), `/api/notices*`.
export type { MyNotice, MyNoticePage } from '@rongjian/shared/api';
export { NOTICE_KIND_LABELS } from '@rongjian/shared/api';

/** Under the `notices` root, so that the administrators' changes refresh the readers' views too. */
export const myNoticeKeys = {
  all: ['notices', 'mine'] as const,
  list: (unreadOnly: boolean) => ['notices', 'mine', 'list', unreadOnly] as const,
  unread: ['notices', 'mine', 'unread'] as const,
};

export function useMyNotices(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: myNoticeKeys.list(unreadOnly),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<MyNoticePage>(
        '/api/notices',
        { after: pageParam, limit: 20, unread: unreadOnly || undefined },
        signal,
      ),
    getNextPageParam: (last) => last.nextAfter ?? undefined,
  });
}

/** Unread notices addressed to me, polled every minute (the bell also listens to the event stream). */
export function useUnreadCount() {
  return useQuery({
    queryKey: myNoticeKeys.unread,
    queryFn: ({ signal }) => api.get<{ count: number }>('/api/notices/unread-count', undefined, signal),
    refetchInterval: 60_000,
    select: (d) => d.count,
  });
}

/**
 * Refresh the notice views at once when the event stream says a notice was published. The event carries no title
 * or audience, so whether it concerns me is asked of the server. Mounted once, by the header bell.
 */
export function useNoticeEvents() {
  const qc = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events/stream');
    const onLedger = (e: MessageEvent<string>) => {
      try {
        if ((JSON.parse(e.data) as { kind?: string }).kind === NOTICE_PUBLISHED_EVENT) {
          void qc.invalidateQueries({ queryKey: myNoticeKeys.all });
        }
      } catch {
        // Not an event of ours: ignore.
      }
    };
    source.addEventListener('ledger', onLedger);
    return () => {
      source.removeEventListener('ledger', onLedger);
      source.close();
    };
  }, [qc]);
}

function useReadMutation<V>(fn: (v: V) => Promise<{ count: number }>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (r) => {
      qc.setQueryData(myNoticeKeys.unread, r);
      void qc.invalidateQueries({ queryKey: myNoticeKeys.all });
    },
  });
}

export const useMarkRead = () =>
  useReadMutation((id: number) => api.post<{ count: number }>(`/api/notices/${id}/read`));
export const useMarkAllRead = () =>
  useReadMutation(() => api.post<{ count: number }>('/api/notices/read-all'));
