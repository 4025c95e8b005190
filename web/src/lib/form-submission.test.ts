import { describe, expect, it } from 'vitest';
import { ApiClientError } from './api/errors.js';
import { FormSubmission } from './form-submission.svelte.js';

describe('FormSubmission', () => {
  it("stops at the form's own problems without saving", async () => {
    const form = new FormSubmission(['name']);
    let saved = 0;
    await form.submit({ name: 'Enter a name.' }, async () => ++saved, () => undefined);
    expect(saved).toBe(0);
    expect(form.errors).toEqual({ name: 'Enter a name.' });
  });

  it('saves, is busy only while saving, and clears the last messages', async () => {
    const form = new FormSubmission(['name']);
    form.summary = 'old';
    let busyWhileSaving = false;
    let got: string | undefined;
    await form.submit({}, async () => {
      busyWhileSaving = form.saving;
      return 'ok';
    }, (v) => (got = v));
    expect([busyWhileSaving, form.saving, got, form.summary, form.errors]).toEqual([true, false, 'ok', undefined, {}]);
  });

  it("puts the server's field issues under known fields and the rest in the summary", async () => {
    const form = new FormSubmission(['name']);
    const refuse = () => Promise.reject(new ApiClientError(400, 'validation_failed', 'Invalid', { name: 'at least 3 characters', port: 'already used' }));
    await form.submit({}, refuse, () => undefined);
    expect(form.errors).toEqual({ name: 'Use at least 3 characters.' });
    expect(form.summary).toBe('Already used.');
    await form.submit({}, () => Promise.reject(new ApiClientError(409, 'conflict', 'A provider named "x" already exists')), () => undefined);
    expect([form.errors, form.summary]).toEqual([{}, 'A provider named "x" already exists']);
  });
});
