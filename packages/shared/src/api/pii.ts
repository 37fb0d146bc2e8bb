import { z } from 'zod';

/**
 * Personal-information vault contracts (`/api/pii/*`). Every other API returns personal data masked
 * (`phoneMasked: '138****1234'`); the plain value comes only from reveal, with a typed reason, and is audited.
 * Permission: `pii:value:reveal` (the issue's `pii:reveal`).
 */
export const PII_REVEAL_PERMISSION = 'pii:value:reveal';

/** How long the web shows a revealed value before masking it again. */
export const PII_REVEAL_SECONDS = 30;

export const piiRevealRequestSchema = z.strictObject({
  /** Registered object type, e.g. `user`. */
  objectType: z.string().trim().min(1).max(50),
  objectId: z.number().int().positive(),
  /** Registered field of that object, e.g. `phone`. */
  field: z.string().trim().min(1).max(50),
  reason: z
    .string({ error: '请填写查看理由' })
    .trim()
    .min(2, '查看理由至少 2 个字')
    .max(200, '查看理由不超过 200 个字'),
});
export type PiiRevealRequest = z.input<typeof piiRevealRequestSchema>;

export const piiRevealResponseSchema = z.object({ value: z.string() });
export type PiiRevealResponse = z.infer<typeof piiRevealResponseSchema>;
