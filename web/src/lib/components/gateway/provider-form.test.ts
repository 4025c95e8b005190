import { describe, expect, it } from 'vitest';
import { createBody, draftOf, draftProblems, updateBody } from './provider-form.js';

describe('provider form', () => {
  it('checks name, URL and prices before asking the server', () => {
    const d = { ...draftOf(undefined), base_url: 'ftp://x', models: 'a', prices: { a: ['-1', ''] as [string, string] } };
    expect(draftProblems(d)).toEqual({ name: 'Give the provider a name.', base_url: 'The URL must start with http:// or https://.', prices: 'Prices must be numbers of dollars, 0 or more (a).' });
    expect(draftProblems({ ...d, name: 'x', base_url: 'http://u:p@h/v1', prices: {} })).toEqual({ base_url: 'Put the key in the API key field, not in the URL.' });
  });

  it('sends a typed key, keeps the stored one when left empty, removes it when asked', () => {
    const d = { ...draftOf(undefined), name: ' n ', base_url: 'http://h/v1', models: 'a\nb, a', prices: { a: ['1', '2'] as [string, string], gone: ['1', '1'] as [string, string] } };
    expect(createBody(d)).toEqual({ name: 'n', kind: 'openai-compatible', base_url: 'http://h/v1', models: ['a', 'b'], prices: { a: { input_per_mtok: 1, output_per_mtok: 2 } } });
    expect('api_key' in updateBody(d)).toBe(false);
    expect(updateBody({ ...d, api_key: 'sk-new' }).api_key).toBe('sk-new');
    expect(updateBody({ ...d, remove_key: true }).api_key).toBeNull();
  });
});
