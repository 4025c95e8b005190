// argv contract per engine kind: a full profile gives the command line of docs/engines.md, and
// where the engine is installed in the project venv (.venv/engines.json) its own argument parser
// accepts that command line (a dry parse: argparse patched to stop right after parsing).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateProfileRequest } from '@mlx-manager/contract';
import { describe, expect, it } from 'vitest';
import { parseBuiltinArgs } from '../../src/engines/builtin/args.js';
import { parseHelpFlags } from '../../src/engines/launchers/argv-builder.js';
import { builtinCommand, EngineDiscovery } from '../../src/engines/launchers/discover.js';
import { launcherFor } from '../../src/engines/launchers/index.js';
import type { EngineCaps } from '../../src/engines/launchers/types.js';
import { runCapture } from '../../src/engines/run-capture.js';
import { ENGINES_JSON, parserExecutable, readEnginesJson } from '../real-engines/setup.js';
import { EVERY_FLAG_FIELD, makeProfile } from './helpers.js';

const DRY_PARSE = fileURLToPath(new URL('./dry-parse.py', import.meta.url));

const full = {
  ...EVERY_FLAG_FIELD,
  model: 'mlx-community/Tiny-4bit',
  extra_args: ['--log-level', 'DEBUG'],
  env: { HF_HUB_OFFLINE: '1' },
} satisfies Partial<CreateProfileRequest>;

const caps = (flags: string[] | null, version: string | null = null, prefixArgs: string[] = []): EngineCaps => ({
  executable: '/opt/engine',
  prefixArgs,
  version,
  flags: flags && new Set(flags),
});

describe('argv per engine kind (docs/engines.md)', () => {
  it('mlx-openai-server 1.5.0 gets --max-concurrency and --message-converter', () => {
    const p = makeProfile({ engine: 'mlx-openai-server', ...full });
    const flags = ['--model-path', '--model-type', '--context-length', '--port', '--host', '--max-concurrency', '--queue-timeout', '--queue-size', '--tool-call-parser', '--reasoning-parser', '--message-converter', '--enable-auto-tool-choice', '--trust-remote-code', '--chat-template-file', '--no-log-file'];
    const spec = launcherFor('mlx-openai-server').buildArgv(p, caps(flags, '1.5.0', ['launch']));
    expect(spec.args).toEqual([
      'launch', '--model-path', full.model, '--model-type', 'lm', '--host', '127.0.0.1', '--port', '10240',
      '--context-length', '4096', '--max-concurrency', '2', '--queue-timeout', '120', '--queue-size', '50',
      '--tool-call-parser', 'qwen3', '--reasoning-parser', 'qwen3', '--message-converter', 'qwen3_coder',
      '--enable-auto-tool-choice', '--trust-remote-code', '--chat-template-file', '/tmp/template.jinja', '--no-log-file',
      '--log-level', 'DEBUG',
    ]);
    expect(spec.warnings).toEqual([
      'served_model_name is not supported by mlx-openai-server 1.5.0 (no --served-model-name flag); not passed',
      'threads is not supported by mlx-openai-server: it has no thread-count flag',
    ]);
    expect(spec.env).toEqual({ PYTHONUNBUFFERED: '1', HF_HUB_OFFLINE: '1' });
  });

  it('mlx-openai-server 1.7+ drops --max-concurrency and --message-converter with warnings', () => {
    const p = makeProfile({ engine: 'mlx-openai-server', ...full });
    const flags = ['--model-path', '--model-type', '--context-length', '--port', '--host', '--queue-timeout', '--queue-size', '--served-model-name', '--tool-call-parser', '--reasoning-parser', '--enable-auto-tool-choice', '--trust-remote-code', '--chat-template-file'];
    const spec = launcherFor('mlx-openai-server').buildArgv(p, caps(flags, '1.7.0', ['launch']));
    expect(spec.args).not.toContain('--max-concurrency');
    expect(spec.args).not.toContain('--message-converter');
    expect(spec.args).toContain('--served-model-name');
    expect(spec.warnings).toContain('max_concurrency is not supported by mlx-openai-server 1.7.0 (no --max-concurrency flag); not passed');
    expect(spec.warnings).toContain('message_converter is not supported by mlx-openai-server 1.7.0 (no --message-converter flag); not passed');
  });

  it('mlx_lm.server: --model --host --port, concurrency as --decode-concurrency, every other field warned', () => {
    const p = makeProfile({ engine: 'mlx-lm', ...full });
    const spec = launcherFor('mlx-lm').buildArgv(p, caps(['--model', '--host', '--port', '--decode-concurrency', '--trust-remote-code']));
    expect(spec.args).toEqual(['--model', full.model, '--host', '127.0.0.1', '--port', '10240', '--decode-concurrency', '2', '--trust-remote-code', '--log-level', 'DEBUG']);
    const warned = spec.warnings.map((w) => w.split(' ')[0]);
    expect(warned).toEqual(['context_length', 'queue_timeout_seconds', 'queue_size', 'threads', 'served_model_name', 'tool_call_parser', 'reasoning_parser', 'message_converter', 'enable_auto_tool_choice', 'chat_template_file']);
  });

  it('vllm-mlx: serve <model> with its own flag names', () => {
    const p = makeProfile({ engine: 'vllm-mlx', ...full, extra_args: [] });
    const spec = launcherFor('vllm-mlx').buildArgv(p, caps(null, null, ['serve']));
    expect(spec.args).toEqual([
      'serve', full.model, '--host', '127.0.0.1', '--port', '10240', '--served-model-name', 'tiny', '--max-num-seqs', '2', '--timeout', '120',
      '--tool-call-parser', 'qwen3', '--reasoning-parser', 'qwen3', '--enable-auto-tool-choice', '--trust-remote-code',
    ]);
    expect(spec.warnings[0]).toContain('could not read the flags');
  });

  it('llama-server: -c is the total over slots; --jinja for tool calls', () => {
    const p = makeProfile({ engine: 'llama-server', ...full, model: '/models/tiny.gguf', trust_remote_code: false, extra_args: [] });
    const spec = launcherFor('llama-server').buildArgv(p, caps(null));
    expect(spec.args).toEqual([
      '--model', '/models/tiny.gguf', '--host', '127.0.0.1', '--port', '10240', '--ctx-size', '8192', '--parallel', '2', '--threads', '4',
      '--alias', 'tiny', '--chat-template-file', '/tmp/template.jinja', '--timeout', '120', '--jinja',
    ]);
  });

  it('built-in engine: exactly the command line its own parser (builtin/args.ts) accepts', async () => {
    const p = makeProfile({ engine: 'builtin', model: '/models/tiny.gguf', port: 10240, context_length: 1024, max_concurrency: 2, threads: 2, served_model_name: 'tiny' });
    const cmd = await builtinCommand();
    expect(cmd).not.toBeNull();
    const found = await new EngineDiscovery().discover(launcherFor('builtin'), p);
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    const spec = launcherFor('builtin').buildArgv(p, found.caps);
    expect(spec.command).toBe(process.execPath);
    const own = spec.args.slice(found.caps.prefixArgs.length);
    expect(own).toEqual(['--model', '/models/tiny.gguf', '--host', '127.0.0.1', '--port', '10240', '--ctx-size', '2048', '--threads', '2', '--parallel', '2', '--alias', 'tiny']);
    const parsed = parseBuiltinArgs(own);
    expect(parsed).toMatchObject({ ok: true, options: { model: '/models/tiny.gguf', port: 10240, ctxSize: 2048, threads: 2, parallel: 2, alias: 'tiny' } });
  });

  it('custom: placeholders filled inside arguments, never split', () => {
    const p = makeProfile({ engine: 'custom', model: '/m dir/x', port: 10240, command: ['my-engine', '--listen={host}:{port}', '--model', '{model}'] });
    const spec = launcherFor('custom').buildArgv(p, caps(null));
    expect(spec.args).toEqual(['--listen=127.0.0.1:10240', '--model', '/m dir/x']);
  });

  it('reads flags from argparse, Click and llama.cpp help texts', () => {
    const flags = parseHelpFlags('  -h, --help  show\n  --model-path TEXT  [required]\n  -c,    --ctx-size N   size\n  --no-log-file\n  e-mail foo-bar');
    expect([...flags].sort()).toEqual(['--ctx-size', '--help', '--model-path', '--no-log-file', '-c', '-h']);
  });
});

const engines = readEnginesJson();

describe('argv accepted by the real engines parsers (.venv)', () => {
  it('the project venv lists its engines', () => {
    expect(engines, `${ENGINES_JSON} is missing: run scripts/setup-python.sh`).not.toBeNull();
  });

  const kinds = [
    ['mlx-lm', 'mlx_lm.server'],
    ['mlx-openai-server', 'mlx-openai-server'],
    ['vllm-mlx', 'vllm-mlx'],
  ] as const;
  for (const [kind, exeName] of kinds) {
    const entry = engines?.[kind];
    const executable = parserExecutable(entry);
    if (!executable) {
      // Not installable here (engines.json gives the reason): the per-version tests above cover it.
      it(`${kind}: not installed here (${entry?.reason ?? 'not listed'}), argv checked by the per-version tests above`, () => {
        expect(entry?.installed ?? false).toBe(false);
      });
      continue;
    }
    it(`${kind}: ${exeName} parses the argv built from a full profile`, async () => {
      const dir = path.dirname(executable);
      const found = await new EngineDiscovery({ venvBin: dir, pathEnv: '' }).discover(launcherFor(kind), { executable: null, command: [] });
      expect(found.ok).toBe(true);
      if (!found.ok) return;
      expect(found.caps.flags?.size ?? 0).toBeGreaterThan(3);
      const p = makeProfile({ engine: kind, ...full, extra_args: [] });
      const spec = launcherFor(kind).buildArgv(p, found.caps);
      const python = readFileSync(executable, 'utf8').split('\n')[0]?.replace(/^#!\s*/, '').trim() ?? '';
      const r = await runCapture(python, [DRY_PARSE, executable, ...spec.args], { timeoutMs: 60_000 });
      expect(r.stderr.split('\n').filter((l) => /error:/.test(l)), r.stderr).toEqual([]);
      expect(r.code).toBe(0);
      const parsed = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      expect(Object.values(parsed)).toContain(full.model);
      expect(Object.values(parsed).map(String)).toContain('10240');
    }, 90_000);
  }

  it('the dry parse does refuse what the engine refuses (an unknown flag exits 2)', async () => {
    const entry = engines?.['mlx-lm'];
    expect(entry?.installed, 'mlx-lm must be installed in .venv for the real-engine suites').toBe(true);
    const exe = entry?.executable as string;
    const python = readFileSync(exe, 'utf8').split('\n')[0]?.replace(/^#!\s*/, '').trim() ?? '';
    const r = await runCapture(python, [DRY_PARSE, exe, '--model', 'x', '--max-concurrency', '2'], { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unrecognized arguments: --max-concurrency');
  }, 90_000);
});
