import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type sendFile from '@fastify/send';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The built web app (`web/build`), relative to this file in both src/ and dist/. */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL('../../../web/build', import.meta.url));
}

/**
 * Serves the SPA's files with @fastify/send, which resolves paths inside `root` only (no
 * traversal, L-33 in docs/lessons-from-the-original.md). Returns the SPA fallback for unknown
 * non-API GETs, or undefined if no build exists. @fastify/send is loaded at the first file asked
 * for, so a server only ever used as a gateway never holds it (docs/memory.md).
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
  const serve = fileServer(root);
  app.route<{ Params: { '*': string } }>({
    method: ['GET', 'HEAD'],
    url: '/*',
    // A client that leaves mid-file is not an error of ours.
    errorHandler: (error, request, reply) => {
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') request.raw.destroy();
      else app.errorHandler(error, request, reply);
    },
    handler: (request, reply) => serve(request, reply, `/${request.params['*']}`),
  });
  // Client-side routes (/login, /users…) all load the same shell.
  return (request, reply) => serve(request, reply, '/index.html');
}

/**
 * Answers `pathname` (URL-decoded, from the site root) from `root`, or hands over to the not-found
 * handler. Returns the reply at once (Fastify then waits for it to be sent): an async handler
 * that resolved first would make Fastify send an empty answer while a fallback is still on its way.
 */
function fileServer(root: string): (request: FastifyRequest, reply: FastifyReply, pathname: string) => FastifyReply {
  let send: Promise<typeof sendFile> | undefined;
  const options = { root, index: ['index.html'], cacheControl: false };
  const serve = async (request: FastifyRequest, reply: FastifyReply, pathname: string): Promise<void> => {
    send ??= import('@fastify/send').then((m) => m.default as typeof sendFile);
    // send URI-decodes the path it is given, hence the encoding here.
    const { statusCode, headers, stream, type, metadata } = await (await send)(request.raw, encodeURI(pathname), options);
    if (type === 'file') {
      cacheHeaders(reply.raw, metadata.path);
      await reply.code(statusCode).headers(headers).send(stream);
      return;
    }
    if (type === 'directory') {
      // A folder named without its trailing slash answers as its index, like the folder itself.
      if (!pathname.endsWith('/') && existsSync(`${metadata.path}/index.html`)) return serve(request, reply, `${pathname}/`);
      reply.callNotFound();
      return;
    }
    // Missing files and refused ones (dotfiles) go to the not-found handler (the SPA fallback).
    const error = metadata.error as NodeJS.ErrnoException & { status?: number };
    if (error.code === 'ENOENT' || error.status === 404) {
      reply.callNotFound();
      return;
    }
    await reply.send(error);
  };
  return (request, reply, pathname) => {
    serve(request, reply, pathname).catch((err: unknown) => reply.send(err));
    return reply;
  };
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
