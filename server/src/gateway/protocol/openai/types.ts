// OpenAI Chat Completions wire shapes, as the gateway reads and writes them. Request shapes are
// lenient (engines and clients add fields); response shapes list what the official SDK reads.
// The wire facts behind them are in docs/gateway-protocols.md ("OpenAI Chat Completions").

export type OpenAiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface OpenAiTextPart {
  type: 'text';
  text: string;
}

export interface OpenAiImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/** Parts the gateway does not translate (audio, files…) keep their own shape. */
export interface OpenAiOtherPart {
  type: string;
  [key: string]: unknown;
}

export type OpenAiContentPart = OpenAiTextPart | OpenAiImagePart | OpenAiOtherPart;

export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type OpenAiMessage =
  | { role: 'system' | 'developer'; content: string | OpenAiTextPart[]; name?: string }
  | { role: 'user'; content: string | OpenAiContentPart[]; name?: string }
  | {
      role: 'assistant';
      content?: string | OpenAiTextPart[] | null;
      tool_calls?: OpenAiToolCall[];
      /** Not OpenAI's own field: engines (vLLM, llama-server, ours) echo reasoning under it. */
      reasoning_content?: string | null;
      refusal?: string | null;
      name?: string;
    }
  | { role: 'tool'; tool_call_id: string; content: string | OpenAiTextPart[] };

export interface OpenAiTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type OpenAiToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

export interface OpenAiChatRequest {
  model: string;
  messages: OpenAiMessage[];
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  /** Not OpenAI's: llama-server, vLLM and mlx-lm accept it. */
  top_k?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  tools?: OpenAiTool[];
  tool_choice?: OpenAiToolChoice;
  parallel_tool_calls?: boolean;
  reasoning_effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | null;
  user?: string;
  /** Not OpenAI's: how llama-server and vLLM pass template switches such as `enable_thinking`; others ignore it. */
  chat_template_kwargs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface OpenAiResponseMessage {
  role: 'assistant';
  content: string | null;
  refusal?: string | null;
  tool_calls?: OpenAiToolCall[];
  /** vLLM, llama-server, mlx-openai-server and the built-in engine. */
  reasoning_content?: string | null;
  /** mlx_lm.server's name for the same thing. */
  reasoning?: string | null;
}

export interface OpenAiChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: OpenAiResponseMessage;
    finish_reason: OpenAiFinishReason | null;
    logprobs?: unknown;
    /** vLLM's extension: the stop string (or token id) that ended the choice. */
    stop_reason?: string | number | null;
  }[];
  usage?: OpenAiUsage | null;
  system_fingerprint?: string | null;
}

/** A tool-call fragment: `index` always, `id`/`type`/`name` on the first fragment only. */
export interface OpenAiToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface OpenAiChunkDelta {
  role?: 'assistant';
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: OpenAiToolCallDelta[];
}

export interface OpenAiChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: number;
    delta: OpenAiChunkDelta;
    finish_reason: OpenAiFinishReason | null;
    logprobs?: unknown;
    stop_reason?: string | number | null;
  }[];
  usage?: OpenAiUsage | null;
}

export interface OpenAiErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
    /** Ours: who made the error, the gateway or the upstream it relays. */
    source?: 'gateway' | 'upstream';
  };
}
