// The engine's HTTP face: health, models, chat completions, completions, embeddings, in the
// OpenAI wire format (docs/gateway-protocols.md) with llama-server's readiness (503 while loading).
// Every request owns an AbortController, fired when its client disconnects or the engine shuts
// down, so generations never run for nobody.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EngineError, modelLoading, shuttingDown, toEngineError } from './errors.js';
import type { GenerationResult, GenerationSink, ModelHost } from './host.js';
import { readJsonBody, sendError, sendJson, SseWriter } from './http-io.js';
import {
  chatChunk,
  chatCompletion,
  chatUsageChunk,
  embeddingList,
  modelList,
  newMeta,
  newToolCallId,
  textCompletion,
  textCompletionChunk,
  textUsageChunk,
  type ResponseMeta,
} from '../../gateway/protocol/openai/bodies.js';
import { parseChatRequest, parseCompletionRequest, parseEmbeddingRequest, type Parsed } from './requests.js';

export interface EngineServerOptions {
  /** Id reported by /v1/models and in responses. */
  modelId: string;
  /** Other names a request's `model` may use (the file path, its base name). */
  otherNames: readonly string[];
  /** The loaded model, or undefined while it loads. */
  host: () => ModelHost | undefined;
  /** Extra facts for /v1/models `meta` (context size, slots…). */
  modelMeta: () => Record<string, unknown>;
  log: (line: string) => void;
}

export interface EngineServer {
  server: Server;
  /** Stop accepting, abort generations, wait for responses to end (bounded). */
  shutdown(graceMs?: number): Promise<void>;
}

class ShutdownAbort extends Error {}

export function createEngineServer(opts: EngineServerOptions): EngineServer {
  const inflight = new Map<AbortController, Promise<void>>();
  const created = Math.floor(Date.now() / 1000);
  const names = new Set([opts.modelId, ...opts.otherNames]);
  let closing = false;

  const checkModel = (model: string | undefined): void => {
    if (model === undefined || model === '' || names.has(model)) return;
    throw new EngineError(404, 'invalid_request_error', 'model_not_found',
      `The model \`${model}\` does not exist; this engine serves \`${opts.modelId}\`.`, 'model');
  };

  const readyHost = (): ModelHost => {
    if (closing) throw shuttingDown();
    const host = opts.host();
    if (!host?.ready) throw modelLoading();
    return host;
  };

  /** How one endpoint renders a generation: whole, or as a stream through a sink. */
  interface Rendering {
    prefix: 'chatcmpl' | 'cmpl';
    whole(meta: ResponseMeta, r: GenerationResult): unknown;
    sink(sse: SseWriter, meta: ResponseMeta): GenerationSink;
    finish(meta: ResponseMeta, r: GenerationResult): unknown;
    usage(meta: ResponseMeta, r: GenerationResult): unknown;
  }

  async function generate<I>(
    res: ServerResponse,
    signal: AbortSignal,
    parsed: { ok: true; value: Parsed<I> } | { ok: false; error: EngineError },
    run: (host: ModelHost, input: I, sink: GenerationSink | undefined, signal: AbortSignal) => Promise<GenerationResult>,
    render: Rendering,
  ): Promise<void> {
    if (!parsed.ok) throw parsed.error;
    const { model, stream, includeUsage, input } = parsed.value;
    checkModel(model);
    const host = readyHost();
    const meta = newMeta(render.prefix, opts.modelId);
    if (!stream) {
      const result = await run(host, input, undefined, signal);
      throwIfShutdown(signal);
      sendJson(res, 200, render.whole(meta, result));
      return;
    }
    const sse = new SseWriter(res);
    const sink = render.sink(sse, meta);
    const result = await run(host, input, sink, signal);
    throwIfShutdown(signal);
    sink.accepted(); // a host that generated nothing still opens the stream
    sse.send(render.finish(meta, result));
    if (includeUsage) sse.send(render.usage(meta, result));
    sse.done();
  }

  const chatRendering: Rendering = {
    prefix: 'chatcmpl',
    whole: (meta, r) => chatCompletion(meta, r),
    sink: chatStreamSink,
    finish: (meta, r) => chatChunk(meta, {}, r.finishReason),
    usage: chatUsageChunk,
  };

  const completionRendering: Rendering = {
    prefix: 'cmpl',
    whole: textCompletion,
    sink: (sse, meta) => ({
      accepted: () => sse.open(),
      text: (delta) => sse.send(textCompletionChunk(meta, delta)),
      reasoning: () => undefined,
      toolCallStart: () => undefined,
      toolCallArguments: () => undefined,
    }),
    finish: (meta, r) => textCompletionChunk(meta, '', r.finishReason),
    usage: textUsageChunk,
  };

  const chat = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> =>
    generate(res, signal, parseChatRequest(await readJsonBody(req)), (h, i, s, sig) => h.chat(i, s, sig), chatRendering);

  const complete = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> =>
    generate(res, signal, parseCompletionRequest(await readJsonBody(req)), (h, i, s, sig) => h.complete(i, s, sig), completionRendering);

  async function embeddings(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const parsed = parseEmbeddingRequest(await readJsonBody(req));
    if (!parsed.ok) throw parsed.error;
    checkModel(parsed.value.model);
    const host = readyHost();
    const result = await host.embed(parsed.value.inputs, signal);
    throwIfShutdown(signal);
    sendJson(res, 200, embeddingList(opts.modelId, result.vectors, result.promptTokens, parsed.value.base64));
  }

  function health(res: ServerResponse): void {
    if (closing) sendJson(res, 503, { status: 'shutting_down' });
    else if (opts.host()?.ready) sendJson(res, 200, { status: 'ok' });
    else sendJson(res, 503, { status: 'loading' });
  }

  type Handler = (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => Promise<void> | void;
  const routes = new Map<string, Partial<Record<string, Handler>>>(Object.entries({
    '/health': { GET: (_q, res) => health(res) },
    '/v1/health': { GET: (_q, res) => health(res) },
    '/v1/models': { GET: (_q, res) => sendJson(res, 200, modelList(opts.modelId, created, opts.modelMeta())) },
    '/models': { GET: (_q, res) => sendJson(res, 200, modelList(opts.modelId, created, opts.modelMeta())) },
    '/v1/chat/completions': { POST: chat },
    '/chat/completions': { POST: chat },
    '/v1/completions': { POST: complete },
    '/completions': { POST: complete },
    '/v1/embeddings': { POST: embeddings },
    '/embeddings': { POST: embeddings },
  }));

  async function handle(req: IncomingMessage, res: ServerResponse, ac: AbortController): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes.get(path);
    if (!route) throw new EngineError(404, 'invalid_request_error', 'not_found', `no route for ${req.method} ${path}`);
    const handler = Object.hasOwn(route, req.method ?? '') ? route[req.method ?? ''] : undefined;
    if (!handler) {
      res.setHeader('allow', Object.keys(route).join(', '));
      throw new EngineError(405, 'invalid_request_error', 'method_not_allowed', `${req.method} is not allowed on ${path}`);
    }
    await handler(req, res, ac.signal);
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    const ac = new AbortController();
    // A response closed before it finished means the client went away: stop generating.
    res.on('close', () => {
      if (!res.writableFinished) ac.abort(new Error('client disconnected'));
    });
    res.on('finish', () => {
      const path = (req.url ?? '').split('?')[0];
      // Readiness probes poll /health; logging each would drown the requests that matter.
      if (path !== '/health' && path !== '/v1/health') opts.log(`${req.method} ${path} ${res.statusCode} ${Date.now() - started}ms`);
    });
    const done = handle(req, res, ac)
      .catch((err: unknown) => {
        if (res.writableEnded || res.destroyed) return;
        const error = err instanceof ShutdownAbort || (ac.signal.aborted && closing) ? shuttingDown() : toEngineError(err);
        if (error.status >= 500 && error.status !== 503) opts.log(`error on ${req.method} ${req.url}: ${error.message}`);
        if (res.headersSent) new SseWriter(res).fail(error);
        else sendError(res, error);
      })
      .finally(() => inflight.delete(ac));
    inflight.set(ac, done);
  });

  async function shutdown(graceMs = 5_000): Promise<void> {
    if (closing) return;
    closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const ac of inflight.keys()) ac.abort(new ShutdownAbort('engine shutting down'));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); });
    await Promise.race([Promise.allSettled([...inflight.values()]), deadline]);
    server.closeAllConnections();
    await Promise.race([closed, deadline]);
    clearTimeout(timer);
  }

  return { server, shutdown };
}

function throwIfShutdown(signal: AbortSignal): void {
  if (signal.aborted && signal.reason instanceof ShutdownAbort) throw signal.reason;
}

function chatStreamSink(sse: SseWriter, meta: ResponseMeta): GenerationSink {
  const ids: string[] = [];
  let roleSent = false;
  // The first chunk carries the role, as OpenAI's does.
  const sendRole = () => {
    if (roleSent) return;
    roleSent = true;
    sse.send(chatChunk(meta, { role: 'assistant', content: '' }));
  };
  const send = (delta: Record<string, unknown>) => {
    sendRole();
    sse.send(chatChunk(meta, delta));
  };
  return {
    accepted: sendRole,
    text: (delta) => { if (delta) send({ content: delta }); },
    reasoning: (delta) => { if (delta) send({ reasoning_content: delta }); },
    toolCallStart: (index, name) => {
      ids[index] = newToolCallId();
      send({ tool_calls: [{ index, id: ids[index], type: 'function', function: { name, arguments: '' } }] });
    },
    toolCallArguments: (index, fragment) => {
      if (fragment) send({ tool_calls: [{ index, function: { arguments: fragment } }] });
    },
  };
}
