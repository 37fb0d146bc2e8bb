import type {
  PublicChallenge,
  PublicClueCreated,
  PublicClueIntakeInput,
  PublicClueProgress,
} from '@rongjian/shared/api';
import { ApiError, api } from '../shared/api/client.ts';

/** 公众入口 calls (no session): the challenge, the submission, the progress and attachments. */
export const getChallenge = () => api.get<PublicChallenge>('/api/public/challenge');

async function send<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'omit', ...init });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
  }
  const data = (await res.json().catch(() => null)) as
    | (T & { code?: string; message?: string; details?: { path: string; message: string }[] })
    | null;
  if (!res.ok) {
    throw new ApiError(
      res.status,
      data?.code ?? `HTTP_${res.status}`,
      data?.message ?? `请求失败（HTTP ${res.status}）`,
      data?.details,
    );
  }
  return data as T;
}

/**
 * Submit the form. `idempotencyKey` stays the same for retries of one submission (a lost answer does not create
 * a second clue).
 */
export const submitClue = (body: PublicClueIntakeInput, idempotencyKey: string) =>
  send<PublicClueCreated>('/api/public/clues', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': idempotencyKey,
    },
    body: JSON.stringify(body),
  });

export const getProgress = (number: string, code: string) =>
  api.get<PublicClueProgress>(`/api/public/clues/${encodeURIComponent(number)}`, { code });

export const uploadAttachment = (number: string, code: string, file: File) => {
  const data = new FormData();
  data.append('file', file);
  return send<{ sha256: string; duplicate: boolean }>(
    `/api/public/clues/${encodeURIComponent(number)}/attachments?code=${encodeURIComponent(code)}`,
    { method: 'POST', body: data },
  );
};

/** The server's SVG as an image source (an <img> never runs anything inside it). */
export const svgSrc = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
