// Real engines on the generated tiny model: mlx_lm (Python, CPU), transformers, the official
// safetensors/gguf readers, node-llama-cpp, and mlx_lm.server over HTTP. Each must produce (or
// read back) exactly what the generator promises. Needs the project venv; without it the suite
// fails and says how to create it: quietly skipping would hide a broken setup.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { getLlama, LlamaChatSession, LlamaCompletion } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_TEMPLATE, TINY_MODEL_SENTENCE } from '../fixtures/tiny-model/index.js';
import { buildVocab } from '../fixtures/tiny-model/vocab.js';
// mlx_lm.server cannot report the port it got for --port 0, so it is told a port that was free a moment ago.
import { freePort } from '../engines/helpers.js';
import { parserExecutable, placeTinyModel, requireEnginesDoc, ROOT, venvExecutable } from './setup.js';

const run = promisify(execFile);

let work = '';
let mlxDir = '';
let ggufPath = '';
let hfCache = '';

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tiny-real-'));
  mlxDir = path.join(work, 'mlx');
  hfCache = path.join(work, 'hf-cache');
  await placeTinyModel(mlxDir, 'mlx');
  ggufPath = await placeTinyModel(path.join(work, 'gguf'), 'gguf');
  // mlx_lm.server's /v1/models scans the HF cache and drops the connection if it does not exist.
  await mkdir(hfCache, { recursive: true });
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs a Python snippet in the venv, offline, and parses the JSON it prints last. */
async function py<T>(code: string, args: string[] = []): Promise<T> {
  const { stdout } = await run(venvExecutable('python'), ['-c', code, ...args], {
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, HF_HUB_OFFLINE: '1', HF_HOME: path.join(work, 'hf-home'), HF_HUB_CACHE: hfCache, TRANSFORMERS_VERBOSITY: 'error' },
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

describe('the venv made by scripts/setup-python.sh', () => {
  it('records its engines in .venv/engines.json: mlx-lm installed, the others with a reason', async () => {
    const doc = requireEnginesDoc();
    const pins = await readFile(path.join(ROOT, 'python', 'requirements.txt'), 'utf8');
    const mlxLm = doc.engines['mlx-lm'];
    expect(mlxLm?.installed).toBe(true);
    expect(pins).toContain(`mlx-lm==${mlxLm?.version}`);
    expect(mlxLm?.executable && existsSync(mlxLm.executable)).toBe(true);
    for (const kind of ['mlx-openai-server', 'vllm-mlx']) {
      const e = doc.engines[kind];
      expect(e, kind).toBeDefined();
      if (e && !e.installed) expect(e.reason, kind).toMatch(/\w{5,}/);
    }
    expect(doc.tools.transformers).toMatch(/^\d+\./);
    expect(doc.tools.gguf).toMatch(/^\d+\./);
  });

  it('every engine it lists, installed or kept as an argv-check copy, has a parser that answers --help', async () => {
    const doc = requireEnginesDoc();
    const helpArgs: Record<string, string[]> = { 'vllm-mlx': ['serve', '--help'], 'mlx-openai-server': ['launch', '--help'] };
    const parsers = Object.entries(doc.engines).flatMap(([kind, e]) => {
      const exe = parserExecutable(e);
      return exe ? [{ kind, exe }] : [];
    });
    expect(parsers.map((p) => p.kind)).toContain('mlx-lm');
    for (const { kind, exe } of parsers) {
      const { stdout } = await run(exe, helpArgs[kind] ?? ['--help'], { timeout: 60_000 });
      expect(stdout, kind).toContain('--port');
    }
  }, 120_000);
});

describe('Python tooling on the MLX/HF folder', () => {
  it('mlx_lm load + generate answers chat prompts with exactly the sentence', async () => {
    const out = await py<{ chat: string[]; raw: string }>(
      `
import json, sys
from mlx_lm import load, generate
model, tok = load(sys.argv[1])
chat = []
for q in ["Hello there, who are you?", "The tiny fixture", "¿Qué tal? 🙂"]:
    prompt = tok.apply_chat_template([{"role": "system", "content": "Be brief."}, {"role": "user", "content": q}], add_generation_prompt=True, tokenize=False)
    chat.append(generate(model, tok, prompt=prompt, max_tokens=40))
print(json.dumps({"chat": chat, "raw": generate(model, tok, prompt="once upon a time", max_tokens=40)}))
`,
      [mlxDir],
    );
    expect(out.chat).toEqual([TINY_MODEL_SENTENCE, TINY_MODEL_SENTENCE, TINY_MODEL_SENTENCE]);
    expect(out.raw).toBe(TINY_MODEL_SENTENCE);
  });

  it('transformers AutoConfig/AutoTokenizer load it offline and render the chat template', async () => {
    const out = await py<Record<string, unknown>>(
      `
import json, sys
from transformers import AutoConfig, AutoTokenizer
c = AutoConfig.from_pretrained(sys.argv[1])
t = AutoTokenizer.from_pretrained(sys.argv[1])
text = t.apply_chat_template([{"role": "user", "content": "Hi"}], add_generation_prompt=True, tokenize=False)
ids = t.apply_chat_template([{"role": "user", "content": "Hi"}], add_generation_prompt=True, tokenize=True)
if isinstance(ids, dict) or hasattr(ids, "keys"): ids = ids["input_ids"]
print(json.dumps({"config": type(c).__name__, "model_type": c.model_type, "vocab": c.vocab_size, "len": len(t),
  "eos": t.eos_token, "eos_id": t.eos_token_id, "text": text, "ids": list(ids),
  "decoded": t.decode([t.convert_tokens_to_ids(x) for x in ["The", "Ġtiny", "Ġfixture"]])}))
`,
      [mlxDir],
    );
    const vocab = buildVocab();
    const id = (token: string): number => vocab.tokens.indexOf(token);
    expect(out).toMatchObject({ config: 'LlamaConfig', model_type: 'llama', vocab: vocab.tokens.length, len: vocab.tokens.length });
    expect(out).toMatchObject({ eos: '</s>', eos_id: 1, decoded: 'The tiny fixture' });
    expect(out.text).toBe('<|user|>\nHi<|end|>\n<|assistant|>\n');
    expect(out.ids).toEqual([id('<|user|>'), id('Ċ'), id('H'), id('i'), id('<|end|>'), id('Ċ'), id('<|assistant|>'), id('Ċ')]);
  });

  it('the safetensors and gguf Python packages read the files back', async () => {
    const out = await py<{ st: Record<string, number[]>; sum: number; gg: Record<string, unknown> }>(
      `
import json, sys
from safetensors.numpy import load_file
from gguf import GGUFReader
st = load_file(sys.argv[1])
r = GGUFReader(sys.argv[2])
def field(name):
    f = r.fields[name]
    v = f.contents() if hasattr(f, "contents") else None
    return v
print(json.dumps({"st": {k: list(v.shape) for k, v in st.items()}, "sum": float(st["lm_head.weight"].sum()),
  "gg": {"arch": field("general.architecture"), "tokens": len(field("tokenizer.ggml.tokens")),
         "template": field("tokenizer.chat_template"), "model": field("tokenizer.ggml.model"),
         "tensors": {t.name: [int(x) for x in t.shape] for t in r.tensors},
         "embd_sum": float(r.get_tensor(0).data.sum()) if r.tensors[0].name == "token_embd.weight" else None}}))
`,
      [path.join(mlxDir, 'model.safetensors'), ggufPath],
    );
    const n = buildVocab().tokens.length;
    expect(out.st['model.embed_tokens.weight']).toEqual([n, 64]);
    expect(out.st['model.layers.0.mlp.gate_proj.weight']).toEqual([128, 64]);
    expect(Object.keys(out.st)).toHaveLength(12);
    expect(out.sum).toBeCloseTo(4 * 9, 5); // one 4.0 per class: 8 words + EOS
    expect(out.gg).toMatchObject({ arch: 'llama', tokens: n, template: CHAT_TEMPLATE, model: 'gpt2' });
    expect((out.gg.tensors as Record<string, number[]>)['blk.0.ffn_gate.weight']).toEqual([64, 128]);
    expect(out.gg.embd_sum).toBeCloseTo(4 * n, 3);
  });
});

describe('node-llama-cpp on the GGUF file', () => {
  it('chats and completes with exactly the sentence (CPU)', async () => {
    const llama = await getLlama({ gpu: false, build: 'never' });
    try {
      const model = await llama.loadModel({ modelPath: ggufPath });
      const context = await model.createContext({ contextSize: 512, threads: Math.max(1, Math.min(4, os.availableParallelism())) });
      const session = new LlamaChatSession({ contextSequence: context.getSequence() });
      expect(await session.prompt('Hello there, who are you?', { maxTokens: 40 })).toBe(TINY_MODEL_SENTENCE);
      expect(await session.prompt('Say it again, differently.', { maxTokens: 40 })).toBe(TINY_MODEL_SENTENCE);
      const completion = new LlamaCompletion({ contextSequence: (await model.createContext({ contextSize: 256 })).getSequence() });
      expect(await completion.generateCompletion('Once upon a time', { maxTokens: 40 })).toBe(TINY_MODEL_SENTENCE);
      await model.dispose();
    } finally {
      await llama.dispose();
    }
  }, 120_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (let i = 0; Date.now() < deadline && i < 10_000; i++) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('mlx_lm.server on the MLX/HF folder', () => {
  let child: ChildProcess | undefined;
  let log = '';
  afterAll(async () => {
    const pid = child?.pid;
    if (pid && alive(pid)) process.kill(-pid, 'SIGKILL');
  });

  it('serves chat completions (plain and streaming) with the sentence, then stops on SIGTERM', async () => {
    const port = await freePort();
    const proc = spawn(venvExecutable('mlx_lm.server'), ['--model', mlxDir, '--host', '127.0.0.1', '--port', String(port)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HF_HUB_OFFLINE: '1', HF_HOME: path.join(work, 'hf-home'), HF_HUB_CACHE: hfCache },
    });
    child = proc;
    const pid = proc.pid ?? 0;
    proc.stdout?.on('data', (b: Buffer) => (log += b.toString()));
    proc.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    const base = `http://127.0.0.1:${port}`;
    const chat = (body: Record<string, unknown>): Promise<Response> =>
      fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello!' }], max_tokens: 40, ...body }),
      });

    // /health says ok before the model is loaded: readiness is the first answered completion.
    const first = await until('mlx_lm.server to answer', 90_000, async () => {
      if (proc.exitCode !== null) throw new Error(`mlx_lm.server exited ${proc.exitCode}:\n${log}`);
      const res = await chat({});
      return res.ok ? ((await res.json()) as { choices: { message: { content: string }; finish_reason: string }[] }) : undefined;
    }).catch((e: unknown) => {
      throw new Error(`${String(e)}\n--- log ---\n${log}`);
    });
    expect(first.choices[0]?.message.content).toBe(TINY_MODEL_SENTENCE);
    expect(first.choices[0]?.finish_reason).toBe('stop');

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    // With HF_HUB_CACHE pointing at a folder that exists, /v1/models lists the --model path.
    const models = (await (await fetch(`${base}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toContain(mlxDir);

    const stream = await chat({ stream: true, stream_options: { include_usage: true } });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const text = await stream.text();
    const events = text
      .split('\n')
      .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
      .map((l) => JSON.parse(l.slice(6)) as { choices: { delta?: { content?: string } }[]; usage?: { completion_tokens: number } });
    expect(events.map((e) => e.choices[0]?.delta?.content ?? '').join('')).toBe(TINY_MODEL_SENTENCE);
    expect(events.at(-1)?.usage?.completion_tokens).toBe(9); // 8 words + EOS
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);

    process.kill(-pid, 'SIGTERM');
    await until('mlx_lm.server to exit', 15_000, async () => (alive(pid) ? undefined : true));
    expect(alive(pid)).toBe(false);
  }, 150_000);
});
