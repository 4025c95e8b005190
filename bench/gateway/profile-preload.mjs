// Loaded into our server by the gateway benchmark when run with --profile (NODE_OPTIONS=--import):
// the first SIGUSR2 starts V8's CPU profiler, the second writes the profile to
// $MLXM_BENCH_PROFILE_FILE. Lets the benchmark profile one load cell and nothing else. The
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
  if (!running) {
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  running = false;
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(process.env.MLXM_BENCH_PROFILE_FILE ?? 'gateway.cpuprofile', JSON.stringify(result.profile));
  });
});
