/**
 * A minimal MCP client for the browser: JSON-RPC over streamable HTTP to the app's own `/mcp`
 * (tools/list and tools/call). The SDK's client is not used here because its schema validator
 * compiles code at run time, which the app's Content-Security-Policy forbids. Answers may be
 * plain JSON or an SSE stream; both are read.
 */
import { SseDataSplitter } from './sse-lines.js';

export interface McpTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolOutcome {
  text: string;
  isError: boolean;
}

/** The OpenAI `tools` entry for an MCP tool. */
export interface OpenAiTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export function toOpenAiTools(tools: readonly McpTool[]): OpenAiTool[] {
  return tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.inputSchema } }));
}

const PROTOCOL_VERSION = '2025-06-18';

type JsonRpcAnswer = { id?: unknown; result?: unknown; error?: { message?: string } };

async function readAnswer(response: Response, id: number): Promise<JsonRpcAnswer> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream')) return (await response.json()) as JsonRpcAnswer;
  const splitter = new SseDataSplitter();
  const payloads = [...splitter.push(await response.text()), ...splitter.end()];
  for (const p of payloads) {
    try {
      const msg = JSON.parse(p) as JsonRpcAnswer;
      if (msg.id === id) return msg;
    } catch {
      // Not a JSON-RPC message: the SSE stream may carry other events.
    }
  }
  throw new Error('The tools server sent no answer');
}

export function createMcpClient(options: { url?: string; fetch?: typeof globalThis.fetch } = {}) {
  const url = options.url ?? '/mcp';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let nextId = 1;
  let ready: Promise<void> | null = null;

  async function rpc(method: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const id = nextId++;
    const init: RequestInit = {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': PROTOCOL_VERSION },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    };
    if (signal) init.signal = signal;
    const response = await doFetch(url, init);
    if (!response.ok) throw new Error(`The tools server answered ${response.status}`);
    const answer = await readAnswer(response, id);
    if (answer.error) throw new Error(answer.error.message ?? 'The tools server refused the request');
    return answer.result;
  }

  function initialize(): Promise<void> {
    ready ??= rpc('initialize', { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mlx-manager-chat', version: '1' } }).then(
      () => undefined,
      (err: unknown) => {
        ready = null;
        throw err;
      },
    );
    return ready;
  }

  return {
    async listTools(): Promise<McpTool[]> {
      await initialize();
      const result = (await rpc('tools/list', {})) as { tools?: McpTool[] };
      return result.tools ?? [];
    },

    async callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolOutcome> {
      await initialize();
      const result = (await rpc('tools/call', { name, arguments: args }, signal)) as { content?: Array<{ type: string; text?: string }>; isError?: boolean };
      const text = (result.content ?? []).map((c) => (c.type === 'text' ? (c.text ?? '') : `[${c.type}]`)).join('\n');
      return { text, isError: result.isError === true };
    },
  };
}

export type McpClient = ReturnType<typeof createMcpClient>;
