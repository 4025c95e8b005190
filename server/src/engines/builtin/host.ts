// What the HTTP layer needs from a loaded model. The real implementation (model-host.ts) wraps
// node-llama-cpp; tests drive the HTTP layer with a stub of this interface.

export interface GenerationParams {
  /** Upper bound asked by the client; the host also stops at the end of the context. */
  maxTokens: number | undefined;
  temperature: number | undefined;
  topP: number | undefined;
  seed: number | undefined;
  stop: string[];
  /** OpenAI's -2..2 penalties; llama.cpp only lowers probabilities, so values ≤ 0 mean off. */
  presencePenalty: number | undefined;
  frequencyPenalty: number | undefined;
  /** Constrain the output: any JSON value (`json_object`) or one JSON Schema (`json_schema`). */
  json: 'any' | Record<string, unknown> | undefined;
}

export interface ToolCallOut {
  name: string;
  /** JSON text, as OpenAI sends it. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; text: string }
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls: (ToolCallOut & { id: string })[] }
  | { role: 'tool'; toolCallId: string; text: string };

export interface ToolSpec {
  name: string;
  description: string | undefined;
  /** JSON Schema of the arguments, as given by the client. */
  parameters: Record<string, unknown> | undefined;
}

export interface ChatInput {
  messages: ChatMessage[];
  /** Empty when the client sent none or `tool_choice: "none"`. */
  tools: ToolSpec[];
  params: GenerationParams;
}

export interface CompletionInput {
  prompt: string;
  params: GenerationParams;
}

/** Receives a generation as it happens (streaming). */
export interface GenerationSink {
  /**
   * The request fits and holds a slot: generation starts now. Streams open here, so a client
   * waiting through a long prompt evaluation already has its 200 and first chunk, while a refused
   * request still gets a plain 4xx.
   */
  accepted(): void;
  text(delta: string): void;
  reasoning(delta: string): void;
  toolCallStart(index: number, name: string): void;
  toolCallArguments(index: number, fragment: string): void;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface GenerationResult {
  text: string;
  reasoning: string;
  toolCalls: ToolCallOut[];
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
}

export interface EmbeddingResult {
  vectors: number[][];
  promptTokens: number;
}

export interface ModelHost {
  readonly ready: boolean;
  /** Tokens a single request may use (prompt + completion). */
  readonly contextSize: number;
  chat(input: ChatInput, sink: GenerationSink | undefined, signal: AbortSignal): Promise<GenerationResult>;
  complete(input: CompletionInput, sink: GenerationSink | undefined, signal: AbortSignal): Promise<GenerationResult>;
  embed(inputs: string[], signal: AbortSignal): Promise<EmbeddingResult>;
  dispose(): Promise<void>;
}
