import { redirect } from '@sveltejs/kit';

// The dashboard is the landing page (the protected layout sends strangers to /login).
export function load(): never {
  redirect(307, '/dashboard');
}
