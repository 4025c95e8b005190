import { describe, expect, it } from 'vitest';
import type { Profile } from '@mlx-manager/contract';
import { emptyForm, engineHas, enginesFor, fieldErrorsFrom, parseForm, profileToForm, toCreateRequest, toUpdateRequest } from './profile-form.js';

const profile: Profile = {
  id: 'p1',
  name: 'Coder',
  description: 'line one\nline two',
  engine: 'mlx-openai-server',
  model: 'mlx-community/Qwen3-8B-4bit',
  model_file: null,
  model_type: 'lm',
  host: '127.0.0.1',
  port: 10240,
  context_length: 8192,
  max_concurrency: 2,
  queue_timeout_seconds: null,
  queue_size: null,
  threads: null,
  served_model_name: null,
  tool_call_parser: 'qwen3',
  reasoning_parser: 'qwen3',
  message_converter: null,
  enable_auto_tool_choice: true,
  trust_remote_code: false,
  chat_template_file: null,
  executable: null,
  command: [],
  health_path: '/v1/models',
  extra_args: ['--log-level', 'DEBUG'],
  env: { HF_HUB_OFFLINE: '1' },
  system_prompt: 'Be brief.',
  start_on_boot: false,
  idle_ttl_seconds: 600,
  start_timeout_seconds: 300,
  created_by: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};

function payloadOf(form: ReturnType<typeof emptyForm>) {
  const parsed = parseForm(form);
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.payload;
}

describe('profile form', () => {
  it('round-trips a profile through the form unchanged', () => {
    const payload = payloadOf(profileToForm(profile));
    const { id: _id, created_by: _by, created_at: _c, updated_at: _u, ...fields } = profile;
    expect(toUpdateRequest(payload)).toEqual(fields);
  });

  it('sends null for cleared optional fields on edit (reference bug 26)', () => {
    const form = profileToForm(profile);
    form.context_length = '';
    form.tool_call_parser = '  ';
    form.description = '';
    form.system_prompt = '';
    const update = toUpdateRequest(payloadOf(form));
    expect(update.context_length).toBeNull();
    expect(update.tool_call_parser).toBeNull();
    expect(update.description).toBe('');
    expect(update.system_prompt).toBe('');
    expect('context_length' in update).toBe(true);
  });

  it('leaves the port out on create when empty (auto-assigned)', () => {
    const form = emptyForm('mlx-community/Qwen3-8B-4bit');
    form.name = 'x';
    expect('port' in toCreateRequest(payloadOf(form))).toBe(false);
    form.port = '10300';
    expect(toCreateRequest(payloadOf(form)).port).toBe(10300);
  });

  it('parses argument and environment lines', () => {
    const form = emptyForm('m');
    form.name = 'x';
    form.extra_args = '--a\n\n  1  \n';
    form.env = 'A=1\nB=x=y';
    const payload = payloadOf(form);
    expect(payload.extra_args).toEqual(['--a', '1']);
    expect(payload.env).toEqual({ A: '1', B: 'x=y' });
  });

  it('sends a command only for the custom engine', () => {
    const form = emptyForm('org/model');
    form.name = 'x';
    form.engine = 'custom';
    form.command = 'my-server\n--port\n{port}';
    expect(payloadOf(form).command).toEqual(['my-server', '--port', '{port}']);
    form.engine = 'mlx-lm';
    expect(payloadOf(form).command).toEqual([]);
  });

  it('names the fields that need attention', () => {
    const form = emptyForm('');
    form.port = '70000';
    form.env = 'not an assignment';
    form.engine = 'custom';
    const parsed = parseForm(form);
    expect('errors' in parsed && Object.keys(parsed.errors).sort()).toEqual(['command', 'env', 'model', 'name', 'port']);
  });

  it('picks the built-in engine for GGUF models', () => {
    expect(emptyForm('org/model-GGUF').engine).toBe('builtin');
    // Before the machine's engines are known, an MLX repo gets mlx-lm (see engine-choice tests).
    expect(emptyForm('org/model-4bit').engine).toBe('mlx-lm');
    expect(engineHas('builtin', 'threads')).toBe(true);
    expect(engineHas('mlx-lm', 'message_converter')).toBe(false);
    // The launchers' table: vllm-mlx and llama-server take a queue timeout, mlx_lm.server no template file.
    expect(engineHas('vllm-mlx', 'queue_timeout_seconds')).toBe(true);
    expect(engineHas('mlx-lm', 'chat_template_file')).toBe(false);
  });

  it('sends the GGUF file of a repo-id profile, and only there', () => {
    const form = emptyForm('org/tiny-GGUF');
    form.name = 'x';
    expect(payloadOf(form).model_file).toBeNull();
    form.model_file = 'Q4/tiny-Q4_K_M.gguf';
    expect(payloadOf(form).model_file).toBe('Q4/tiny-Q4_K_M.gguf');
    form.model = '/models/tiny.gguf';
    expect(payloadOf(form).model_file).toBeNull();
    form.model = 'org/tiny-GGUF';
    form.engine = 'mlx-lm';
    expect(payloadOf(form).model_file).toBeNull();
    form.engine = 'builtin';
    form.model_file = '../x.gguf';
    expect(parseForm(form)).toEqual({ errors: { model_file: 'Pick one of the .gguf files of this repo.' } });
    form.model_file = '';
    form.model = '/models/tiny.bin';
    expect('errors' in parseForm(form) && Object.keys(parseForm(form))).toBeTruthy();
  });

  it('offers the custom engine to admins only', () => {
    expect(enginesFor(true).map((e) => e.value)).toContain('custom');
    expect(enginesFor(false).map((e) => e.value)).not.toContain('custom');
  });

  it('maps server field paths to form fields', () => {
    expect(fieldErrorsFrom({ 'env.1bad': 'bad name', port: 'in use', nope: 'x' })).toEqual({ env: 'bad name', port: 'in use' });
  });
});
