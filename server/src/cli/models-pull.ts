import type { Command } from 'commander';
import { createHubContext } from '../hub/context.js';
import { downloadSnapshot, type DownloadProgress } from '../hub/downloader.js';
import { HubError } from '../hub/errors.js';
import { etaSeconds, pushSample, speedOf, type SpeedSample } from '../hub/speed.js';
import { CliError, type CliIo } from './io.js';
import { hubFailure, parseRepo } from './models-common.js';
import { formatBytes } from './models-format.js';

/**
 * `models pull <repo>`: downloads straight into the Hugging Face cache with a progress bar.
 * Ctrl-C stops cleanly and keeps partial files; running the same command again resumes.
 */
export function registerModelsPull(models: Command, io: CliIo, stream: NodeJS.WriteStream = process.stderr): void {
  models
    .command('pull')
    .description('download a model into the Hugging Face cache (resumable)')
    .argument('<repo>', 'org/name')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--include <glob...>', 'only these files or fnmatch globs (e.g. "*Q4_K_M.gguf")')
    .action(async (repoArg: string, opts: { revision: string; include?: string[] }) => {
      const repo = parseRepo(repoArg);
      const hub = await createHubContext(io.env);
      if (hub.offline) throw new CliError('Cannot download in offline mode (HF_HUB_OFFLINE is set)');
      // Only draw a bar on a terminal; logs and pipes get one line at the end. Loaded here, not by
      // every command (`serve` included) that shares this program.
      const cliProgress = stream.isTTY ? (await import('cli-progress')).default : undefined;
      const ac = new AbortController();
      const onSigint = (): void => ac.abort();
      process.once('SIGINT', onSigint);
      const bar = cliProgress
        ? new cliProgress.SingleBar(
            { stream, format: ' {bar} {percentage}% | {done} / {total} | {speed}/s | ETA {eta_h}', hideCursor: true, clearOnComplete: false },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      let samples: SpeedSample[] = [];
      const onProgress = (p: DownloadProgress): void => {
        samples = pushSample(samples, { at: Date.now(), bytes: p.bytesFetched });
        const speed = speedOf(samples);
        const eta = etaSeconds(p.bytesDone, p.bytesTotal, speed);
        const payload = { done: formatBytes(p.bytesDone), total: formatBytes(p.bytesTotal), speed: formatBytes(speed), eta_h: eta === null ? '?' : `${eta}s` };
        if (bar) {
          if (bar.getTotal() !== p.bytesTotal) bar.setTotal(p.bytesTotal);
          bar.update(p.bytesDone, payload);
        }
      };
      try {
        bar?.start(1, 0, { done: '0 B', total: '?', speed: '0 B', eta_h: '?' });
        const res = await downloadSnapshot(
          { repo, revision: opts.revision, include: opts.include },
          { client: hub.client, cacheDir: hub.cacheDir, signal: ac.signal, onProgress, progressIntervalMs: 200 },
        );
        bar?.stop();
        io.stdout(`Downloaded ${repo}@${res.commit.slice(0, 10)}: ${res.files.length} files, ${formatBytes(res.bytesTotal)} (${formatBytes(res.bytesFetched)} fetched) → ${res.snapshotDir}`);
      } catch (err) {
        bar?.stop();
        if (err instanceof HubError && err.kind === 'cancelled') {
          throw new CliError('Interrupted: partial files are kept, run the same command again to resume', 130);
        }
        hubFailure(err);
      } finally {
        process.removeListener('SIGINT', onSigint);
        await hub.close();
      }
    });
}
