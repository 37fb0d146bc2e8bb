import type { PiiRevealRequest, PiiRevealResponse } from '@rongjian/shared/api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client.ts';

// Server contract: `@rongjian/shared/api` (pii.ts).

/** The issue's `pii:reveal`, as a three-segment permission. */
export const PII_REVEAL_PERMISSION = 'pii:value:reveal';
/** How long a revealed value stays on screen. */
export const REVEAL_SECONDS = 30;

export interface RevealInput {
  objectType: string;
  objectId: number;
  field: string;
  reason: string;
}

/**
 * Reveal one value. A mutation, not a query: the plain value is never cached, every reveal asks for a reason
 * and leaves its own audit record on the server.
 */
export function useRevealPii() {
  return useMutation({
    mutationFn: (input: RevealInput) =>
      api.post<PiiRevealResponse>('/api/pii/reveal', input satisfies PiiRevealRequest),
  });
}
