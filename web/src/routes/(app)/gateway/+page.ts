import { redirect } from '@sveltejs/kit';

// The gateway's first tab is its log (every user has one); providers and routes are beside it.
export function load(): never {
  redirect(307, '/gateway/logs');
}
