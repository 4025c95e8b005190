// The built-in engine (engines/builtin, on node-llama-cpp), run as its own child process. Its
// command line is the contract of builtin/args.ts; /health is 503 `loading` until the model is
// loaded, then 200 `{"status":"ok"}`. Discovery resolves node + the compiled or source script.
import { basename } from 'node:path';
import { ArgvBuilder } from './argv-builder.js';
import type { Launcher } from './types.js';

/** Exactly the flags builtin/args.ts parses. */
export const BUILTIN_FLAGS: ReadonlySet<string> = new Set(['--model', '--host', '--port', '--ctx-size', '--threads', '--parallel', '--alias']);

export const builtinLauncher: Launcher = {
  kind: 'builtin',
  executableNames: [],
  subcommand: [],
  pythonPackage: null,
  versionArgs: null,
  buildArgv(p, caps) {
    const b = new ArgvBuilder('the built-in engine', caps)
      .required('--model', p.model, '--host', p.host, '--port', String(p.port))
      .option('context_length', '--ctx-size', p.context_length === null ? null : p.context_length * (p.max_concurrency ?? 1))
      .option('threads', '--threads', p.threads)
      .option('max_concurrency', '--parallel', p.max_concurrency)
      .option('served_model_name', '--alias', p.served_model_name)
      .unsupportedSettings('builtin', p, {
        model_type: 'it serves GGUF text models',
        queue_timeout_seconds: 'it has no request queue',
        queue_size: 'it has no request queue',
        tool_call_parser: 'it parses tool calls itself',
        reasoning_parser: 'it has no reasoning parsers',
        enable_auto_tool_choice: 'it parses tool calls itself',
        message_converter: 'it has no message converters',
        chat_template_file: 'it uses the GGUF chat template',
        trust_remote_code: 'GGUF files carry no code',
        executable: 'it always runs with the manager’s own Node.js',
      });
    return b.build(p);
  },
  readiness: () => [{ method: 'GET', path: '/health', expectJson: { status: 'ok' } }],
  // It answers to its --alias, else to the file's base name (and accepts the path too).
  upstreamModel: (p) => p.served_model_name || basename(p.model),
};
