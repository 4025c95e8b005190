// The fake hub's throttle is a true cap per TCP connection, which the download benchmark's
// "physical limit" (connections × cap) relies on: a client that keeps up gets the full rate and
// never more, also over several keep-alive requests on one connection.
import { Agent, request } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { pseudoBytes } from './helpers.js';

const RATE = 2 * 1024 * 1024;
const size = 512 * 1024;

let hub: FakeHub | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  await hub?.close();
});

it('caps each connection at its rate with no initial burst, keep-alive requests sharing the cap', async () => {
  hub = await startFakeHub({ repos: [{ id: 'org/t', files: [{ path: 'a.txt', content: pseudoBytes(size, 2) }] }], faults: { throttleBytesPerSec: RATE } });
  agent = new Agent({ connections: 1 });
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) {
    const res = await request(`${hub.url}/org/t/resolve/main/a.txt`, { dispatcher: agent });
    expect((await res.body.arrayBuffer()).byteLength).toBe(size);
  }
  const seconds = (performance.now() - t0) / 1000;
  const ideal = (3 * size) / RATE; // 0.75 s
  // Never faster than the cap (a few ms of clock rounding aside)…
  expect(seconds).toBeGreaterThan(ideal * 0.97);
  // …and not far slower for a client that keeps up (generous: the machine may be busy).
  expect(seconds).toBeLessThan(ideal * 2);
  expect(hub.stats.peakConcurrentBodies).toBe(1);
});
