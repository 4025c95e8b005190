// The loaded model behind the HTTP layer: one llama.cpp model, one context per `--parallel`
// slot (each request gets a whole context to itself), and a lazily made embedding context.
// A prompt that does not fit a slot's context is refused before any evaluation, instead of
// node-llama-cpp's default of silently shifting the history out of the window.
import {
  getLlama,
  LlamaChat,
  LlamaCompletion,
  LlamaLogLevel,
  LlamaText,
  resolveChatWrapper,
  type ChatWrapper,
  type Llama,
  type LlamaChatResponseChunk,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaGrammar,
  type LLamaContextualRepeatPenalty,
  type LlamaModel,
} from 'node-llama-cpp';
import { toChatHistory, toFunctions } from './chat-history.js';
import { loadFailureReason } from './load-failure.js';
import { badRequest, contextLengthExceeded, EngineError } from './errors.js';
import type { ChatInput, CompletionInput, EmbeddingResult, FinishReason, GenerationParams, GenerationResult, GenerationSink, ModelHost } from './host.js';
import { SlotPool } from './slot-pool.js';

export interface ModelHostOptions {
  modelPath: string;
  /** Total context across slots; undefined = the model's training context, capped. */
  ctxSize: number | undefined;
  parallel: number;
  threads: number;
  log: (line: string) => void;
}

// Without --ctx-size, a slot gets the model's training context up to this many tokens: enough
// for chats, without reserving gigabytes of KV cache for 128k-context models.
const DEFAULT_SLOT_CONTEXT = 4096;
const MIN_SLOT_CONTEXT = 64;

// llama-server's sampling defaults, used when the request leaves them out.
const DEFAULTS = { temperature: 0.8, topP: 0.95, topK: 40, minP: 0.05 };

export function slotContextSize(ctxSize: number | undefined, parallel: number, trainContext: number): number {
  const wanted = ctxSize === undefined ? Math.min(trainContext || DEFAULT_SLOT_CONTEXT, DEFAULT_SLOT_CONTEXT) : Math.floor(ctxSize / parallel);
  return Math.max(MIN_SLOT_CONTEXT, wanted);
}

interface Slot {
  context: LlamaContext;
  sequence: LlamaContextSequence;
}

function finishReason(stopReason: string): FinishReason {
  if (stopReason === 'maxTokens') return 'length';
  if (stopReason === 'functionCalls') return 'tool_calls';
  return 'stop';
}

function repeatPenalty(p: GenerationParams): LLamaContextualRepeatPenalty | false {
  const presence = Math.min(1, Math.max(0, p.presencePenalty ?? 0));
  const frequency = Math.min(1, Math.max(0, p.frequencyPenalty ?? 0));
  // Off unless asked, like llama-server (node-llama-cpp would otherwise apply 1.1 by default).
  if (presence === 0 && frequency === 0) return false;
  return { penalty: 1, presencePenalty: presence, frequencyPenalty: frequency };
}

function sampling(p: GenerationParams, maxTokens: number) {
  return {
    maxTokens,
    repeatPenalty: repeatPenalty(p),
    temperature: p.temperature ?? DEFAULTS.temperature,
    topP: p.topP ?? DEFAULTS.topP,
    topK: DEFAULTS.topK,
    minP: DEFAULTS.minP,
    seed: p.seed,
    customStopTriggers: p.stop.length > 0 ? p.stop : undefined,
  };
}

export class LlamaModelHost implements ModelHost {
  ready = true;
  private embedding: Promise<LlamaEmbeddingContext> | undefined;
  private readonly embedPool = new SlotPool([0]);

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly slots: Slot[],
    private readonly pool: SlotPool<Slot>,
    readonly contextSize: number,
    private readonly threads: number,
    // Resolved once: "auto" resolution renders the Jinja template several times, ~1 s per request.
    private readonly chatWrapper: ChatWrapper,
  ) {}

  static async load(opts: ModelHostOptions): Promise<LlamaModelHost> {
    const errors: string[] = [];
    const llama = await getLlama({
      // Prebuilt binaries only: never compile llama.cpp at run time. Metal on macOS, CPU elsewhere.
      gpu: process.platform === 'darwin' ? 'auto' : false,
      build: 'never',
      maxThreads: opts.threads,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        const text = message.trim();
        if (!text) return;
        if (level === LlamaLogLevel.error && errors.length < 50) errors.push(text);
        opts.log(`llama.cpp ${level}: ${text}`);
      },
    });
    try {
      const model = await llama.loadModel({ modelPath: opts.modelPath });
      const contextSize = slotContextSize(opts.ctxSize, opts.parallel, model.trainContextSize);
      const slots: Slot[] = [];
      for (let i = 0; i < opts.parallel; i++) {
        const context = await model.createContext({ contextSize, sequences: 1, threads: opts.threads });
        slots.push({ context, sequence: context.getSequence() });
      }
      // llama.cpp rounds context sizes up; report what the slots really hold.
      const actual = slots[0]?.context.contextSize ?? contextSize;
      const chatWrapper = resolveChatWrapper(model);
      return new LlamaModelHost(llama, model, slots, new SlotPool(slots), actual, opts.threads, chatWrapper);
    } catch (err) {
      await llama.dispose().catch(() => undefined);
      throw new Error(loadFailureReason(errors, err instanceof Error ? err.message : String(err)));
    }
  }

  describe(): Record<string, unknown> {
    return {
      n_ctx: this.contextSize,
      n_ctx_train: this.model.trainContextSize,
      slots: this.slots.length,
      threads: this.threads,
      n_embd: this.model.embeddingVectorSize,
      size: this.model.size,
    };
  }

  private async grammar(json: GenerationParams['json']): Promise<LlamaGrammar | undefined> {
    if (json === undefined) return undefined;
    // The client's schema is unchecked here (hence the cast): node-llama-cpp validates it while
    // building the grammar and throws for what it cannot express.
    try {
      return json === 'any' ? await this.llama.getGrammarFor('json') : await this.llama.createGrammarForJsonSchema(json as never);
    } catch (err) {
      throw badRequest(`response_format: this JSON schema is not supported: ${err instanceof Error ? err.message : String(err)}`, 'response_format');
    }
  }

  private room(promptTokens: number, param: string, requested: number | undefined): number {
    if (promptTokens >= this.contextSize) throw contextLengthExceeded(promptTokens, this.contextSize, param);
    const room = this.contextSize - promptTokens;
    return Math.min(requested ?? room, room);
  }

  async chat(input: ChatInput, sink: GenerationSink | undefined, signal: AbortSignal): Promise<GenerationResult> {
    const converted = toChatHistory(input.messages);
    if (!converted.ok) throw converted.error;
    const history = converted.history;
    const functions = toFunctions(input.tools);
    // Built before taking a slot or opening a stream, so a bad schema is a plain 400.
    const responseGrammar = functions ? undefined : await this.grammar(input.params.json);
    return this.pool.with(signal, async (slot) => {
      const chat = new LlamaChat({ contextSequence: slot.sequence, chatWrapper: this.chatWrapper });
      try {
        const { contextText } = chat.chatWrapper.generateContextState({
          chatHistory: [...history, { type: 'model', response: [] }],
          availableFunctions: functions,
          documentFunctionParams: true,
        });
        const promptTokens = contextText.tokenize(this.model.tokenizer).length;
        const maxTokens = this.room(promptTokens, 'messages', input.params.maxTokens);
        sink?.accepted();
        let completionTokens = 0;
        let text = '';
        let reasoning = '';
        const started = new Set<number>();
        const common = {
          ...sampling(input.params, maxTokens),
          signal,
          stopOnAbortSignal: true,
          onResponseChunk: (chunk: LlamaChatResponseChunk) => {
            completionTokens += chunk.tokens.length;
            if (chunk.type === undefined) {
              text += chunk.text;
              sink?.text(chunk.text);
            } else if (chunk.segmentType === 'thought') {
              reasoning += chunk.text;
              sink?.reasoning(chunk.text);
            }
          },
        };
        // node-llama-cpp takes either functions or a grammar; requests.ts refuses both at once.
        const res = functions
          ? await chat.generateResponse(history, {
              ...common,
              functions,
              documentFunctionParams: true,
              onFunctionCallParamsChunk: (chunk) => {
                if (!started.has(chunk.callIndex)) {
                  started.add(chunk.callIndex);
                  sink?.toolCallStart(chunk.callIndex, chunk.functionName);
                }
                sink?.toolCallArguments(chunk.callIndex, chunk.paramsChunk);
              },
            })
          : await chat.generateResponse(history, { ...common, grammar: responseGrammar });
        const toolCalls = (res.functionCalls ?? []).map((call, index) => {
          completionTokens += LlamaText.fromJSON(call.raw).tokenize(this.model.tokenizer).length;
          const args = JSON.stringify(call.params ?? {});
          // A call whose arguments were not streamed (no params) still gets its name and "{}".
          if (sink && !started.has(index)) sink.toolCallStart(index, call.functionName);
          if (sink && (!started.has(index) || call.params === undefined)) sink.toolCallArguments(index, args);
          return { name: call.functionName, arguments: args };
        });
        return {
          text: res.response || text,
          reasoning,
          toolCalls,
          finishReason: toolCalls.length > 0 ? 'tool_calls' : finishReason(res.metadata.stopReason),
          promptTokens,
          completionTokens,
        };
      } finally {
        chat.dispose({ disposeSequence: false });
      }
    });
  }

  async complete(input: CompletionInput, sink: GenerationSink | undefined, signal: AbortSignal): Promise<GenerationResult> {
    const responseGrammar = await this.grammar(input.params.json);
    return this.pool.with(signal, async (slot) => {
      const completion = new LlamaCompletion({ contextSequence: slot.sequence });
      try {
        const promptTokens = this.model.tokenize(input.prompt).length;
        const maxTokens = this.room(promptTokens, 'prompt', input.params.maxTokens);
        // An empty prompt over a sequence that already holds one leaves node-llama-cpp nothing
        // to evaluate ("context size is too small"): start it from a clean sequence.
        if (promptTokens === 0) await slot.sequence.clearHistory();
        sink?.accepted();
        let completionTokens = 0;
        const res = await completion.generateCompletionWithMeta(input.prompt, {
          ...sampling(input.params, maxTokens),
          signal,
          stopOnAbortSignal: true,
          disableContextShift: true,
          grammar: responseGrammar,
          onToken: (tokens) => { completionTokens += tokens.length; },
          onTextChunk: (text) => sink?.text(text),
        });
        return {
          text: res.response,
          reasoning: '',
          toolCalls: [],
          finishReason: finishReason(res.metadata.stopReason),
          promptTokens,
          completionTokens,
        };
      } finally {
        completion.dispose({ disposeSequence: false });
      }
    });
  }

  private embeddingContext(): Promise<LlamaEmbeddingContext> {
    this.embedding ??= this.model.createEmbeddingContext({ contextSize: this.contextSize, threads: this.threads }).catch((err: unknown) => {
      this.embedding = undefined;
      throw new EngineError(400, 'invalid_request_error', 'embeddings_not_supported',
        `this model cannot produce embeddings: ${err instanceof Error ? err.message : String(err)}`, 'model');
    });
    return this.embedding;
  }

  embed(inputs: string[], signal: AbortSignal): Promise<EmbeddingResult> {
    return this.embedPool.with(signal, async () => {
      const context = await this.embeddingContext();
      const vectors: number[][] = [];
      let promptTokens = 0;
      for (const [i, text] of inputs.entries()) {
        if (signal.aborted) throw signal.reason;
        const tokens = this.model.tokenize(text);
        if (tokens.length >= this.contextSize) throw contextLengthExceeded(tokens.length, this.contextSize, `input.${i}`);
        promptTokens += tokens.length;
        const embedding = await context.getEmbeddingFor(tokens);
        vectors.push([...embedding.vector]);
      }
      return { vectors, promptTokens };
    });
  }

  async dispose(): Promise<void> {
    this.ready = false;
    const embedding = await this.embedding?.catch(() => undefined);
    await embedding?.dispose();
    for (const slot of this.slots) await slot.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}
