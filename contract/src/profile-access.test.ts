import { describe, expect, it } from 'vitest';
import { isLoopbackHost, mayManageProfile, mayReadEngineOutput, programFieldChanges, programFieldsSet } from './profile-access.js';
import { CreateProfileRequest, ProfileFields, UpdateProfileRequest, isIpOrLocalhost, modelProblem } from './profiles.js';

const base = ProfileFields.parse({ name: 'p', engine: 'mlx-lm', model: 'org/m', port: 9000 });

describe('modelProblem', () => {
  it.each(['org/model', 'mlx-community/Qwen3-8B-4bit', '/Users/me/Models/My Model.gguf', '/opt/m/model-q4_k.gguf'])('accepts %s', (m) => {
    expect(modelProblem(m)).toBeNull();
  });
  it.each(['/x; id > /tmp/pwned', '-rf', '--help', 'relative/path/x', "/x'y", '/x"y', '/x\ny', '/a$(id)', '/a`id`', '/a|b', '/a&b'])('refuses %j', (m) => {
    expect(modelProblem(m)).not.toBeNull();
  });
  it('is applied by the create and update schemas', () => {
    expect(CreateProfileRequest.safeParse({ name: 'x', engine: 'custom', model: '/x; id' }).success).toBe(false);
    expect(UpdateProfileRequest.safeParse({ model: '/x; id > /tmp/pwned' }).success).toBe(false);
    expect(UpdateProfileRequest.safeParse({ model: '/ok path/m' }).success).toBe(true);
  });
});

describe('hosts', () => {
  it('accepts IP literals and localhost, never a DNS name', () => {
    for (const h of ['127.0.0.1', '0.0.0.0', '::', '::1', '192.168.1.20', 'fe80::1', 'localhost']) expect(isIpOrLocalhost(h)).toBe(true);
    for (const h of ['example.invalid', 'my-mac.local', '256.1.1.1', '1.2.3', '']) expect(isIpOrLocalhost(h)).toBe(false);
    expect(UpdateProfileRequest.safeParse({ host: 'example.invalid' }).success).toBe(false);
  });
  it('knows loopback', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.2'].some(isLoopbackHost)).toBe(false);
  });
});

describe('program fields', () => {
  it('lists what a profile holds', () => {
    expect(programFieldsSet(base)).toEqual([]);
    expect(programFieldsSet({ ...base, engine: 'custom', env: { A: '' }, trust_remote_code: true, host: '0.0.0.0' })).toEqual(['engine', 'env', 'trust_remote_code', 'host']);
  });
  it('counts a change to an empty value as a change', () => {
    const stored = { ...base, env: { HF_TOKEN: 'x' }, extra_args: ['--a'] };
    expect(programFieldChanges(stored, { ...stored, env: {} })).toEqual(['env']);
    expect(programFieldChanges(stored, { ...stored, extra_args: [] })).toEqual(['extra_args']);
    expect(programFieldChanges(stored, { ...stored, env: { HF_TOKEN: 'x' } })).toEqual([]);
  });
  it('lets a harmless engine or loopback host through, not custom or a wider host', () => {
    expect(programFieldChanges(base, { ...base, engine: 'vllm-mlx', host: 'localhost' })).toEqual([]);
    expect(programFieldChanges(base, { ...base, engine: 'custom', host: '0.0.0.0', trust_remote_code: true })).toEqual(['engine', 'trust_remote_code', 'host']);
  });
  it('lets a non-admin manage only their own profile without program fields', () => {
    const mine = { ...base, created_by: 'u1' };
    expect(mayManageProfile({ id: 'u1', isAdmin: false }, mine)).toBe(true);
    expect(mayManageProfile({ id: 'u2', isAdmin: false }, mine)).toBe(false);
    expect(mayManageProfile({ id: 'u1', isAdmin: false }, { ...mine, env: { A: 'b' } })).toBe(false);
    expect(mayManageProfile({ id: 'u1', isAdmin: false }, { ...mine, created_by: null })).toBe(false);
    expect(mayManageProfile({ id: 'a', isAdmin: true }, { ...mine, engine: 'custom' })).toBe(true);
  });
});

describe('mayReadEngineOutput', () => {
  it('lets admins and the creator read, nobody else (an unowned profile: admins only)', () => {
    expect(mayReadEngineOutput({ id: 'a', isAdmin: true }, { created_by: 'u1' })).toBe(true);
    expect(mayReadEngineOutput({ id: 'u1', isAdmin: false }, { created_by: 'u1' })).toBe(true);
    expect(mayReadEngineOutput({ id: 'u2', isAdmin: false }, { created_by: 'u1' })).toBe(false);
    expect(mayReadEngineOutput({ id: 'u2', isAdmin: false }, { created_by: null })).toBe(false);
  });
});
