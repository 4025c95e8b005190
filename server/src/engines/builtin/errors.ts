// OpenAI's error envelope: {"error":{"message","type","param","code"}}. Every failure the engine
// answers goes through EngineError so the status, type and code always agree.

import type { OpenAiErrorBody } from '../../gateway/protocol/openai/types.js';

export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }

  toBody(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null): EngineError =>
  new EngineError(400, 'invalid_request_error', code, message, param);

export const contextLengthExceeded = (promptTokens: number, contextSize: number, param: string): EngineError =>
  new EngineError(
    400,
    'invalid_request_error',
    'context_length_exceeded',
    `This model's maximum context length is ${contextSize} tokens, but the request has ${promptTokens} prompt tokens ` +
      '(no room left to generate). Shorten the prompt or start the engine with a larger --ctx-size.',
    param,
  );

export const modelLoading = (): EngineError =>
  new EngineError(503, 'unavailable_error', 'model_loading', 'The model is still loading; retry when /health answers 200.');

export const shuttingDown = (): EngineError =>
  new EngineError(503, 'unavailable_error', 'shutting_down', 'The engine is shutting down.');

export function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  // Internal failures keep their message (it names the cause) but never a stack.
  const message = err instanceof Error ? err.message : String(err);
  return new EngineError(500, 'server_error', 'internal_error', `generation failed: ${message}`);
}
