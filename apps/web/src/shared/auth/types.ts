/** The signed-in user, as the server's auth routes return it (contract in `@rongjian/shared/api`). */
export type { SessionUserView as SessionUser } from '@rongjian/shared/api';
