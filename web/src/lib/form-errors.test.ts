import { describe, expect, it } from 'vitest';
import { ApiClientError } from './api/errors.js';
import { formErrors, looksLikeEmail, plainFieldMessage } from './form-errors.js';

const validation = (fields: Record<string, string>) =>
  new ApiClientError(400, 'validation_failed', `Invalid body: ${Object.entries(fields)[0]?.join(': ') ?? ''}`, fields);

describe('plainFieldMessage', () => {
  it.each([
    ['email', 'must be a valid email address', 'Enter an email address like name@example.com.'],
    ['email', 'Invalid email address', 'Enter an email address like name@example.com.'],
    ['password', 'must be at least 8 characters', 'Use at least 8 characters.'],
    ['name', 'Too big: expected string to have <=100 characters', 'Use at most 100 characters.'],
    ['name', 'Too small: expected string to have >=1 characters', 'Use at least 1 characters.'],
    ['name', 'Invalid input: expected string, received undefined', 'This field is required.'],
    ['status', 'unknown value', 'Unknown value.'],
  ])('%s: %s', (field, raw, plain) => {
    expect(plainFieldMessage(field, raw)).toBe(plain);
  });
});

describe('formErrors', () => {
  it('puts a validation error under its field only (no summary repeating it)', () => {
    const result = formErrors(validation({ email: 'must be a valid email address' }), ['email', 'password'], () => 'unused');
    expect(result).toEqual({ fields: { email: 'Enter an email address like name@example.com.' }, summary: undefined });
  });

  it('sends issues on fields the form does not show to the summary, in plain words', () => {
    const result = formErrors(validation({ surprise: 'unknown field', email: 'Invalid email' }), ['email'], () => 'unused');
    expect(result.fields).toEqual({ email: 'Enter an email address like name@example.com.' });
    expect(result.summary).toBe('Unknown field.');
  });

  it('describes errors without fields with the caller sentence', () => {
    const conflict = new ApiClientError(409, 'conflict', 'raw');
    expect(formErrors(conflict, ['email'], () => 'Taken.')).toEqual({ fields: {}, summary: 'Taken.' });
    expect(formErrors(new Error('boom'), ['email'], () => 'Something went wrong.').summary).toBe('Something went wrong.');
  });
});

describe('looksLikeEmail', () => {
  it.each([
    ['name@example.com', true],
    ['  name@example.com ', true],
    ['name@localhost', false],
    ['name example@x.com', false],
    ['no-at.example.com', false],
    ['', false],
  ])('%s → %s', (value, ok) => {
    expect(looksLikeEmail(value)).toBe(ok);
  });
});
