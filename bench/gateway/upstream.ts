// Child process of the gateway benchmark: the fake OpenAI upstream on its own core, so the load
// generator's event loop does not slow it. argv[2]: pause between stream events in ms (default 0).
// Prints one JSON line `{"url": …}` when listening; SIGTERM closes it.
import { startFakeOpenAI } from '../../server/test/fixtures/fake-upstreams/index.js';

const fake = await startFakeOpenAI({ record: false, behaviour: { chunkDelayMs: Number(process.argv[2] ?? 0) } });
process.stdout.write(`${JSON.stringify({ url: fake.url, baseURL: fake.baseURL })}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
