import { ApiClientError } from './api/errors.js';

/**
 * Turns a failed form submission into what the form shows: one plain sentence under each field
 * the server named, and a summary only for what no field can hold. A validation answer
 * ("Invalid body: email: must be a valid email address") thus shows once, under the email field,
 * instead of raw and twice.
 */
export interface FormErrors {
  fields: Record<string, string>;
  summary: string | undefined;
}

/** Loose on purpose (the server has the final word): something@something.tld, no spaces. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

export function looksLikeEmail(value: string): boolean {
  return EMAIL_SHAPE.test(value.trim());
}

export const EMAIL_HINT = 'Enter an email address like name@example.com.';

/** One server field message (zod wording) in plain words. */
export function plainFieldMessage(field: string, raw: string): string {
  const text = raw.trim();
  if (/email/i.test(field) && /email|invalid|format/i.test(text)) return EMAIL_HINT;
  const atLeast = /at least (\d+)|>=\s*(\d+)/i.exec(text);
  if (atLeast && /char|string|too small/i.test(text)) return `Use at least ${atLeast[1] ?? atLeast[2]} characters.`;
  const atMost = /at most (\d+)|<=\s*(\d+)/i.exec(text);
  if (atMost && /char|string|too big/i.test(text)) return `Use at most ${atMost[1] ?? atMost[2]} characters.`;
  if (/^required$|received undefined/i.test(text)) return 'This field is required.';
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * @param known the fields this form shows; issues on other fields go to the summary.
 * @param describe the sentence for errors that are not about fields (wrong password, conflict…).
 */
export function formErrors(error: unknown, known: readonly string[], describe: (error: unknown) => string): FormErrors {
  if (!(error instanceof ApiClientError) || Object.keys(error.fields).length === 0) {
    return { fields: {}, summary: describe(error) };
  }
  const fields: Record<string, string> = {};
  const others: string[] = [];
  for (const [field, message] of Object.entries(error.fields)) {
    if (known.includes(field)) fields[field] = plainFieldMessage(field, message);
    else others.push(plainFieldMessage(field, message));
  }
  return { fields, summary: others.length > 0 ? others.join(' ') : undefined };
}
