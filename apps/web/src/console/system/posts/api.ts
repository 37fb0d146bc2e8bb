import type { Post, PostList } from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (org.ts), routes under `/api/system/posts`.
export type { Post, PostList } from '@rongjian/shared/api';

export interface PostInput {
  code: string;
  name: string;
}

export const postKeys = {
  all: ['system', 'posts'] as const,
  list: (q: { keyword?: string | undefined; after?: number | undefined; limit: number }) =>
    ['system', 'posts', 'list', q] as const,
};

export function usePosts(q: { keyword?: string | undefined; after?: number | undefined; limit: number }) {
  return useQuery({
    queryKey: postKeys.list(q),
    queryFn: ({ signal }) => api.get<PostList>('/api/system/posts', q, signal),
    placeholderData: (prev) => prev,
  });
}

/** Posts also appear in the user pages' filters and forms: refresh those too. */
function usePostMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: postKeys.all });
      await qc.invalidateQueries({ queryKey: ['system', 'users'] });
    },
  });
}

export function useCreatePost() {
  return usePostMutation((input: PostInput) => api.post<Post>('/api/system/posts', input));
}

export function useUpdatePost() {
  return usePostMutation(({ id, ...input }: PostInput & { id: number }) =>
    api.put<Post>(`/api/system/posts/${id}`, input),
  );
}

export function useDeletePost() {
  return usePostMutation((id: number) => api.delete(`/api/system/posts/${id}`));
}
