// Small node:http helpers: bounded JSON bodies, JSON answers and a server-sent-events writer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OPENAI_DONE_FRAME, openAiDataFrame, SSE_HEADERS } from '../../gateway/protocol/openai/sse.js';
import { badRequest, EngineError } from './errors.js';

export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new EngineError(413, 'invalid_request_error', 'request_too_large', `request body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw badRequest('request body is empty; expected a JSON object', null, 'invalid_json');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw badRequest(`request body is not valid JSON: ${(err as Error).message}`, null, 'invalid_json');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('request body must be a JSON object', null, 'invalid_json');
  }
  return body;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, err: EngineError): void {
  // 503s are worth retrying later; everything else the SDKs should surface at once.
  const headers: Record<string, string> = err.status === 503 ? { 'retry-after': '1' } : { 'x-should-retry': 'false' };
  sendJson(res, err.status, err.toBody(), headers);
}

/** Writes OpenAI stream frames; opens the stream lazily so errors before the first event keep their HTTP status. */
export class SseWriter {
  constructor(private readonly res: ServerResponse) {}

  get started(): boolean {
    return this.res.headersSent;
  }

  open(): void {
    if (this.res.headersSent) return;
    this.res.writeHead(200, SSE_HEADERS);
    this.res.flushHeaders();
  }

  send(data: unknown): void {
    this.open();
    if (!this.res.writableEnded) this.res.write(openAiDataFrame(data));
  }

  done(): void {
    this.open();
    if (!this.res.writableEnded) this.res.end(OPENAI_DONE_FRAME);
  }

  /** An error after the stream began: the OpenAI SDK throws on a data payload with an `error` key. */
  fail(err: EngineError): void {
    if (!this.res.headersSent) {
      sendError(this.res, err);
      return;
    }
    if (!this.res.writableEnded) this.res.end(openAiDataFrame(err.toBody()));
  }
}
