import type { FastifyInstance } from 'fastify';

/**
 * Headers every response carries. The SPA is a static build whose only script is the module
 * bootstrap SvelteKit inlines into index.html, allowed by its hash (see spaCsp); nothing else may
 * run inline, nothing may frame the app, and no URL leaks through the Referer header.
 */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** Pure: the Content-Security-Policy, allowing the inline scripts whose hashes are given. */
export function contentSecurityPolicy(scriptHashes: readonly string[] = []): string {
  const scripts = ["'self'", ...scriptHashes.map((h) => `'${h}'`)].join(' ');
  return [
    "default-src 'self'",
    `script-src ${scripts}`,
    // Svelte transitions and component styles set style attributes at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // The chat samples frames from a video the user attaches, played from a local blob: URL.
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Pure: every security header with its value, the policy allowing the inline scripts whose hashes are given. */
export function securityHeaders(scriptHashes: readonly string[]): Readonly<Record<string, string>> {
  return { ...BASE_SECURITY_HEADERS, 'content-security-policy': contentSecurityPolicy(scriptHashes) };
}

/** Adds the security headers to every response Fastify sends (API, SPA, errors, 404s). */
export function installSecurityHeaders(app: FastifyInstance, all: Readonly<Record<string, string>>): void {
  const headers = Object.entries(all);
  // A plain callback hook over a prepared list: it runs on every response, so no promise per call.
  app.addHook('onSend', (_request, reply, payload, done) => {
    for (const [name, value] of headers) if (!reply.hasHeader(name)) void reply.header(name, value);
    done(null, payload);
  });
}
