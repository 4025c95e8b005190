// Loaded into our server by the gateway benchmark when run with --profile (NODE_OPTIONS=--import):
// the first SIGUSR2 starts V8's CPU profiler, the second writes the profile to
// $MLXM_BENCH_PROFILE_FILE. With MLXM_BENCH_PROFILE_KIND=heap it samples allocations instead
// (a .heapprofile: where the bytes that keep the garbage collector busy are allocated; with
// MLXM_BENCH_HEAP_LIVE=1 only what is still alive at the end, with MLXM_BENCH_HEAP_PROMOTED=1
// only what outlived a scavenge, i.e. what reached the old generation). Lets the benchmark profile one load cell and nothing else. The
// inspector is loaded and connected only on the first signal, so the idle RSS the benchmark
// reads before that is the server's own.
import { writeFileSync } from 'node:fs';

let session = null;
let running = false;
process.on('SIGUSR2', async () => {
  if (!session) {
    const { default: inspector } = await import('node:inspector');
    session = new inspector.Session();
    session.connect();
  }
  const heap = process.env.MLXM_BENCH_PROFILE_KIND === 'heap';
  if (!running) {
    running = true;
    if (heap) session.post('HeapProfiler.enable', () => session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: !process.env.MLXM_BENCH_HEAP_LIVE, includeObjectsCollectedByMinorGC: !process.env.MLXM_BENCH_HEAP_LIVE && !process.env.MLXM_BENCH_HEAP_PROMOTED }));
    else session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  running = false;
  session.post(heap ? 'HeapProfiler.stopSampling' : 'Profiler.stop', (err, result) => {
    if (!err) writeFileSync(process.env.MLXM_BENCH_PROFILE_FILE ?? 'gateway.cpuprofile', JSON.stringify(result.profile));
  });
});
