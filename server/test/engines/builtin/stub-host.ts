// A ModelHost whose behaviour is chosen by the last user message, to drive the HTTP layer
// without a model: "tool" calls a tool, "slow" generates until aborted, "long" overflows the
// context, "crash" fails; anything else answers "Hello world".
import { contextLengthExceeded } from '../../../src/engines/builtin/errors.js';
import type { ChatInput, CompletionInput, EmbeddingResult, GenerationResult, GenerationSink, ModelHost } from '../../../src/engines/builtin/host.js';

export class StubHost implements ModelHost {
  ready = false;
  readonly contextSize = 128;
  readonly aborted: string[] = [];
  readonly seen: ChatInput[] = [];

  private async slow(sink: GenerationSink | undefined, signal: AbortSignal): Promise<GenerationResult> {
    sink?.accepted();
    // Generates one token every 20 ms for at most 10 s, like a model that never stops by itself.
    for (let i = 0; i < 500 && !signal.aborted; i++) {
      sink?.text('tick ');
      await new Promise((r) => setTimeout(r, 20));
    }
    if (signal.aborted) this.aborted.push(String((signal.reason as Error).message));
    return { text: 'tick', reasoning: '', toolCalls: [], finishReason: 'stop', promptTokens: 1, completionTokens: 1 };
  }

  async chat(input: ChatInput, sink: GenerationSink | undefined, signal: AbortSignal): Promise<GenerationResult> {
    this.seen.push(input);
    const last = input.messages.at(-1);
    const prompt = last && 'text' in last ? last.text : '';
    if (prompt === 'slow') return this.slow(sink, signal);
    if (prompt === 'long') throw contextLengthExceeded(500, this.contextSize, 'messages');
    if (prompt === 'crash') throw new Error('llama.cpp exploded');
    if (prompt === 'wait') {
      // Accepted, then a long silent prompt evaluation (up to 10 s) before any token.
      sink?.accepted();
      for (let i = 0; i < 500 && !signal.aborted; i++) await new Promise((r) => setTimeout(r, 20));
      if (signal.aborted) this.aborted.push(String((signal.reason as Error).message));
      return { text: '', reasoning: '', toolCalls: [], finishReason: 'stop', promptTokens: 1, completionTokens: 0 };
    }
    sink?.accepted();
    if (prompt === 'tool') {
      sink?.toolCallStart(0, 'get_weather');
      sink?.toolCallArguments(0, '{"city":');
      sink?.toolCallArguments(0, '"Paris"}');
      return { text: '', reasoning: '', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }], finishReason: 'tool_calls', promptTokens: 5, completionTokens: 6 };
    }
    sink?.reasoning('thinking');
    sink?.text('Hello');
    sink?.text(' world');
    const length = input.params.maxTokens === 1;
    return { text: 'Hello world', reasoning: 'thinking', toolCalls: [], finishReason: length ? 'length' : 'stop', promptTokens: 3, completionTokens: 2 };
  }

  async complete(input: CompletionInput, sink: GenerationSink | undefined, signal: AbortSignal): Promise<GenerationResult> {
    if (input.prompt === 'slow') return this.slow(sink, signal);
    sink?.accepted();
    sink?.text(' and');
    sink?.text(' more');
    return { text: ' and more', reasoning: '', toolCalls: [], finishReason: 'stop', promptTokens: 2, completionTokens: 2 };
  }

  async embed(inputs: string[]): Promise<EmbeddingResult> {
    return { vectors: inputs.map((t) => [t.length, 0.5, -1]), promptTokens: inputs.length };
  }

  async dispose(): Promise<void> {
    this.ready = false;
  }
}
