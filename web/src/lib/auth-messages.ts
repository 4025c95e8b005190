import type { Pathname } from '$app/types';
import { ApiClientError } from './api/errors.js';

/**
 * What the login/register form says for a failed call: one distinct sentence per situation
 * (wrong password, pending, disabled, taken email, too many tries), keyed by the server's code.
 */
export function authErrorMessage(error: unknown, mode: 'login' | 'register'): string {
  if (!(error instanceof ApiClientError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'Invalid email or password.';
    case 'account_pending':
      return 'Your account is waiting for an administrator to approve it. Try again once you have been approved.';
    case 'account_disabled':
      return 'This account has been disabled. Ask an administrator to enable it.';
    case 'conflict':
      return mode === 'register' ? 'An account with this email already exists. Sign in instead.' : error.message;
    case 'rate_limited':
      return 'Too many attempts. Wait a minute, then try again.';
    case 'registration_closed':
      return `Registration is closed right now. ${error.message.includes('waiting') ? 'Too many accounts wait for approval; try again later.' : 'Ask an administrator to create your account.'}`;
    default:
      return error.message;
  }
}

/** Only same-site paths are accepted as the place to go after login (no open redirect). */
export function safeNext(next: string | null): Pathname {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/dashboard';
  if (next === '/login' || next.startsWith('/login?')) return '/dashboard';
  return next as Pathname; // checked above: a same-site absolute path
}
