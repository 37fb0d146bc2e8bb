import type { EditableField, EntityMatchPage, EntityMergePage, EntityProvenance } from '@rongjian/shared/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (fusion.ts).
export type {
  EditableField,
  EntityMatch,
  EntityMatchPage,
  EntityMerge,
  EntityMergePage,
  EntityProvenance,
  FieldAlternative,
  FieldProvenanceView,
  MatchSide,
} from '@rongjian/shared/api';
export { FIELD_RULE_LABELS, FUSED_FIELD_LABELS } from '@rongjian/shared/api';

export type MatchTab = 'pending' | 'decided';

export const fusionKeys = {
  all: ['fusion'] as const,
  matches: (status: MatchTab, after: number | undefined, limit: number) =>
    ['fusion', 'matches', status, after ?? null, limit] as const,
  merges: (after: number | undefined, limit: number) => ['fusion', 'merges', after ?? null, limit] as const,
  provenance: (id: number) => ['fusion', 'provenance', id] as const,
};

export function useMatches(status: MatchTab, after: number | undefined, limit: number) {
  return useQuery({
    queryKey: fusionKeys.matches(status, after, limit),
    queryFn: ({ signal }) =>
      api.get<EntityMatchPage>('/api/fusion/matches', { status, after, limit }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMerges(after: number | undefined, limit: number) {
  return useQuery({
    queryKey: fusionKeys.merges(after, limit),
    queryFn: ({ signal }) => api.get<EntityMergePage>('/api/fusion/merges', { after, limit }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useProvenance(id: number) {
  return useQuery({
    queryKey: fusionKeys.provenance(id),
    queryFn: ({ signal }) =>
      api.get<EntityProvenance>(`/api/fusion/entities/${id}/provenance`, undefined, signal),
    enabled: Number.isInteger(id) && id > 0,
  });
}

interface MergeResult {
  mergeId: number;
  survivor: { id: number; name: string };
  absorbed: { id: number; name: string };
}

/** Every fusion change may alter entities, profiles, queues and histories: refresh them all. */
function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: fusionKeys.all });
    void qc.invalidateQueries({ queryKey: ['entities'] });
  };
}

export function useConfirmMatch() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, note, survivorId }: { id: number; note: string; survivorId: number }) =>
      api.post<MergeResult>(`/api/fusion/matches/${id}/confirm`, { note, survivorId }),
    onSuccess: invalidate,
  });
}

export function useRejectMatch() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, note }: { id: number; note: string }) =>
      api.post<void>(`/api/fusion/matches/${id}/reject`, { note }),
    onSuccess: invalidate,
  });
}

export function useMergeEntities() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { survivorId: number; absorbedId: number; reason: string }) =>
      api.post<MergeResult>('/api/fusion/merges', body),
    onSuccess: invalidate,
  });
}

export function useRevertMerge() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) =>
      api.post<MergeResult>(`/api/fusion/merges/${id}/revert`, { reason }),
    onSuccess: invalidate,
  });
}

interface ManualResult {
  field: EditableField;
  label: string;
  before: unknown;
  after: unknown;
  inUse: boolean;
}

export function useEditField(entityId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { field: EditableField; value: string; reason: string }) =>
      api.put<ManualResult>(`/api/fusion/entities/${entityId}/fields`, body),
    onSuccess: invalidate,
  });
}

export function useAdoptValue(entityId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { field: EditableField; recordId: number; reason: string }) =>
      api.post<ManualResult>(`/api/fusion/entities/${entityId}/fields/adopt`, body),
    onSuccess: invalidate,
  });
}

const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour12: false,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
export const dateTime = (iso: string | null) => (iso ? dateTimeFormat.format(new Date(iso)) : '—');
