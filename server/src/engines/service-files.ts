// Running the manager as a user service: a systemd user unit on Linux, a launchd agent on macOS.
// Text generation is pure; install/uninstall/status run the platform tool through an injectable
// runner (tests use a recording one; no shell ever). launchd status is read from
// `launchctl print`, whose output is parsed properly (L-37 in docs/lessons-from-the-original.md).
import { mkdir, rm, writeFile, access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCapture, type Captured } from './run-capture.js';

export const SERVICE_NAME = 'mlx-manager';
export const LAUNCHD_LABEL = 'com.mlx-manager.app';

export interface ServiceSpec {
  /** argv of the manager: node, the CLI script, `serve`… */
  command: string[];
  env: Record<string, string>;
  /** Folder for launchd's stdout/stderr files (macOS). */
  logDir: string;
}

/** One ExecStart word, quoted for systemd (quotes, backslashes, `$` and `%` escaped). Pure. */
export function systemdQuote(word: string): string {
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '$$$$').replace(/%/g, '%%')}"`;
}

export function systemdUnit(spec: ServiceSpec): string {
  const env = Object.entries(spec.env).map(([k, v]) => `Environment=${systemdQuote(`${k}=${v}`)}`);
  return [
    '[Unit]',
    'Description=MLX Manager (local LLM manager and gateway)',
    'After=network.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${spec.command.map(systemdQuote).join(' ')}`,
    ...env,
    'Restart=on-failure',
    'RestartSec=5',
    // The manager stops its engines itself on SIGTERM; give it the engines' grace period.
    'KillMode=mixed',
    'TimeoutStopSec=30',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function launchdPlist(spec: ServiceSpec): string {
  const args = spec.command.map((a) => `    <string>${xml(a)}</string>`).join('\n');
  const env = Object.entries(spec.env)
    .map(([k, v]) => `    <key>${xml(k)}</key>\n    <string>${xml(v)}</string>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>EnvironmentVariables</key>
  <dict>
${env}
  </dict>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ProcessType</key>
  <string>Interactive</string>
  <key>ThrottleInterval</key>
  <integer>30</integer>
  <key>StandardOutPath</key>
  <string>${xml(path.join(spec.logDir, 'service.out.log'))}</string>
  <key>StandardErrorPath</key>
  <string>${xml(path.join(spec.logDir, 'service.err.log'))}</string>
</dict>
</plist>
`;
}

/** `launchctl print gui/<uid>/<label>` → running and pid. Pure. */
export function parseLaunchctlPrint(text: string): { running: boolean; pid: number | null } {
  const state = /^\s*state = (\S+)/m.exec(text)?.[1];
  const pid = /^\s*pid = (\d+)/m.exec(text)?.[1];
  return { running: state === 'running', pid: pid ? Number(pid) : null };
}

export type Runner = (command: string, args: string[]) => Promise<Captured>;

export interface ServiceStatus {
  platform: 'systemd' | 'launchd';
  installed: boolean;
  running: boolean;
  pid: number | null;
  file: string;
}

export interface ServiceManagerOptions {
  platform?: NodeJS.Platform;
  homeDir?: string;
  run?: Runner;
  uid?: number;
}

export function serviceManager(options: ServiceManagerOptions = {}) {
  const platform = options.platform ?? process.platform;
  const home = options.homeDir ?? os.homedir();
  const run: Runner = options.run ?? ((c, a) => runCapture(c, a, { timeoutMs: 30_000 }));
  const uid = options.uid ?? process.getuid?.() ?? 0;
  if (platform !== 'linux' && platform !== 'darwin') throw new Error(`services are supported on Linux (systemd) and macOS (launchd), not ${platform}`);
  const launchd = platform === 'darwin';
  const file = launchd
    ? path.join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`)
    : path.join(home, '.config', 'systemd', 'user', `${SERVICE_NAME}.service`);
  const target = `gui/${uid}/${LAUNCHD_LABEL}`;

  const must = async (command: string, args: string[]) => {
    const r = await run(command, args);
    if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${(r.stderr || r.stdout || r.error || '').trim()}`);
    return r;
  };
  const exists = () => access(file).then(() => true, () => false);

  return {
    file,
    async install(spec: ServiceSpec): Promise<ServiceStatus> {
      await mkdir(path.dirname(file), { recursive: true });
      if (launchd) {
        await mkdir(spec.logDir, { recursive: true });
        // Re-install replaces a loaded copy: boot it out first (absent is fine).
        await run('launchctl', ['bootout', target]);
        await writeFile(file, launchdPlist(spec), { mode: 0o644 });
        await must('launchctl', ['bootstrap', `gui/${uid}`, file]);
      } else {
        await writeFile(file, systemdUnit(spec), { mode: 0o644 });
        await must('systemctl', ['--user', 'daemon-reload']);
        await must('systemctl', ['--user', 'enable', '--now', `${SERVICE_NAME}.service`]);
      }
      return this.status();
    },
    async uninstall(): Promise<ServiceStatus> {
      if (launchd) await run('launchctl', ['bootout', target]);
      else await run('systemctl', ['--user', 'disable', '--now', `${SERVICE_NAME}.service`]);
      await rm(file, { force: true });
      if (!launchd) await run('systemctl', ['--user', 'daemon-reload']);
      return this.status();
    },
    async status(): Promise<ServiceStatus> {
      const installed = await exists();
      if (launchd) {
        const r = await run('launchctl', ['print', target]);
        const parsed = r.code === 0 ? parseLaunchctlPrint(r.stdout) : { running: false, pid: null };
        return { platform: 'launchd', installed, file, ...parsed };
      }
      const r = await run('systemctl', ['--user', 'show', `${SERVICE_NAME}.service`, '-p', 'ActiveState', '-p', 'MainPID']);
      const active = /^ActiveState=active$/m.test(r.stdout);
      const pid = Number(/^MainPID=(\d+)$/m.exec(r.stdout)?.[1] ?? 0);
      return { platform: 'systemd', installed, file, running: active, pid: active && pid > 0 ? pid : null };
    },
  };
}

export type ServiceManager = ReturnType<typeof serviceManager>;
