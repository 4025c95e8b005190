import type { ClientInit } from '@sveltejs/kit';
import { z } from 'zod';

/**
 * Runs once when the app starts in the browser. zod compiles fast validators with `new Function`
 * unless told not to; the server's Content-Security-Policy forbids eval (no 'unsafe-eval'), so
 * even zod's probe for it would be reported as a violation. Interpreted validation is plenty here.
 */
export const init: ClientInit = () => {
  z.config({ jitless: true });
};
