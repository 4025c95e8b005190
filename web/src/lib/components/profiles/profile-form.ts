import { engineSupports, type CreateProfileRequest, type EngineInfo, type EngineKind, type EngineSetting, type ModelType, type Profile, type UpdateProfileRequest } from '@mlx-manager/contract';
import { defaultEngine, needsModelFile } from './engine-choice.js';

/** The form's editable copy of a profile: text inputs hold strings, so "empty" is representable. */
export interface ProfileForm {
  name: string;
  description: string;
  engine: EngineKind;
  model: string;
  /** GGUF engines with a repo id: the file of the snapshot ('' = the only one there). */
  model_file: string;
  model_type: ModelType;
  host: string;
  port: string;
  context_length: string;
  max_concurrency: string;
  queue_timeout_seconds: string;
  queue_size: string;
  threads: string;
  served_model_name: string;
  tool_call_parser: string;
  reasoning_parser: string;
  message_converter: string;
  enable_auto_tool_choice: boolean;
  trust_remote_code: boolean;
  chat_template_file: string;
  executable: string;
  /** One argument per line. */
  command: string;
  health_path: string;
  /** One argument per line. */
  extra_args: string;
  /** `KEY=value`, one per line. */
  env: string;
  system_prompt: string;
  start_on_boot: boolean;
  idle_ttl_seconds: string;
  start_timeout_seconds: string;
}

export type FieldErrors = Partial<Record<keyof ProfileForm, string>>;

export const ENGINES: ReadonlyArray<{ value: EngineKind; label: string; hint: string }> = [
  { value: 'builtin', label: 'Built-in (GGUF)', hint: 'Runs GGUF models with nothing to install (node-llama-cpp).' },
  { value: 'mlx-openai-server', label: 'mlx-openai-server', hint: 'MLX models on Apple Silicon; tool and reasoning parsers.' },
  { value: 'mlx-lm', label: 'mlx-lm (mlx_lm.server)', hint: 'The reference MLX server.' },
  { value: 'vllm-mlx', label: 'vllm-mlx', hint: 'Continuous batching for MLX models.' },
  { value: 'llama-server', label: 'llama.cpp (llama-server)', hint: 'GGUF models with llama.cpp.' },
  { value: 'custom', label: 'Custom command', hint: 'Any OpenAI-compatible server started by your command line.' },
];

export const MODEL_TYPES: ReadonlyArray<{ value: ModelType; label: string }> = [
  { value: 'lm', label: 'Language model' },
  { value: 'multimodal', label: 'Multimodal (vision)' },
  { value: 'embeddings', label: 'Embeddings' },
  { value: 'image-generation', label: 'Image generation' },
  { value: 'image-edit', label: 'Image edit' },
  { value: 'whisper', label: 'Speech to text (Whisper)' },
];

/**
 * Which engine-specific fields an engine can honour (others are hidden, never cleared): the
 * contract's capability table, the same one the server's launchers follow.
 */
export function engineHas(engine: EngineKind, field: EngineSetting): boolean {
  return engineSupports(engine, field);
}

/**
 * The engines a user may choose: a custom command is a program of the writer's choosing, which
 * only admins may set (the server refuses it from anyone else).
 */
export function enginesFor(isAdmin: boolean): typeof ENGINES {
  return isAdmin ? ENGINES : ENGINES.filter((e) => e.value !== 'custom');
}

/** `engines`: what GET /api/system found, so the default engine is one this machine has. */
export function emptyForm(model = '', engines?: readonly EngineInfo[]): ProfileForm {
  return {
    name: '',
    description: '',
    engine: defaultEngine(model, engines),
    model,
    model_file: '',
    model_type: 'lm',
    host: '127.0.0.1',
    port: '',
    context_length: '',
    max_concurrency: '',
    queue_timeout_seconds: '',
    queue_size: '',
    threads: '',
    served_model_name: '',
    tool_call_parser: '',
    reasoning_parser: '',
    message_converter: '',
    enable_auto_tool_choice: false,
    trust_remote_code: false,
    chat_template_file: '',
    executable: '',
    command: '',
    health_path: '/v1/models',
    extra_args: '',
    env: '',
    system_prompt: '',
    start_on_boot: false,
    idle_ttl_seconds: '0',
    start_timeout_seconds: '300',
  };
}

const str = (n: number | null) => (n === null ? '' : String(n));

export function profileToForm(p: Profile): ProfileForm {
  return {
    name: p.name,
    description: p.description,
    engine: p.engine,
    model: p.model,
    model_file: p.model_file ?? '',
    model_type: p.model_type,
    host: p.host,
    port: String(p.port),
    context_length: str(p.context_length),
    max_concurrency: str(p.max_concurrency),
    queue_timeout_seconds: str(p.queue_timeout_seconds),
    queue_size: str(p.queue_size),
    threads: str(p.threads),
    served_model_name: p.served_model_name ?? '',
    tool_call_parser: p.tool_call_parser ?? '',
    reasoning_parser: p.reasoning_parser ?? '',
    message_converter: p.message_converter ?? '',
    enable_auto_tool_choice: p.enable_auto_tool_choice,
    trust_remote_code: p.trust_remote_code,
    chat_template_file: p.chat_template_file ?? '',
    executable: p.executable ?? '',
    command: p.command.join('\n'),
    health_path: p.health_path,
    extra_args: p.extra_args.join('\n'),
    env: Object.entries(p.env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    system_prompt: p.system_prompt,
    start_on_boot: p.start_on_boot,
    idle_ttl_seconds: String(p.idle_ttl_seconds),
    start_timeout_seconds: String(p.start_timeout_seconds),
  };
}

type Parsed = { payload: Required<Omit<CreateProfileRequest, 'port'>> & { port: number | null } } | { errors: FieldErrors };

/**
 * Validates the form and builds the full set of fields. Cleared optional fields become `null`
 * (never omitted), so an edit can clear them (reference bug 26). Messages name the problem in
 * the user's words; the server validates again and its field errors are shown the same way.
 */
export function parseForm(form: ProfileForm): Parsed {
  const errors: FieldErrors = {};
  const int = (key: keyof ProfileForm, min: number, max: number): number | null => {
    const raw = String(form[key]).trim();
    if (raw === '') return null;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      errors[key] = `Enter a whole number from ${min} to ${max}.`;
      return null;
    }
    return Number(raw);
  };
  const text = (key: keyof ProfileForm): string | null => {
    const raw = String(form[key]).trim();
    return raw === '' ? null : raw;
  };
  const lines = (value: string): string[] =>
    value
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');

  if (form.name.trim() === '') errors.name = 'Give the profile a name.';
  if (form.model.trim() === '') errors.model = 'Choose the model to run (a repo id or a path).';
  else if ((form.engine === 'builtin' || form.engine === 'llama-server') && form.model.trim().startsWith('/') && !/\.gguf$/i.test(form.model.trim())) {
    errors.model = 'This engine runs GGUF files: give a repo id, or the path of a .gguf file.';
  }
  const modelFile = needsModelFile(form.engine, form.model) ? form.model_file.trim() : '';
  if (modelFile !== '' && (!/\.gguf$/i.test(modelFile) || modelFile.startsWith('/') || modelFile.split('/').includes('..'))) {
    errors.model_file = 'Pick one of the .gguf files of this repo.';
  }
  if (form.host.trim() === '') errors.host = 'Enter the address to listen on, e.g. 127.0.0.1.';

  const env: Record<string, string> = {};
  for (const line of lines(form.env)) {
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      errors.env = `“${line}” is not NAME=value.`;
      break;
    }
    env[key] = line.slice(eq + 1);
  }
  const command = lines(form.command);
  if (form.engine === 'custom' && command.length === 0) {
    errors.command = 'Enter the command, one argument per line (use {model}, {host} and {port}).';
  }
  const healthPath = form.health_path.trim() || '/v1/models';
  if (!healthPath.startsWith('/') || /\s/.test(healthPath)) errors.health_path = 'A path starting with /, e.g. /v1/models.';

  const payload = {
    name: form.name.trim(),
    description: form.description,
    engine: form.engine,
    model: form.model.trim(),
    model_file: modelFile === '' ? null : modelFile,
    model_type: form.model_type,
    host: form.host.trim(),
    port: int('port', 1, 65535),
    context_length: int('context_length', 1, 10_000_000),
    max_concurrency: int('max_concurrency', 1, 100_000),
    queue_timeout_seconds: int('queue_timeout_seconds', 1, 1_000_000),
    queue_size: int('queue_size', 1, 1_000_000),
    threads: int('threads', 1, 4096),
    served_model_name: text('served_model_name'),
    tool_call_parser: text('tool_call_parser'),
    reasoning_parser: text('reasoning_parser'),
    message_converter: text('message_converter'),
    enable_auto_tool_choice: form.enable_auto_tool_choice,
    trust_remote_code: form.trust_remote_code,
    chat_template_file: text('chat_template_file'),
    executable: text('executable'),
    // Only the custom engine takes a command: a command kept from before an engine switch is dropped.
    command: form.engine === 'custom' ? command : [],
    health_path: healthPath,
    extra_args: lines(form.extra_args),
    env,
    system_prompt: form.system_prompt,
    start_on_boot: form.start_on_boot,
    idle_ttl_seconds: int('idle_ttl_seconds', 0, 7 * 24 * 3600) ?? 0,
    start_timeout_seconds: int('start_timeout_seconds', 1, 3600) ?? 300,
  };
  return Object.keys(errors).length > 0 ? { errors } : { payload };
}

/** Create: an empty port is left out so the server assigns the next free one. */
export function toCreateRequest(payload: Extract<Parsed, { payload: unknown }>['payload']): CreateProfileRequest {
  const { port, ...rest } = payload;
  return port === null ? rest : { ...rest, port };
}

/** Edit: every field is sent, cleared ones as `null`; an empty port keeps the current one. */
export function toUpdateRequest(payload: Extract<Parsed, { payload: unknown }>['payload']): UpdateProfileRequest {
  const { port, ...rest } = payload;
  return port === null ? rest : { ...rest, port };
}

/** Server field paths (`env.FOO`, `command.0`) → the form field that shows them. */
export function fieldErrorsFrom(fields: Readonly<Record<string, string>>): FieldErrors {
  const errors: FieldErrors = {};
  const known = new Set<string>(Object.keys(emptyForm()));
  for (const [path, message] of Object.entries(fields)) {
    const head = path.split(/[.[]/)[0] ?? path;
    if (known.has(head)) errors[head as keyof ProfileForm] ??= message;
  }
  return errors;
}
