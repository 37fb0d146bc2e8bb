import type {
  ClueCreated,
  ClueDetail,
  ClueIntakeInput,
  ClueKind,
  CluePage,
  ClueReplyInput,
  ClueReplyResult,
  ClueSortingInput,
  ClueSplitInput,
  ClueSplitResult,
  ClueStatus,
  ClueTransitionInput,
  DuplicateCandidate,
  EntityPage,
  MergeQueueItem,
  RefusalGround,
  SatisfactionInput,
  SavedView,
  SavedViewInput,
} from '@rongjian/shared/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../shared/api/client.ts';

// Server contracts: `@rongjian/shared/api` (clues.ts, clue-sorting.ts, workorders.ts, prefs.ts).

export type {
  ClueDetail,
  ClueEvent,
  CluePage,
  ClueSummary,
  DuplicateCandidate,
  MergeQueueItem,
  RefusalGround,
  SavedView,
} from '@rongjian/shared/api';

/** Every filter of `GET /api/clues` (and of the export), as the list page keeps them. */
export interface ClueFilter {
  q?: string | undefined;
  status?: ClueStatus[] | undefined;
  kind?: ClueKind | undefined;
  channel?: string | undefined;
  businessLine?: string | undefined;
  category12315?: string | undefined;
  departmentId?: number | undefined;
  gridId?: number | undefined;
  entityId?: number | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  includeMerged?: boolean | undefined;
}

/** The query string of a filter: arrays as repeated parameters (`status=a&status=b`), blanks left out. */
export function clueQuery(f: ClueFilter, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

export const clueKeys = {
  all: ['clues'] as const,
  list: (f: ClueFilter, after: string | undefined, limit: number) =>
    ['clues', 'list', f, after ?? null, limit] as const,
  detail: (id: number) => ['clues', 'detail', id] as const,
  mergeQueue: (after: number | undefined) => ['clues', 'merge-queue', after ?? null] as const,
  savedViews: (page: string) => ['me', 'saved-views', page] as const,
};

export function useClues(f: ClueFilter, after: string | undefined, limit: number, enabled = true) {
  return useQuery({
    enabled,
    queryKey: clueKeys.list(f, after, limit),
    queryFn: ({ signal }) =>
      request<CluePage>('GET', `/api/clues${clueQuery(f, { after, limit })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useClue(id: number) {
  return useQuery({
    queryKey: clueKeys.detail(id),
    queryFn: ({ signal }) => api.get<ClueDetail>(`/api/clues/${id}`, undefined, signal),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useIntake() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ClueIntakeInput) => api.post<ClueCreated>('/api/clues', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['clues', 'list'] }),
  });
}

/** After any change of one clue: the server's answer is the new detail; lists and the queue refresh. */
function useClueMutation<I, O>(fn: (input: I) => Promise<O>, clueId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: clueKeys.detail(clueId) });
      void qc.invalidateQueries({ queryKey: ['clues', 'list'] });
      void qc.invalidateQueries({ queryKey: ['clues', 'merge-queue'] });
      void qc.invalidateQueries({ queryKey: ['deadlines'] });
    },
  });
}

export function useTransition(clueId: number) {
  const qc = useQueryClient();
  const m = useClueMutation(
    (input: ClueTransitionInput) => api.post<ClueDetail>(`/api/clues/${clueId}/transitions`, input),
    clueId,
  );
  return {
    ...m,
    mutateAsync: async (input: ClueTransitionInput) => {
      const detail = await m.mutateAsync(input);
      qc.setQueryData(clueKeys.detail(clueId), detail);
      return detail;
    },
  };
}

export function useSorting(clueId: number) {
  return useClueMutation(
    (input: ClueSortingInput) => api.post<ClueDetail>(`/api/clues/${clueId}/sorting`, input),
    clueId,
  );
}

export function useSplit(clueId: number) {
  return useClueMutation(
    (input: ClueSplitInput) => api.post<ClueSplitResult>(`/api/clues/${clueId}/split`, input),
    clueId,
  );
}

export function useReply(clueId: number) {
  return useClueMutation(
    (input: ClueReplyInput) => api.post<ClueReplyResult>(`/api/clues/${clueId}/replies`, input),
    clueId,
  );
}

export function useSatisfaction(clueId: number) {
  return useClueMutation(
    (input: SatisfactionInput) => api.post<unknown>(`/api/clues/${clueId}/satisfaction`, input),
    clueId,
  );
}

/** Upload one attachment (multipart field `file`) with the session's CSRF token. */
export function useUploadAttachment(clueId: number, csrfToken: string) {
  return useClueMutation(async (file: File) => {
    const body = new FormData();
    body.append('file', file);
    const res = await fetch(`/api/clues/${clueId}/attachments`, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrfToken },
    });
    const data = (await res.json().catch(() => ({}))) as { message?: string };
    if (!res.ok) throw new Error(data.message ?? `上传失败（HTTP ${res.status}）`);
    return data;
  }, clueId);
}

/** 经营主体 suggestions while typing the respondent (name fragment, or the first digits of the USCC). */
export function useEntitySuggestions(text: string) {
  const q = text.trim();
  const byCode = /^[0-9A-Z]{6,18}$/i.test(q);
  return useQuery({
    queryKey: ['clues', 'entity-suggest', q],
    queryFn: ({ signal }) =>
      api.get<EntityPage>(
        '/api/entities',
        { ...(byCode ? { uscc: q.toUpperCase() } : { q }), limit: 8 },
        signal,
      ),
    enabled: q.length >= 2,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

export interface DuplicateProbe {
  entityId?: number | undefined;
  respondentName?: string | undefined;
  content: string;
  receivedAt?: string | undefined;
}

/** Similar clues already on file (same respondent, similar text, within the window), before saving. */
export function useDuplicates(probe: DuplicateProbe | null) {
  return useQuery({
    queryKey: ['clues', 'duplicates', probe],
    queryFn: ({ signal }) =>
      api.get<{ items: DuplicateCandidate[] }>(
        '/api/clues/duplicates',
        {
          entityId: probe?.entityId,
          respondentName: probe?.respondentName,
          // The request line must stay well under the 16 KB header limit: 1,000 characters are plenty to compare.
          content: probe?.content.slice(0, 1000),
          receivedAt: probe?.receivedAt,
        },
        signal,
      ),
    enabled: probe !== null,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** 不予受理 grounds in force on the clue's receipt day. */
export function useRefusalGrounds(day: string, enabled: boolean) {
  return useQuery({
    queryKey: ['clues', 'refusal-grounds', day],
    queryFn: ({ signal }) =>
      api.get<{ items: RefusalGround[] }>('/api/clues/refusal-grounds', { day }, signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}

// ── saved filters (保存的筛选) ────────────────────────────────────────────────────────────────────────────────
export function useSavedViews(page: string) {
  return useQuery({
    queryKey: clueKeys.savedViews(page),
    queryFn: ({ signal }) => api.get<{ items: SavedView[] }>('/api/me/saved-views', { page }, signal),
    staleTime: 60_000,
  });
}

export function useSaveView(page: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SavedViewInput) => api.post<SavedView>('/api/me/saved-views', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: clueKeys.savedViews(page) }),
  });
}

export function useDeleteView(page: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/me/saved-views/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: clueKeys.savedViews(page) }),
  });
}

export const dateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

// ── 并案 queue ────────────────────────────────────────────────────────────────────────────────────────────────
export function useMergeQueue(after: number | undefined, limit = 20) {
  return useQuery({
    queryKey: [...clueKeys.mergeQueue(after), limit],
    queryFn: ({ signal }) =>
      api.get<{ items: MergeQueueItem[]; nextAfter: number | null }>(
        '/api/clues/merge-queue',
        { after, limit },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

/** 并案 from the queue: the absorbed clue takes the `merge` transition into the survivor, with its own version. */
export function useMergePair() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { absorbedId: number; version: number; survivorId: number; note?: string }) =>
      api.post<ClueDetail>(`/api/clues/${input.absorbedId}/transitions`, {
        action: 'merge',
        version: input.version,
        targetId: input.survivorId,
        ...(input.note ? { note: input.note } : {}),
      } satisfies ClueTransitionInput),
    onSettled: () => void qc.invalidateQueries({ queryKey: clueKeys.all }),
  });
}

export function useDismissPair() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: number; reason?: string }) =>
      api.post<unknown>(
        `/api/clues/merge-queue/${input.id}/dismiss`,
        input.reason ? { reason: input.reason } : {},
      ),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['clues', 'merge-queue'] }),
  });
}
