import type { InboxCounts, InboxPage } from '@rongjian/shared/api';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (inbox.ts), `/api/inbox*`.
export type { InboxCounts, InboxItem, InboxPage } from '@rongjian/shared/api';

export const inboxKeys = {
  all: ['inbox'] as const,
  counts: ['inbox', 'counts'] as const,
  list: (box: string, source: string | undefined, sort: string, after: string | undefined, limit: number) =>
    ['inbox', 'list', box, source ?? null, sort, after ?? null, limit] as const,
};

export interface InboxListQuery {
  box: 'todo' | 'done';
  source?: string | undefined;
  sort: 'due' | 'created';
}

export function useInbox(q: InboxListQuery, after: string | undefined, limit: number) {
  return useQuery({
    queryKey: inboxKeys.list(q.box, q.source, q.sort, after, limit),
    queryFn: ({ signal }) =>
      api.get<InboxPage>('/api/inbox', { box: q.box, source: q.source, sort: q.sort, after, limit }, signal),
    placeholderData: keepPreviousData,
  });
}

/** The badge numbers; kept fresh by `useInboxStream` (mounted once by the header), polled as a fallback. */
export function useInboxCounts(enabled = true) {
  return useQuery({
    queryKey: inboxKeys.counts,
    queryFn: ({ signal }) => api.get<InboxCounts>('/api/inbox/counts', undefined, signal),
    refetchInterval: 120_000,
    enabled,
  });
}

/**
 * Live counts over SSE (`GET /api/inbox/stream`): every `counts` event replaces the cached counts and refreshes
 * the open inbox lists. The browser's EventSource reconnects by itself (the server asks for 3 s); the first event
 * after a reconnect carries the current counts, so nothing missed while offline stays stale.
 */
export function useInboxStream(enabled: boolean) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/inbox/stream');
    const onCounts = (e: MessageEvent<string>) => {
      try {
        qc.setQueryData(inboxKeys.counts, JSON.parse(e.data) as InboxCounts);
        void qc.invalidateQueries({ queryKey: ['inbox', 'list'] });
      } catch {
        // A malformed event: the next one or the poll repairs the numbers.
      }
    };
    source.addEventListener('counts', onCounts);
    return () => {
      source.removeEventListener('counts', onCounts);
      source.close();
    };
  }, [enabled, qc]);
}
