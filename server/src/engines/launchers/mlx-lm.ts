// mlx_lm.server (docs/engines.md#mlx_lmserver). It binds at once and GET /health says ok before
// the model is loaded, so readiness is a one-token chat completion: only then does *the model*
// answer. The request names the exact --model string, because any other `model` value makes it
// load another.
import { ArgvBuilder } from './argv-builder.js';
import type { Launcher } from './types.js';

export const mlxLmLauncher: Launcher = {
  kind: 'mlx-lm',
  executableNames: ['mlx_lm.server'],
  subcommand: [],
  pythonPackage: 'mlx-lm',
  versionArgs: null,
  buildArgv(p, caps) {
    const b = new ArgvBuilder('mlx_lm.server', caps)
      .required('--model', p.model, '--host', p.host, '--port', String(p.port))
      .option('max_concurrency', '--decode-concurrency', p.max_concurrency)
      .toggle('trust_remote_code', '--trust-remote-code', p.trust_remote_code)
      .unsupportedSettings('mlx-lm', p, {
        context_length: 'it has no context-length flag',
        queue_timeout_seconds: 'it has no request queue',
        queue_size: 'it has no request queue',
        threads: 'it has no thread-count flag',
        served_model_name: 'it reports the --model value',
        tool_call_parser: 'it detects tool calls from the chat template',
        reasoning_parser: 'it detects reasoning from the chat template',
        enable_auto_tool_choice: 'it detects tool calls from the chat template',
        message_converter: 'it has no message converters',
        chat_template_file: 'its --chat-template takes the template text, not a file',
        model_type: 'it serves text models only',
      });
    return b.build(p, { PYTHONUNBUFFERED: '1' });
  },
  readiness: (p) => [
    { method: 'GET', path: '/health' },
    {
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: p.model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 1, stream: false },
    },
  ],
  // Exactly the --model string: any other value makes it load (or download) that model instead.
  upstreamModel: (p) => p.model,
};
