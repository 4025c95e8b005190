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
import { createEngineServer } from './server.js';
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
  let host: LlamaModelHost | undefined;
  let stopping = false;

  const engine = createEngineServer({
    modelId,
    otherNames: [modelPath, options.model, basename(modelPath)],
    host: (): ModelHost | undefined => host,
    modelMeta: () => ({ architecture: header.architecture, ...(host?.describe() ?? {}) }),
    log,
  });

  await new Promise<void>((ok, fail) => {
    engine.server.once('error', fail);
    engine.server.listen(options.port, options.host, () => ok());
  }).catch((err: NodeJS.ErrnoException) => fatal(1, `cannot listen on ${options.host}:${options.port}: ${err.code ?? err.message}`));
  const address = engine.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log(`listening on http://${options.host}:${port} (model ${modelId}, loading)`);

  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    await engine.shutdown();
    await host?.dispose().catch((err: unknown) => log(`dispose failed: ${String(err)}`));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const started = Date.now();
  try {
    // Imported only now: a bad command line or file is refused without loading node-llama-cpp.
    const { LlamaModelHost } = await import('./model-host.js');
    const loaded = await LlamaModelHost.load({ modelPath, ctxSize: options.ctxSize, parallel: options.parallel, threads, log });
    if (stopping) {
      await loaded.dispose();
      return;
    }
    host = loaded;
  } catch (err) {
    if (stopping) return;
    const reason = err instanceof Error ? err.message : String(err);
    fatal(1, `cannot load model ${modelPath}: ${reason}`);
  }
  log(`model loaded in ${Date.now() - started}ms: ${header.architecture}, context ${host.contextSize} tokens per slot, ` +
    `${options.parallel} slot(s), ${threads} thread(s)`);
}

const parsed = parseBuiltinArgs(process.argv.slice(2));
if (!parsed.ok) fatal(2, parsed.message);
run(parsed.options).catch((err: unknown) => fatal(1, err instanceof Error ? err.message : String(err)));
