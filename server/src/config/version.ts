import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The server package's version (read once; same relative path from src/ and dist/). */
export function appVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    cached = pkg.version;
  }
  return cached;
}
