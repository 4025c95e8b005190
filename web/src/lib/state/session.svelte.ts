import type { User } from '@mlx-manager/contract';

/**
 * Who is signed in. The session itself is the httpOnly cookie the server set; this only
 * mirrors `GET /api/auth/me` so the UI can show the email and admin-only parts.
 */
class Session {
  user = $state<User | null>(null);

  readonly isAdmin = $derived(this.user?.is_admin === true);

  set(user: User): void {
    this.user = user;
  }

  clear(): void {
    this.user = null;
  }
}

export const session = new Session();
