// Runs one download in a child process so a test can kill -9 it mid-file.
// argv: <hubUrl> <cacheDir> <repo> <chunkSize>
import { HubClient } from '../../src/hub/client.js';
import { downloadSnapshot } from '../../src/hub/downloader.js';

const [hubUrl, cacheDir, repo, chunk] = process.argv.slice(2);
if (!hubUrl || !cacheDir || !repo || !chunk) throw new Error('usage: child-download <hubUrl> <cacheDir> <repo> <chunkSize>');
const client = new HubClient({ endpoint: hubUrl });
await downloadSnapshot({ repo }, { client, cacheDir, chunkSize: Number(chunk), connections: 4, flushMs: 25 });
process.stdout.write('done\n');
await client.close();
