// llama.cpp's llama-server (docs/engines.md#llama-server). HTTP is up before the model: /health answers 503
// while loading and 200 `{"status":"ok"}` when ready. `-c` is the total context across slots,
// so it is multiplied by the slot count to give each request the profile's context length.
import { ArgvBuilder } from './argv-builder.js';
import { nameServedWith, type Launcher } from './types.js';

export const llamaServerLauncher: Launcher = {
  kind: 'llama-server',
  executableNames: ['llama-server'],
  subcommand: [],
  pythonPackage: null,
  versionArgs: ['--version'],
  buildArgv(p, caps) {
    const slots = p.max_concurrency ?? 1;
    const b = new ArgvBuilder('llama-server', caps)
      .required('--model', p.model, '--host', p.host, '--port', String(p.port))
      .option('context_length', '--ctx-size', p.context_length === null ? null : p.context_length * slots)
      .option('max_concurrency', '--parallel', p.max_concurrency)
      .option('threads', '--threads', p.threads)
      .option('served_model_name', '--alias', p.served_model_name)
      .option('chat_template_file', '--chat-template-file', p.chat_template_file)
      .option('queue_timeout_seconds', '--timeout', p.queue_timeout_seconds)
      // Tool calls need the Jinja template path; newer builds enable it by default, older need the flag.
      .toggle('enable_auto_tool_choice', '--jinja', p.enable_auto_tool_choice)
      .toggle('model_type', '--embeddings', p.model_type === 'embeddings')
      .unsupportedSettings('llama-server', p, {
        model_type: 'it serves text and embedding models',
        queue_size: 'it has no queue-size flag',
        tool_call_parser: 'it parses tool calls from the Jinja template',
        reasoning_parser: 'use --reasoning-format in extra_args',
        message_converter: 'it has no message converters',
        trust_remote_code: 'GGUF files carry no code',
      });
    return b.build(p);
  },
  readiness: () => [{ method: 'GET', path: '/health', expectJson: { status: 'ok' } }],
  // It accepts any `model`; its /v1/models reports the --alias, else the -m path.
  upstreamModel: (p, caps) => nameServedWith(p, caps, '--alias'),
};
