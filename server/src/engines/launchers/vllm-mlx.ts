// vllm-mlx (docs/engines.md#vllm-mlx): `vllm-mlx serve <model> …`. The model loads before uvicorn binds
// (refused while loading); /health is 200 with `model_loaded: true` once it can answer.
import { ArgvBuilder } from './argv-builder.js';
import { nameServedWith, type Launcher } from './types.js';

export const vllmMlxLauncher: Launcher = {
  kind: 'vllm-mlx',
  executableNames: ['vllm-mlx'],
  subcommand: ['serve'],
  pythonPackage: 'vllm-mlx',
  versionArgs: null,
  buildArgv(p, caps) {
    const b = new ArgvBuilder('vllm-mlx', caps)
      .required(p.model, '--host', p.host, '--port', String(p.port))
      .option('served_model_name', '--served-model-name', p.served_model_name)
      .option('max_concurrency', '--max-num-seqs', p.max_concurrency)
      .option('queue_timeout_seconds', '--timeout', p.queue_timeout_seconds)
      .option('tool_call_parser', '--tool-call-parser', p.tool_call_parser)
      .option('reasoning_parser', '--reasoning-parser', p.reasoning_parser)
      .toggle('enable_auto_tool_choice', '--enable-auto-tool-choice', p.enable_auto_tool_choice)
      .toggle('trust_remote_code', '--trust-remote-code', p.trust_remote_code)
      .toggle('model_type', '--mllm', p.model_type === 'multimodal')
      .unsupportedSettings('vllm-mlx', p, {
        model_type: 'it serves text and multimodal models',
        context_length: 'it has no context-length flag',
        queue_size: 'it has no queue-size flag',
        threads: 'it has no thread-count flag',
        message_converter: 'it has no message converters',
        chat_template_file: 'it has no chat-template flag',
      });
    return b.build(p, { PYTHONUNBUFFERED: '1' });
  },
  readiness: () => [{ method: 'GET', path: '/health', expectJson: { model_loaded: true } }],
  // It refuses (404) any `model` other than its served name, else the model it was given.
  upstreamModel: (p, caps) => nameServedWith(p, caps, '--served-model-name'),
};
