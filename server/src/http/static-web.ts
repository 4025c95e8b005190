import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type {} from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The built web app (`web/build`), relative to this file in both src/ and dist/. */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL('../../../web/build', import.meta.url));
}

/**
 * Serves the SPA's files; @fastify/static resolves paths inside `root` only (no traversal,
 * L-33 in docs/lessons-from-the-original.md). Returns the SPA fallback for unknown non-API GETs,
 * or undefined if no build exists.
 */
export async function registerStaticWeb(
  app: FastifyInstance,
  root: string | undefined,
): Promise<((request: FastifyRequest, reply: FastifyReply) => FastifyReply) | undefined> {
  if (!root || !existsSync(`${root}/index.html`)) {
    app.get('/', async () => ({
      name: 'MLX Manager',
      note: 'The web app is not built; run `npm run build` (or `npm start`). The API is under /api and /v1.',
    }));
    return undefined;
  }
  // Loaded only when there is a web build to serve (an API-only install never holds it).
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(fastifyStatic, { root, wildcard: true, index: ['index.html'], cacheControl: false, setHeaders: cacheHeaders });
  // Client-side routes (/login, /users…) all load the same shell.
  return (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html');
}

/** Hashed build assets never change; everything else must be revalidated. */
function cacheHeaders(res: { setHeader(name: string, value: string): void }, path: string): void {
  res.setHeader('cache-control', path.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** Pure: the CSP hashes (`sha256-…`) of the inline scripts of an HTML page. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    const body = match[1] ?? '';
    if (body.trim() !== '') hashes.push(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
  }
  return hashes;
}

/** The hashes of the SPA shell's inline scripts (SvelteKit's bootstrap), so the CSP allows exactly them. */
export async function spaScriptHashes(root: string): Promise<string[]> {
  try {
    return inlineScriptHashes(await readFile(`${root}/index.html`, 'utf8'));
  } catch {
    return []; // no build: no inline script to allow
  }
}
