import { describe, expect, it } from 'vitest';
import { draftOf, patchFrom, settingFields } from './settings-form.js';

const stored = {
  registration_open: true,
  max_pending_users: 50,
  v1_open_on_loopback: false,
  gateway_allow_private_upstreams: true,
  memory_budget_fraction: 0.75,
  audit_retention_days: 30,
};

describe('settings form', () => {
  const fields = settingFields(stored);

  it('labels every known key and groups them', () => {
    expect(fields.map((f) => f.group)).toEqual(['Accounts', 'Accounts', 'Gateway', 'Gateway', 'Resources', 'Resources']);
    expect(fields.find((f) => f.key === 'memory_budget_fraction')).toMatchObject({ kind: 'percent' });
  });

  it('still shows a key it does not know, by the type of its value', () => {
    const more = settingFields({ ...stored, hub_endpoint: 'https://mirror.example', new_flag: false });
    expect(more.slice(-2)).toEqual([
      { key: 'hub_endpoint', group: 'Other', label: 'Hub endpoint', hint: '', kind: 'text' },
      { key: 'new_flag', group: 'Other', label: 'New flag', hint: '', kind: 'boolean' },
    ]);
  });

  it('an untouched draft sends nothing; a percent is edited as 0–100', () => {
    const draft = draftOf(stored, fields);
    expect(draft.memory_budget_fraction).toBe('75');
    expect(patchFrom(stored, fields, draft)).toEqual({ patch: {}, errors: {} });
  });

  it('sends only what changed, converted back to the stored units', () => {
    const draft = { ...draftOf(stored, fields), registration_open: false, memory_budget_fraction: '60', audit_retention_days: ' 7 ' };
    expect(patchFrom(stored, fields, draft)).toEqual({
      patch: { registration_open: false, memory_budget_fraction: 0.6, audit_retention_days: 7 },
      errors: {},
    });
  });

  it('refuses out-of-range and non-numeric values in plain words, before asking the server', () => {
    const draft = { ...draftOf(stored, fields), memory_budget_fraction: '150', audit_retention_days: 'soon', max_pending_users: '2.5' };
    const { patch, errors } = patchFrom(stored, fields, draft);
    expect(patch).toEqual({});
    expect(errors.memory_budget_fraction).toBe('Enter a share from 1 to 100.');
    expect(errors.audit_retention_days).toBe('Enter a number.');
    expect(errors.max_pending_users).toMatch(/\.$/);
  });

  describe('hub token and address', () => {
    const withHub = { ...stored, hf_token: 'hf_…abcd', hf_endpoint: '' };
    const hubFields = settingFields(withHub);

    it('groups them under the hub, the token as a secret', () => {
      expect(hubFields.filter((f) => f.group === 'Hugging Face hub').map((f) => [f.key, f.kind])).toEqual([
        ['hf_token', 'secret'],
        ['hf_endpoint', 'text'],
      ]);
    });

    it('never puts the stored hint in the form, and an empty secret keeps the stored one', () => {
      const draft = draftOf(withHub, hubFields);
      expect(draft.hf_token).toBe('');
      expect(patchFrom(withHub, hubFields, draft)).toEqual({ patch: {}, errors: {} });
    });

    it('a typed token replaces it; a typed address is checked before sending', () => {
      const draft = { ...draftOf(withHub, hubFields), hf_token: ' hf_newTokenValue9876 ', hf_endpoint: 'https://hub.example' };
      expect(patchFrom(withHub, hubFields, draft)).toEqual({ patch: { hf_token: 'hf_newTokenValue9876', hf_endpoint: 'https://hub.example' }, errors: {} });
      const bad = patchFrom(withHub, hubFields, { ...draft, hf_endpoint: 'hub.example', hf_token: 'hf_with space' });
      expect(bad.patch).toEqual({});
      expect(Object.keys(bad.errors).sort()).toEqual(['hf_endpoint', 'hf_token']);
      expect(bad.errors.hf_endpoint).toMatch(/http/);
    });
  });

  it('the log level is a choice whose empty value means "as configured"', () => {
    const withLevel = { ...stored, log_level: '' };
    const levelFields = settingFields(withLevel);
    const field = levelFields.find((f) => f.key === 'log_level');
    expect(field).toMatchObject({ group: 'Server', kind: 'choice' });
    expect(field?.choices?.[0]).toEqual(['', 'As configured']);
    const draft = draftOf(withLevel, levelFields);
    expect(draft.log_level).toBe('');
    expect(patchFrom(withLevel, levelFields, { ...draft, log_level: 'debug' }).patch).toEqual({ log_level: 'debug' });
    expect(patchFrom(withLevel, levelFields, { ...draft, log_level: 'chatty' }).errors.log_level).toBeDefined();
  });
});
