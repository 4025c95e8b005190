// The benchmark's fake hub in a process of its own, so no client shares an event loop with the
// hub's serving and per-connection throttle. Started by run.ts with an IPC channel:
// it sends { type: 'ready', url, files } once listening and answers { id, cmd: 'reset' | 'stats' }
// with { id, stats } (stats since the last reset, counted by the hub).
// argv: <repo id> <throttle bytes per second per connection>
import { createHash } from 'node:crypto';
import { startFakeHub, type FakeRepoInput } from '../../server/test/fixtures/fake-hub/index.js';

const MiB = 1024 * 1024;
const [repo, rateArg] = process.argv.slice(2);
if (!repo || !rateArg || !process.send) throw new Error('usage (with an IPC channel): hub-process <repo> <bytes per second>');

/** Incompressible but cheap bytes (a sha256 counter stream). */
function bytes(n: number, seed: string): Buffer {
  const out = Buffer.alloc(n);
  let off = 0;
  for (let i = 0; off < n; i++) {
    const block = createHash('sha256').update(`${seed}:${i}`).digest();
    off += block.copy(out, off);
  }
  return out;
}

const benchRepo: FakeRepoInput = {
  id: repo,
  tags: ['mlx'],
  files: [
    { path: 'config.json', content: JSON.stringify({ model_type: 'llama', quantization: { bits: 4, group_size: 64 } }) },
    { path: 'tokenizer.json', content: bytes(2 * MiB, 'tok').toString('base64').slice(0, 2 * MiB) },
    { path: 'model-00001-of-00002.safetensors', content: bytes(96 * MiB, 'a') },
    { path: 'model-00002-of-00002.safetensors', content: bytes(32 * MiB, 'b') },
    { path: 'model.safetensors.index.json', content: '{"weight_map":{}}' },
  ],
};

export interface HubStats {
  peakConcurrentBodies: number;
  firstBodyByteAt: number | null;
  bytesServed: number;
}

const hub = await startFakeHub({ repos: [benchRepo], faults: { throttleBytesPerSec: Number(rateArg) } });
const send = process.send.bind(process);
process.on('message', (m: { id: number; cmd: 'reset' | 'stats' }) => {
  if (m.cmd === 'reset') hub.resetStats();
  const stats: HubStats = {
    peakConcurrentBodies: hub.stats.peakConcurrentBodies,
    firstBodyByteAt: hub.stats.firstBodyByteAt,
    bytesServed: [...hub.stats.bytesServed.values()].reduce((a, b) => a + b, 0),
  };
  send({ id: m.id, stats });
});
// The parent going away (closed IPC channel) ends the hub.
process.on('disconnect', () => void hub.close().then(() => process.exit(0)));
send({ type: 'ready', url: hub.url, files: hub.repos.get(repo)!.files.map((f) => ({ path: f.path, size: f.size })) });
