import { z } from 'zod';
import { SafeModelFile } from './model-files.js';

/*
 * Server profiles: a named way to run one model with one engine. Every field here
 * reaches the engine's command line when that engine (version) supports it; a field it cannot
 * honour is reported as a warning by the launcher, never dropped silently.
 */

export const EngineKind = z.enum(['mlx-openai-server', 'mlx-lm', 'vllm-mlx', 'llama-server', 'builtin', 'custom']);
export type EngineKind = z.infer<typeof EngineKind>;

export const ModelType = z.enum(['lm', 'multimodal', 'embeddings', 'image-generation', 'image-edit', 'whisper']);
export type ModelType = z.infer<typeof ModelType>;

const positiveInt = z.number().int().positive();
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable();
/** Parser / converter names: short identifiers, never anything a shell or flag parser could misread. */
const parserName = z.string().trim().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a parser name (letters, digits, _ . -)').nullable();
/** Host names / IP literals only: keeps user strings out of flag position (L-35 in
 * docs/lessons-from-the-original.md). */
const hostName = z.string().trim().regex(/^[A-Za-z0-9.:[\]-]{1,255}$/, 'must be a host name or IP address');

/** A Hugging Face repo id: `org/name`. */
export const REPO_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** What a shell, a command template or a line-based format could read as more than a path. */
const UNSAFE_PATH_CHARS = /[\p{Cc};&|$`<>(){}[\]*?!~#'"\\]/u;

/**
 * Why a model string is refused, or null. A model is a repo id or an absolute path (spaces
 * allowed: macOS paths have them) with no shell metacharacters, quotes or control characters,
 * so that it cannot be read as a flag nor inject anything into a custom command line.
 */
export function modelProblem(model: string): string | null {
  if (REPO_ID_PATTERN.test(model)) return null;
  if (!model.startsWith('/')) return 'must be a Hugging Face repo id (org/name) or an absolute path';
  if (UNSAFE_PATH_CHARS.test(model)) return 'must not contain quotes, control characters or any of ; & | $ ` < > ( ) { } [ ] * ? ! ~ # \\';
  return null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^(?=.*:)[0-9A-Fa-f:.]{2,45}$/;

/** Hosts an engine may listen on: an IP literal or `localhost` (no DNS names: nothing to look up). */
export function isIpOrLocalhost(host: string): boolean {
  return host === 'localhost' || IPV4.test(host) || IPV6.test(host);
}

/** What a request may write as the model (stored rows from before this rule still read). */
export const SafeModel = z.string().trim().min(1).max(1000).superRefine((model, ctx) => {
  const problem = modelProblem(model);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** What a request may write as the host. */
export const SafeHost = z.string().trim().refine(isIpOrLocalhost, 'must be an IP address of this machine, 0.0.0.0, :: or localhost');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** Every editable field with its default (defaults apply on create). */
export const ProfileFields = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(4000).default(''),
  engine: EngineKind,
  /** Hugging Face repo id or absolute path (for GGUF engines a repo id, or the path of a `.gguf` file). */
  model: z.string().trim().min(1).max(1000),
  /**
   * GGUF engines with a repo id as `model`: the file inside its downloaded snapshot (null = the
   * only one there). The server finds the snapshot itself at each start (docs/model-files.md).
   */
  model_file: z.string().trim().min(1).max(1024).nullable().default(null),
  model_type: ModelType.default('lm'),
  host: hostName.default('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  context_length: positiveInt.nullable().default(null),
  /** Parallel requests (slots / decode concurrency / max sequences, per engine). */
  max_concurrency: positiveInt.nullable().default(null),
  queue_timeout_seconds: positiveInt.nullable().default(null),
  queue_size: positiveInt.nullable().default(null),
  threads: positiveInt.nullable().default(null),
  /** Model id the engine reports and accepts (`--served-model-name`, `--alias`). */
  served_model_name: optionalText(200).default(null),
  tool_call_parser: parserName.default(null),
  reasoning_parser: parserName.default(null),
  message_converter: parserName.default(null),
  enable_auto_tool_choice: z.boolean().default(false),
  trust_remote_code: z.boolean().default(false),
  chat_template_file: optionalText(1000).default(null),
  /** Configured path of the engine executable; null = search PATH and the project venv. */
  executable: optionalText(1000).default(null),
  /** Custom engine only: argv with `{model}`, `{host}`, `{port}` placeholders. */
  command: z.array(z.string().max(2000)).max(200).default([]),
  /** Health path polled for the custom engine (must answer 200 when the model answers). */
  health_path: z.string().regex(/^\/[^\s]*$/, 'must be a path starting with /').max(200).default('/v1/models'),
  extra_args: z.array(z.string().max(2000)).max(200).default([]),
  env: z.record(envName, z.string().max(10000)).default({}),
  system_prompt: z.string().max(100_000).default(''),
  start_on_boot: z.boolean().default(false),
  /** Unload after this many idle seconds; 0 = never. */
  idle_ttl_seconds: z.number().int().min(0).max(7 * 24 * 3600).default(0),
  start_timeout_seconds: z.number().int().min(1).max(3600).default(300),
});
export type ProfileFields = z.infer<typeof ProfileFields>;

export const Profile = ProfileFields.extend({
  id: z.string(),
  /** The user who created it; null for profiles from before owners were recorded (admin-owned). */
  created_by: z.string().nullable().default(null),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Profile = z.infer<typeof Profile>;

/** POST /api/profiles: name, engine and model required; port omitted → auto-assigned. */
export const CreateProfileRequest = ProfileFields.extend({
  port: ProfileFields.shape.port.optional(),
  model: SafeModel,
  model_file: SafeModelFile.nullable().default(null),
  host: SafeHost.default('127.0.0.1'),
}).strict();
export type CreateProfileRequest = z.input<typeof CreateProfileRequest>;

/** PATCH /api/profiles/{id}: keys present are applied; `null` clears a nullable field. */
const updateShape = {
  ...Object.fromEntries(Object.entries(ProfileFields.shape).map(([key, schema]) => [key, unwrapDefault(schema).optional()])),
  model: SafeModel.optional(),
  model_file: SafeModelFile.nullable().optional(),
  host: SafeHost.optional(),
};
export const UpdateProfileRequest = z.object(updateShape).strict() as unknown as z.ZodType<Partial<ProfileFields>>;
export type UpdateProfileRequest = Partial<ProfileFields>;

/** POST /api/profiles/{id}/duplicate: optional new name (default "<name> (copy)"). */
export const DuplicateProfileRequest = z.object({ name: ProfileFields.shape.name.optional() }).strict();
export type DuplicateProfileRequest = z.infer<typeof DuplicateProfileRequest>;

export const ProfileList = z.object({ profiles: z.array(Profile) });
export type ProfileList = z.infer<typeof ProfileList>;

/** An update must not re-apply create defaults: strip `.default()` so absent keys stay absent. */
function unwrapDefault(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
}
