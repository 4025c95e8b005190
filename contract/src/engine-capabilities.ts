import type { EngineKind, ModelType, ProfileFields } from './profiles.js';

/*
 * Which profile settings each engine can honour: the one table read by the server's launchers
 * (a set field missing here becomes a warning, never a silently dropped setting) and by the web
 * form (a field missing here is not offered). Written once so the two cannot drift apart.
 */

/** The profile fields that only some engines take. */
export const ENGINE_SETTINGS = [
  'context_length',
  'max_concurrency',
  'queue_timeout_seconds',
  'queue_size',
  'threads',
  'served_model_name',
  'tool_call_parser',
  'reasoning_parser',
  'message_converter',
  'enable_auto_tool_choice',
  'trust_remote_code',
  'chat_template_file',
  'executable',
  'command',
] as const satisfies readonly (keyof ProfileFields)[];
export type EngineSetting = (typeof ENGINE_SETTINGS)[number];

export interface EngineCapabilities {
  settings: ReadonlySet<EngineSetting>;
  modelTypes: ReadonlySet<ModelType>;
}

const ALL_MODEL_TYPES: ReadonlySet<ModelType> = new Set(['lm', 'multimodal', 'embeddings', 'image-generation', 'image-edit', 'whisper']);

export const ENGINE_CAPABILITIES: Readonly<Record<EngineKind, EngineCapabilities>> = {
  'mlx-openai-server': {
    settings: new Set([
      'context_length', 'max_concurrency', 'queue_timeout_seconds', 'queue_size', 'served_model_name', 'tool_call_parser',
      'reasoning_parser', 'message_converter', 'enable_auto_tool_choice', 'trust_remote_code', 'chat_template_file', 'executable',
    ]),
    modelTypes: ALL_MODEL_TYPES,
  },
  'mlx-lm': {
    settings: new Set(['max_concurrency', 'trust_remote_code', 'executable']),
    modelTypes: new Set(['lm']),
  },
  'vllm-mlx': {
    settings: new Set([
      'max_concurrency', 'queue_timeout_seconds', 'served_model_name', 'tool_call_parser', 'reasoning_parser',
      'enable_auto_tool_choice', 'trust_remote_code', 'executable',
    ]),
    modelTypes: new Set(['lm', 'multimodal']),
  },
  'llama-server': {
    settings: new Set([
      'context_length', 'max_concurrency', 'queue_timeout_seconds', 'threads', 'served_model_name', 'enable_auto_tool_choice',
      'chat_template_file', 'executable',
    ]),
    modelTypes: new Set(['lm', 'multimodal', 'embeddings']),
  },
  builtin: {
    settings: new Set(['context_length', 'max_concurrency', 'threads', 'served_model_name']),
    modelTypes: new Set(['lm']),
  },
  custom: {
    settings: new Set(['command']),
    modelTypes: ALL_MODEL_TYPES,
  },
};

export function engineSupports(engine: EngineKind, setting: EngineSetting): boolean {
  return ENGINE_CAPABILITIES[engine].settings.has(setting);
}

/** True when a setting holds something other than its "not set" value. */
export function settingIsSet(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}
