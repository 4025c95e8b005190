import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchdPlist, parseLaunchctlPrint, serviceManager, systemdQuote, systemdUnit, type Runner } from './service-files.js';

const spec = { command: ['/usr/bin/node', '/opt/mlx manager/cli.js', 'serve'], env: { MLX_MANAGER_HOME: '/home/u/.mlx-manager', PATH: '/usr/bin:/bin' }, logDir: '/home/u/.mlx-manager/logs' };

describe('service files', () => {
  it('writes a systemd user unit with quoted ExecStart and environment', () => {
    const unit = systemdUnit(spec);
    expect(unit).toContain('ExecStart="/usr/bin/node" "/opt/mlx manager/cli.js" "serve"');
    expect(unit).toContain('Environment="MLX_MANAGER_HOME=/home/u/.mlx-manager"');
    expect(unit).toContain('WantedBy=default.target');
    expect(systemdQuote('a"b$c%d\\e')).toBe('"a\\"b$$c%%d\\\\e"');
  });

  it('writes a launchd agent with escaped XML', () => {
    const plist = launchdPlist({ ...spec, command: ['/usr/bin/node', '/a&b<c>/cli.js', 'serve'] });
    expect(plist).toContain('<string>com.mlx-manager.app</string>');
    expect(plist).toContain('<string>/a&amp;b&lt;c&gt;/cli.js</string>');
    expect(plist).toContain('<key>RunAtLoad</key>\n  <true/>');
  });

  it('parses launchctl print (not the tab-separated list format)', () => {
    const text = 'gui/501/com.mlx-manager.app = {\n\tactive count = 1\n\tstate = running\n\tpid = 4242\n}';
    expect(parseLaunchctlPrint(text)).toEqual({ running: true, pid: 4242 });
    expect(parseLaunchctlPrint('state = not running\n')).toEqual({ running: false, pid: null });
  });
});

describe('service install/uninstall/status', () => {
  let home: string;
  afterEach(async () => rm(home, { recursive: true, force: true }));

  it('systemd: writes the unit, reloads, enables; status from systemctl show; uninstall removes it', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'mlxm-svc-'));
    const calls: string[] = [];
    let active = false;
    const run: Runner = async (c, a) => {
      calls.push([c, ...a].join(' '));
      if (a.includes('enable')) active = true;
      if (a.includes('disable')) active = false;
      const stdout = a.includes('show') ? `ActiveState=${active ? 'active' : 'inactive'}\nMainPID=${active ? 77 : 0}\n` : '';
      return { code: 0, stdout, stderr: '', error: null };
    };
    const svc = serviceManager({ platform: 'linux', homeDir: home, run });
    const installed = await svc.install(spec);
    expect(installed).toMatchObject({ platform: 'systemd', installed: true, running: true, pid: 77 });
    expect(await readFile(path.join(home, '.config/systemd/user/mlx-manager.service'), 'utf8')).toContain('ExecStart=');
    expect(calls).toContain('systemctl --user enable --now mlx-manager.service');
    const removed = await svc.uninstall();
    expect(removed).toMatchObject({ installed: false, running: false, pid: null });
  });

  it('launchd: a failing bootstrap is reported, not swallowed', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'mlxm-svc-'));
    const run: Runner = async (c, a) => ({ code: a[0] === 'bootstrap' ? 5 : 0, stdout: '', stderr: a[0] === 'bootstrap' ? 'Bootstrap failed: 5: Input/output error' : '', error: null });
    const svc = serviceManager({ platform: 'darwin', homeDir: home, run, uid: 501 });
    await expect(svc.install(spec)).rejects.toThrow('Bootstrap failed');
  });
});
