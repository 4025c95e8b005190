import { describe, expect, it } from 'vitest';
import { ApiClientError } from './api/errors.js';
import { authErrorMessage, safeNext } from './auth-messages.js';

describe('authErrorMessage', () => {
  const error = (status: number, code: string, message = 'raw') => new ApiClientError(status, code, message);

  it('gives pending, disabled and wrong-password their own sentences', () => {
    const pending = authErrorMessage(error(403, 'account_pending'), 'login');
    const disabled = authErrorMessage(error(403, 'account_disabled'), 'login');
    const wrong = authErrorMessage(error(401, 'invalid_credentials'), 'login');
    expect(pending).toMatch(/waiting for an administrator/);
    expect(disabled).toMatch(/disabled/);
    expect(wrong).toBe('Invalid email or password.');
    expect(new Set([pending, disabled, wrong]).size).toBe(3);
  });

  it('explains a taken email on register and otherwise passes the server message through', () => {
    expect(authErrorMessage(error(409, 'conflict'), 'register')).toMatch(/already exists/);
    expect(authErrorMessage(error(400, 'validation_failed', 'email: must be a valid email address'), 'register')).toBe(
      'email: must be a valid email address',
    );
    expect(authErrorMessage(new Error('boom'), 'login')).toBe('Something went wrong. Try again.');
  });
});

describe('safeNext', () => {
  it.each([
    [null, '/dashboard'],
    ['/users', '/users'],
    ['/keys?x=1', '/keys?x=1'],
    ['//evil.example', '/dashboard'],
    ['/\\evil.example', '/dashboard'],
    ['https://evil.example/', '/dashboard'],
    ['/login', '/dashboard'],
  ])('%s → %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
