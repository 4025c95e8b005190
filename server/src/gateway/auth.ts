import type { IncomingHttpHeaders } from 'node:http';
import { bearerToken } from '../http/auth.js';
import { SESSION_COOKIE } from '../services/sessions.js';
import type { GatewayCaller, GatewayPorts, Maybe } from './ports.js';

/** Why a `/v1` request was refused (the route answers 401 in the endpoint's error shape). */
export class GatewayAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayAuthError';
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Pure: a socket address on this machine. */
export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (LOOPBACK.has(address) || address.startsWith('127.'));
}

/** Pure: the key a client sent — `Authorization: Bearer` first, then `x-api-key` (Anthropic's SDK). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  const fromHeader = typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
  return bearerToken(headers.authorization) ?? fromHeader;
}

/** What authentication reads of a request (a Fastify request, or Node's own on the direct entry). */
export interface CallerRequest {
  headers: IncomingHttpHeaders;
  /** Parsed cookies; absent when the request carried none. */
  cookies?: Record<string, string | undefined>;
  socket: { remoteAddress?: string | undefined };
}

/**
 * Who may call `/v1`, in order: a user's API key; the web app's session cookie (the browser sends
 * it only on same-site requests, SameSite=Lax, and only JSON bodies are parsed, so a cross-site
 * form cannot ride on it — the same posture as `/api`); or nobody at all from loopback when an
 * admin turned `v1_open_on_loopback` on. A key that is sent but wrong is refused even on loopback.
 */
export function authenticateCaller(ports: GatewayPorts, request: CallerRequest): Maybe<GatewayCaller> {
  const key = presentedKey(request.headers);
  if (!key) return withoutKey(ports, request);
  // The usual case, a key verified a moment ago, answers without a promise.
  const verified = ports.verifyKey(key);
  return verified instanceof Promise ? verified.then((v) => withKey(ports, key, v)) : withKey(ports, key, verified);
}

function withKey(ports: GatewayPorts, key: string, verified: { userId: string; keyId: string } | null): Maybe<GatewayCaller> {
  if (verified) return { userId: verified.userId, keyId: verified.keyId, via: 'api-key' };
  return sessionAsBearer(ports, key);
}

/** A session JWT sent as Bearer (the CLI, scripts logged in as a user) is as good as the cookie. */
async function sessionAsBearer(ports: GatewayPorts, token: string): Promise<GatewayCaller> {
  const session = await ports.verifySession(token);
  if (session) return { userId: session.userId, keyId: null, via: 'session' };
  throw new GatewayAuthError('Invalid API key');
}

async function withoutKey(ports: GatewayPorts, request: CallerRequest): Promise<GatewayCaller> {
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) {
    const session = await ports.verifySession(cookie);
    if (session) return { userId: session.userId, keyId: null, via: 'session' };
  }
  if (isLoopback(request.socket.remoteAddress) && (await ports.openOnLoopback())) return { userId: null, keyId: null, via: 'open-loopback' };
  throw new GatewayAuthError('Missing API key: send Authorization: Bearer <key> or x-api-key');
}
