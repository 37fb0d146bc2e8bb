import { z } from 'zod';

/** The signed-in user, as `POST /api/auth/login` and `GET /api/auth/me` return it. */
export const sessionUserSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  isDemo: z.boolean(),
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  csrfToken: z.string(),
});
export type SessionUserView = z.infer<typeof sessionUserSchema>;
