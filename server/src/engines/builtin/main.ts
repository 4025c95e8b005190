// Entry of the built-in engine, run by the supervisor as its own process:
//   node server/dist/engines/builtin/main.js --model <gguf> --host H --port P [--ctx-size N]
//     [--threads N] [--parallel N] [--alias NAME]
// The HTTP server answers 503 on /health while the model loads, then 200. A bad command line
// exits 2, a model that cannot be loaded exits 1, each with one clear line on stderr.
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { parseBuiltinArgs, type BuiltinOptions } from './args.js';
import { GgufFileError, validateGgufFile } from './gguf-file.js';
import type { ModelHost } from './host.js';
import type { LlamaModelHost } from './model-host.js';
import { createEngineServer, type EngineServer } from './server.js';
import { resolveThreads } from './threads.js';

const PREFIX = 'mlx-manager builtin engine';

function fatal(code: number, message: string): never {
  process.stderr.write(`${PREFIX}: ${message}\n`);
  process.exit(code);
}

const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
};

async function run(options: BuiltinOptions): Promise<void> {
  // What a stop must tear down, filled in as the start goes on.
  const running: { engine?: EngineServer; host?: LlamaModelHost; stopping: boolean } = { stopping: false };
  // Installed first, so a stop at any moment (even during the header check) exits 0.
  const stop = async (signal: string): Promise<void> => {
    if (running.stopping) return;
    running.stopping = true;
    log(`${signal}: shutting down`);
    await running.engine?.shutdown();
    await running.host?.dispose().catch((err: unknown) => log(`dispose failed: ${String(err)}`));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const modelPath = resolve(options.model);
  // Refuse a malformed file here: some headers make llama.cpp abort the process outright.
  let header;
  try {
    header = await validateGgufFile(modelPath);
  } catch (err) {
    if (err instanceof GgufFileError) fatal(1, err.message);
    throw err;
  }
  const threads = resolveThreads(options.threads, availableParallelism());
  const modelId = options.alias ?? basename(modelPath);

  const server = createEngineServer({
    modelId,
    otherNames: [modelPath, options.model, basename(modelPath)],
    host: (): ModelHost | undefined => running.host,
    modelMeta: () => ({ architecture: header.architecture, ...(running.host?.describe() ?? {}) }),
    log,
  });

  running.engine = server;
  await new Promise<void>((ok, fail) => {
    server.server.once('error', fail);
    server.server.listen(options.port, options.host, () => ok());
  }).catch((err: NodeJS.ErrnoException) => fatal(1, `cannot listen on ${options.host}:${options.port}: ${err.code ?? err.message}`));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log(`listening on http://${options.host}:${port} (model ${modelId}, loading)`);

  const started = Date.now();
  try {
    // Imported only now: a bad command line or file is refused without loading node-llama-cpp.
    const { LlamaModelHost } = await import('./model-host.js');
    const loaded = await LlamaModelHost.load({ modelPath, ctxSize: options.ctxSize, parallel: options.parallel, threads, log });
    if (running.stopping) {
      await loaded.dispose();
      return;
    }
    running.host = loaded;
  } catch (err) {
    if (running.stopping) return;
    const reason = err instanceof Error ? err.message : String(err);
    fatal(1, `cannot load model ${modelPath}: ${reason}`);
  }
  log(`model loaded in ${Date.now() - started}ms: ${header.architecture}, context ${running.host.contextSize} tokens per slot, ` +
    `${options.parallel} slot(s), ${threads} thread(s)`);
}

const parsed = parseBuiltinArgs(process.argv.slice(2));
if (!parsed.ok) fatal(2, parsed.message);
run(parsed.options).catch((err: unknown) => fatal(1, err instanceof Error ? err.message : String(err)));
