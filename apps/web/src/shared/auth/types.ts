/** The signed-in user as `GET /api/auth/me` and `POST /api/auth/login` return it. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  departmentId: number;
  departmentName: string;
  isDemo: boolean;
  roles: { code: string; name: string }[];
  permissions: string[];
  csrfToken: string;
}
