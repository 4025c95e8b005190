// The built-in engine (engines/builtin, on node-llama-cpp), run as its own child process. Its
// command line is the contract of builtin/args.ts; /health is 503 `loading` until the model is
// loaded, then 200 `{"status":"ok"}`. Discovery resolves node + the compiled or source script.
import { basename } from 'node:path';
import { ArgvBuilder, isSet } from './argv-builder.js';
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
      .unsupportedWhen('model_type', p.model_type !== 'lm', 'it serves GGUF text models')
      .unsupportedWhen('queue_timeout_seconds', isSet(p.queue_timeout_seconds), 'it has no request queue')
      .unsupportedWhen('queue_size', isSet(p.queue_size), 'it has no request queue')
      .unsupportedWhen('tool_call_parser', isSet(p.tool_call_parser), 'it parses tool calls itself')
      .unsupportedWhen('reasoning_parser', isSet(p.reasoning_parser), 'it has no reasoning parsers')
      .unsupportedWhen('message_converter', isSet(p.message_converter), 'it has no message converters')
      .unsupportedWhen('chat_template_file', isSet(p.chat_template_file), 'it uses the GGUF chat template')
      .unsupportedWhen('trust_remote_code', p.trust_remote_code, 'GGUF files carry no code');
    return b.build(p);
  },
  readiness: () => [{ method: 'GET', path: '/health', expectJson: { status: 'ok' } }],
  // It answers to its --alias, else to the file's base name (and accepts the path too).
  upstreamModel: (p) => p.served_model_name || basename(p.model),
};
