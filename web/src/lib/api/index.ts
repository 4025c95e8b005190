import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { createApi } from './api.js';
import { session } from '$lib/state/session.svelte.js';

export { ApiClientError, isApiError, messageOf } from './errors.js';

/**
 * The app's API. A protected call answering 401 means the session ended (expired, user
 * disabled or deleted): forget the user and go to the login page, remembering where we were.
 */
export const api = createApi({
  onUnauthenticated: () => {
    session.clear();
    if (window.location.pathname !== '/login') {
      const next = window.location.pathname + window.location.search;
      void goto(resolve(`/login?next=${encodeURIComponent(next)}&ended=1`), { replaceState: true });
    }
  },
});
