import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A secret from config if given, else read from `home/secrets/<name>`, else generated
 * (32 random bytes, hex) and persisted with mode 0600 in a 0700 folder. The `wx` flag makes
 * two processes starting at once agree on one secret (the loser re-reads the winner's).
 */
export async function loadOrCreateSecret(home: string, name: string, fromConfig: string | undefined): Promise<string> {
  if (fromConfig) return fromConfig;
  const dir = join(home, 'secrets');
  const file = join(dir, name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700); // a folder that already existed (or a umask) would keep another mode
  const existing = await readSecret(file);
  if (existing) return existing;
  const secret = randomBytes(32).toString('hex');
  try {
    await writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600); // the umask may have masked bits off, never on; keep it exact
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const winner = await readSecret(file);
    if (!winner) throw new Error(`Secret file ${file} exists but is empty`, { cause: err });
    return winner;
  }
}

/** The trimmed content of a secret file, or undefined when it is missing or empty. */
export async function readSecret(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
