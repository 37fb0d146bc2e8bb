import type {
  CalendarOverride,
  CalendarYear,
  ComputeResult,
  OverrideKind,
  YearCoverage,
} from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (calendar.ts). Days are `YYYY-MM-DD` strings.

export type {
  CalendarOverride,
  CalendarYear,
  ComputeResult,
  OverrideKind,
  YearCoverage as Coverage,
} from '@rongjian/shared/api';

export interface YearScheduleInput {
  holidays: string[];
  workdays: string[];
  note: string;
}

export const COVERAGE_LABELS: Record<YearCoverage, string> = {
  official: '国务院公布的官方安排',
  entered: '管理员手工录入',
  missing: '未收录',
};

export const KIND_LABELS: Record<OverrideKind, string> = {
  workday: '工作日（上班）',
  holiday: '休息日（不上班）',
};

export const calendarKeys = {
  all: ['calendar'] as const,
  year: (year: number) => ['calendar', 'year', year] as const,
  compute: (start: string, add: number) => ['calendar', 'compute', start, add] as const,
};

export function useCalendarYear(year: number) {
  return useQuery({
    queryKey: calendarKeys.year(year),
    queryFn: ({ signal }) => api.get<CalendarYear>('/api/system/calendar', { year }, signal),
    placeholderData: (prev) => prev,
  });
}

/** Every calendar change can move any computed deadline, so all calendar queries are refreshed. */
function useCalendarMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: calendarKeys.all }),
  });
}

export function useSetOverride() {
  return useCalendarMutation((o: CalendarOverride) =>
    api.put<CalendarOverride>(`/api/system/calendar/overrides/${o.day}`, { kind: o.kind, note: o.note }),
  );
}

export function useDeleteOverride() {
  return useCalendarMutation((day: string) => api.delete(`/api/system/calendar/overrides/${day}`));
}

export function useEnterYearSchedule() {
  return useCalendarMutation(({ year, ...body }: YearScheduleInput & { year: number }) =>
    api.post<CalendarYear>(`/api/system/calendar/years/${year}`, body),
  );
}

/** The `add`-th working day after `start` (the start day itself never counts). */
export function useAddWorkdays(input: { start: string; add: number } | null) {
  return useQuery({
    queryKey: calendarKeys.compute(input?.start ?? '', input?.add ?? 0),
    queryFn: ({ signal }) =>
      api.get<ComputeResult>(
        '/api/system/calendar/compute',
        { start: input!.start, add: input!.add },
        signal,
      ),
    enabled: input !== null,
  });
}
