import { isObject } from './backend.js';

const MAX_MESSAGE = 1000;

/**
 * The human message inside an upstream error body, whatever its shape: OpenAI's and Anthropic's
 * `{error:{message}}`, mlx_lm's `{error:"text"}`, FastAPI's `{detail:…}`, or plain text. Pure.
 */
export function upstreamErrorMessage(status: number, text: string): string {
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as unknown;
    if (isObject(body)) {
      const error = body.error;
      if (isObject(error) && typeof error.message === 'string') message = error.message;
      else if (typeof error === 'string') message = error;
      else if (typeof body.detail === 'string') message = body.detail;
      else if (body.detail !== undefined) message = JSON.stringify(body.detail);
      else if (typeof body.message === 'string') message = body.message;
    }
  } catch {
    message = text.trim();
  }
  if (!message) message = `upstream answered ${status}`;
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}
