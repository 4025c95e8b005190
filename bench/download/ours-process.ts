// Our downloader as the product runs it (`mlx-manager models pull`): the hub context from the
// environment (HF_ENDPOINT, HF_HUB_CACHE) and downloadSnapshot with the product's defaults, in a
// process of its own. Prints "<start epoch ms> <seconds>", timed from before the first request,
// so Node and module start-up are not counted (like the Python clients, timed inside Python).
// argv: <repo id>
import { createHubContext } from '../../server/src/hub/context.js';
import { downloadSnapshot } from '../../server/src/hub/downloader.js';

const repo = process.argv[2];
if (!repo) throw new Error('usage: ours-process <repo>');
const startedAt = Date.now();
const t0 = performance.now();
const hub = await createHubContext(process.env);
try {
  await downloadSnapshot({ repo }, { client: hub.client, cacheDir: hub.cacheDir });
} finally {
  await hub.close();
}
process.stdout.write(`${startedAt} ${(performance.now() - t0) / 1000}\n`);
