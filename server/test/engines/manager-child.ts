// A stand-in manager for the kill -9 test: starts one profile through a Supervisor on the given
// data folder, prints the engine's pid as one JSON line, then idles until killed.
import { EngineDiscovery } from '../../src/engines/launchers/discover.js';
import type { LaunchProfile } from '../../src/engines/launchers/types.js';
import { Supervisor } from '../../src/engines/supervisor.js';

const [dataDir, bin, profileJson] = process.argv.slice(2);
if (!dataDir || !bin || !profileJson) {
  process.stderr.write('usage: manager-child.ts <dataDir> <bin> <profile json>\n');
  process.exit(2);
}
const supervisor = new Supervisor({ dataDir, discovery: new EngineDiscovery({ venvBin: bin, pathEnv: '' }) });
const status = await supervisor.start(JSON.parse(profileJson) as LaunchProfile);
process.stdout.write(`${JSON.stringify({ pid: status.pid })}\n`);
setInterval(() => undefined, 60_000);
