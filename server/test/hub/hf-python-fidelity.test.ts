import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/client.js';
import { downloadSnapshot } from '../../src/hub/downloader.js';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { buildTinyModelFiles, TINY_MODEL_SENTENCE } from '../fixtures/tiny-model/index.js';
import { layout, tempDir } from './helpers.js';
import { runPython } from './python-venv.js';
import { syntheticModelRepo } from './synthetic-model.js';

/**
 * Proof that the fake hub and our downloader both match the real thing: the official
 * huggingface_hub client downloads the same repo from the fake hub, and both caches are
 * byte-identical with the same layout. Then real Python tooling loads ours offline.
 */

const REPO = 'mlx-community/tiny-llama-4bit';
/** The tiny model generator's real llama model (answers one fixed sentence). */
const TINY = 'mlx-community/tiny-fixture';
let hub: FakeHub;
let root: { dir: string; cleanup: () => Promise<void> };
let pyCache: string;
let ourCache: string;

beforeAll(async () => {
  const tinyFiles = [...buildTinyModelFiles('mlx')].map(([path, bytes]) => ({ path, content: Buffer.from(bytes) }));
  hub = await startFakeHub({ repos: [syntheticModelRepo(REPO), { id: TINY, tags: ['mlx'], files: tinyFiles }] });
  root = await tempDir('fidelity');
  pyCache = join(root.dir, 'python');
  ourCache = join(root.dir, 'ours');
});
afterAll(async () => {
  await hub?.close();
  await root?.cleanup();
});

describe('fidelity with the official huggingface_hub client', () => {
  it('produces a byte-identical cache with the same layout', async () => {
    const out = await runPython(
      `import sys\nfrom huggingface_hub import snapshot_download\nprint(snapshot_download(sys.argv[1] if len(sys.argv) > 1 else ${JSON.stringify(REPO)}))`,
      { HF_ENDPOINT: hub.url, HF_HUB_CACHE: pyCache, HF_HUB_DISABLE_TELEMETRY: '1', HF_HUB_DISABLE_PROGRESS_BARS: '1', HF_TOKEN: 'hf_fidelity' },
    );
    const pySnapshot = out.trim().split('\n').at(-1) ?? '';
    expect(pySnapshot).toContain(join('models--mlx-community--tiny-llama-4bit', 'snapshots', hub.repos.get(REPO)!.commit));

    const client = new HubClient({ endpoint: hub.url, token: 'hf_fidelity' });
    try {
      // Small chunks so the big file goes through the ranged path.
      await downloadSnapshot({ repo: REPO }, { client, cacheDir: ourCache, chunkSize: 512 * 1024 });
    } finally {
      await client.close();
    }

    // Python also keeps lock files under `.locks/`; they carry no data.
    const skip = /^\.locks(\/|$)/;
    const theirs = await layout(pyCache, skip);
    const mine = await layout(ourCache, skip);
    expect(mine).toEqual(theirs);
    for (const e of theirs.filter((x) => x.kind === 'file')) {
      const [a, b] = [await readFile(join(pyCache, e.path)), await readFile(join(ourCache, e.path))];
      if (e.path.endsWith('.json') && e.path.includes('/trees/')) expect(JSON.parse(b.toString())).toEqual(JSON.parse(a.toString()));
      else expect(b.equals(a), `${e.path} differs`).toBe(true);
    }
    expect(theirs.some((e) => e.path.endsWith('refs/main'))).toBe(true);
    expect(theirs.filter((e) => e.kind === 'link').length).toBe(5);
    expect(hub.stats.authOnFileHost).toBe(0);

    // And huggingface_hub itself resolves our cache offline (refs/main → snapshot, every file there).
    const offline = await runPython(
      `from huggingface_hub import snapshot_download\nprint(snapshot_download(${JSON.stringify(REPO)}))`,
      { HF_HUB_OFFLINE: '1', HF_HUB_CACHE: ourCache, HF_ENDPOINT: 'http://127.0.0.1:9', HF_HUB_DISABLE_TELEMETRY: '1', HF_HUB_DISABLE_PROGRESS_BARS: '1' },
    );
    expect(offline.trim().split('\n').at(-1)).toBe(join(ourCache, 'models--mlx-community--tiny-llama-4bit', 'snapshots', hub.repos.get(REPO)!.commit));
  });

  it('our download loads offline with transformers AutoConfig and AutoTokenizer', async () => {
    const code = [
      'import json, sys',
      'from transformers import AutoConfig, AutoTokenizer',
      `c = AutoConfig.from_pretrained(${JSON.stringify(REPO)})`,
      `t = AutoTokenizer.from_pretrained(${JSON.stringify(REPO)})`,
      "ids = t('hello world')['input_ids']",
      "chat = t.apply_chat_template([{'role': 'user', 'content': 'hello'}], tokenize=False)",
      "print(json.dumps({'model_type': c.model_type, 'layers': c.num_hidden_layers, 'ids': ids, 'chat': chat}))",
    ].join('\n');
    const out = await runPython(code, {
      HF_HUB_OFFLINE: '1',
      HF_HUB_CACHE: ourCache,
      // Unroutable endpoint: any network attempt would fail loudly.
      HF_ENDPOINT: 'http://127.0.0.1:9',
      HF_HUB_DISABLE_TELEMETRY: '1',
      TRANSFORMERS_VERBOSITY: 'error',
    });
    const res = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { model_type: string; layers: number; ids: number[]; chat: string };
    expect(res.model_type).toBe('llama');
    expect(res.layers).toBe(1);
    expect(res.ids.filter((i) => i === 3 || i === 4)).toEqual([3, 4]);
    expect(res.chat.trim()).toBe('hello');
  }, 120_000);

  it('mlx_lm loads the tiny model we downloaded, offline by repo id, and answers its sentence', async () => {
    const client = new HubClient({ endpoint: hub.url });
    try {
      await downloadSnapshot({ repo: TINY }, { client, cacheDir: ourCache, chunkSize: 64 * 1024 });
    } finally {
      await client.close();
    }
    const code = [
      'import json',
      'from mlx_lm import load, generate',
      `model, tok = load(${JSON.stringify(TINY)})`,
      "prompt = tok.apply_chat_template([{'role': 'user', 'content': 'Hello?'}], add_generation_prompt=True, tokenize=False)",
      "print(json.dumps({'answer': generate(model, tok, prompt=prompt, max_tokens=40)}))",
    ].join('\n');
    const out = await runPython(code, { HF_HUB_OFFLINE: '1', HF_HUB_CACHE: ourCache, HF_ENDPOINT: 'http://127.0.0.1:9', HF_HUB_DISABLE_TELEMETRY: '1' });
    expect((JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { answer: string }).answer).toBe(TINY_MODEL_SENTENCE);
  }, 120_000);
});
