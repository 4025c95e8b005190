// mlx-openai-server (docs/engines.md#mlx-openai-server): `mlx-openai-server launch --model-path …`.
// The model loads before uvicorn binds, so connections are refused while loading; GET /health
// answers 200 once the handler is initialised. `--max-concurrency` and `--message-converter` are
// gone from 1.7.0.
import { ArgvBuilder } from './argv-builder.js';
import { nameServedWith, type Launcher } from './types.js';

export const mlxOpenAiServerLauncher: Launcher = {
  kind: 'mlx-openai-server',
  executableNames: ['mlx-openai-server'],
  subcommand: ['launch'],
  pythonPackage: 'mlx-openai-server',
  versionArgs: null,
  buildArgv(p, caps) {
    const b = new ArgvBuilder('mlx-openai-server', caps)
      .required('--model-path', p.model, '--model-type', p.model_type, '--host', p.host, '--port', String(p.port))
      .option('context_length', '--context-length', p.context_length)
      .option('max_concurrency', '--max-concurrency', p.max_concurrency)
      .option('queue_timeout_seconds', '--queue-timeout', p.queue_timeout_seconds)
      .option('queue_size', '--queue-size', p.queue_size)
      .option('served_model_name', '--served-model-name', p.served_model_name)
      .option('tool_call_parser', '--tool-call-parser', p.tool_call_parser)
      .option('reasoning_parser', '--reasoning-parser', p.reasoning_parser)
      .option('message_converter', '--message-converter', p.message_converter)
      .toggle('enable_auto_tool_choice', '--enable-auto-tool-choice', p.enable_auto_tool_choice)
      .toggle('trust_remote_code', '--trust-remote-code', p.trust_remote_code)
      .option('chat_template_file', '--chat-template-file', p.chat_template_file)
      // Its own log file defaults to ./logs/app.log (relative to our cwd): we capture stdout instead.
      .optionalToggle('--no-log-file')
      .unsupportedSettings('mlx-openai-server', p, { threads: 'it has no thread-count flag' });
    return b.build(p, { PYTHONUNBUFFERED: '1' });
  },
  readiness: () => [{ method: 'GET', path: '/health', expectJson: { status: 'ok' } }],
  // One model per process, yet 1.8.1 answers 404 to any other `model`: send what its /v1/models reports.
  upstreamModel: (p, caps) => nameServedWith(p, caps, '--served-model-name'),
};
