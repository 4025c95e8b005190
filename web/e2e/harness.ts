// What every browser test needs: the built server on a free port with its own data folder,
// Debian's chromium driven by playwright-core, and screenshots saved where the run keeps them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { startFakeHub, type FakeHub, type FakeHubOptions } from '../../server/test/fixtures/fake-hub/index.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const serverEntry = join(repoRoot, 'server/dist/cli/index.js');
const webIndex = join(repoRoot, 'web/build/index.html');
const screenshotDir = join(repoRoot, 'test-results/screenshots');
const CHROMIUM = '/usr/bin/chromium';
const READY_LINE = /MLX Manager listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

export interface RunningServer {
  url: string;
  pid: number;
  home: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for the server (e.g. HF_ENDPOINT of a fake hub). */
  env?: Record<string, string>;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** This process's environment minus MLX_MANAGER_* settings (a developer's database URL, port…). */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MLX_MANAGER_')));
}

/** Starts `mlx-manager serve --port 0` (no shell) with a fresh MLX_MANAGER_HOME; resolves once it listens. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  for (const [file, hint] of [
    [serverEntry, 'npx tsc -p contract/tsconfig.build.json && npx tsc -p server/tsconfig.build.json'],
    [webIndex, 'npm run build -w web'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build first (\`npm test\` does, or run \`${hint}\`).`);
  }
  const home = await mkdtemp(join(tmpdir(), 'mlxm-e2e-'));
  const child = spawn(process.execPath, [serverEntry, 'serve', '--host', '127.0.0.1', '--port', '0'], {
    cwd: repoRoot,
    env: { ...inheritedEnv(), MLX_MANAGER_HOME: home, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_GRACE_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_GRACE_MS);
      }
    }
    await rm(home, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not listen within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const onData = () => {
        const match = READY_LINE.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${signal ?? code}) before listening`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    if (child.pid === undefined) throw new Error('server has no pid');
    return { url, pid: child.pid, home, output: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`, { cause: error });
  }
}

/** Debian's chromium, headless; fails loudly (with the fix) when it is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: the browser tests drive Debian's chromium. Install it with ` +
        '`bash scripts/setup-test-env.sh` (runs `apt-get install chromium`).',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh browser session (its own cookies) on the server. */
export async function newPage(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

/** Saves `test-results/screenshots/<test>-<step>.png` and returns its path. */
export async function screenshot(page: Page, test: string, step: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${test}-${step}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Server + browser for one test file; `close()` ends both (the server by its PID). */
export interface Harness {
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(options: StartOptions = {}): Promise<Harness> {
  const server = await startServer(options);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    server,
    browser,
    close: async () => {
      await browser.close().catch((error: unknown) => console.error('closing chromium failed:', error));
      await server.stop();
    },
  };
}

/** A harness whose server talks to a fake hub and keeps its downloads in its own HF_HOME. */
export interface HubHarness extends Harness {
  hub: FakeHub;
  hfHome: string;
}

/** Starts the fake hub, then the server and browser pointed at it; `close()` ends all and removes HF_HOME. */
export async function startHarnessWithHub(hubOptions: FakeHubOptions, env: Record<string, string> = {}): Promise<HubHarness> {
  const hfHome = await mkdtemp(join(tmpdir(), 'mlxm-e2e-hf-'));
  const hub = await startFakeHub(hubOptions);
  const cleanUp = async () => {
    await hub.close();
    await rm(hfHome, { recursive: true, force: true });
  };
  let harness: Harness;
  try {
    harness = await startHarness({
      env: { HF_ENDPOINT: hub.url, HF_HOME: hfHome, HF_HUB_CACHE: join(hfHome, 'hub'), HF_HUB_OFFLINE: '0', HF_TOKEN: '', ...env },
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return {
    ...harness,
    hub,
    hfHome,
    close: async () => {
      await harness.close();
      await cleanUp();
    },
  };
}

/**
 * Registers the first account on a fresh server (it becomes the admin and is signed in at once).
 * A fresh install opens the login page on this form by itself.
 */
export async function registerFirstAdmin(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByRole('heading', { name: 'Create the administrator account' }).waitFor();
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Confirm password').fill(account.password);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}
