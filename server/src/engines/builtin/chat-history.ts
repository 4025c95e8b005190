// Pure conversion of OpenAI messages and tools into node-llama-cpp's chat history. OpenAI keeps a
// tool call and its result in two messages (assistant `tool_calls`, then `role: "tool"`);
// node-llama-cpp keeps them together in one function-call item of the model's response.
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelFunctions, ChatModelResponse } from 'node-llama-cpp';
import { badRequest, type EngineError } from './errors.js';
import type { ChatMessage, ToolSpec } from './host.js';

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toChatHistory(messages: readonly ChatMessage[]): { ok: true; history: ChatHistoryItem[] } | { ok: false; error: EngineError } {
  const history: ChatHistoryItem[] = [];
  const callsById = new Map<string, ChatModelFunctionCall>();
  for (const [i, m] of messages.entries()) {
    if (m.role === 'system') history.push({ type: 'system', text: m.text });
    else if (m.role === 'user') history.push({ type: 'user', text: m.text });
    else if (m.role === 'assistant') {
      const response: ChatModelResponse['response'] = [];
      if (m.text) response.push(m.text);
      for (const call of m.toolCalls) {
        const item: ChatModelFunctionCall = { type: 'functionCall', name: call.name, params: parseJsonOr(call.arguments), result: '' };
        callsById.set(call.id, item);
        response.push(item);
      }
      history.push({ type: 'model', response });
    } else {
      const call = callsById.get(m.toolCallId);
      if (!call) {
        return {
          ok: false,
          error: badRequest(`messages.${i}: tool_call_id "${m.toolCallId}" does not answer any earlier assistant tool call`, `messages.${i}.tool_call_id`),
        };
      }
      call.result = parseJsonOr(m.text);
    }
  }
  return { ok: true, history };
}

export function toFunctions(tools: readonly ToolSpec[]): ChatModelFunctions | undefined {
  if (tools.length === 0) return undefined;
  const functions: Record<string, ChatModelFunctions[string]> = {};
  for (const t of tools) {
    // The JSON Schema is handed over as is: node-llama-cpp turns it into a grammar that makes the
    // model's arguments valid against it.
    functions[t.name] = { description: t.description, params: t.parameters as ChatModelFunctions[string]['params'] };
  }
  return functions;
}
