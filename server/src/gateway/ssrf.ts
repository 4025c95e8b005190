import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from '../net/undici.js';

/*
 * Server-side request forgery guard for provider base URLs. Where an upstream may point is decided
 * from the addresses its host name resolves to, both when a provider is saved and again on every
 * connection (a name may resolve elsewhere later: DNS rebinding). Policy in docs/gateway-config.md, "SSRF".
 */

export type AddressClass = 'metadata' | 'link-local' | 'unspecified' | 'multicast' | 'reserved' | 'loopback' | 'private' | 'public';

export interface SsrfPolicy {
  /** Loopback and private ranges (a local Ollama, a LAN vLLM). Cloud metadata and link-local are never allowed. */
  allowPrivate: boolean;
}

/** Host names of cloud metadata services, refused before any lookup. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal']);
/** Metadata endpoints outside the link-local range (Alibaba, Azure wire server) and AWS's IPv6 one. */
const METADATA_V4 = new Set(['100.100.100.200', '168.63.129.16']);
const METADATA_V6 = 'fd00:ec2:0:0:0:0:0:254'; // eight groups, hex, no compression

function v4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function classifyV4(ip: string): AddressClass {
  if (METADATA_V4.has(ip) || ip === '169.254.169.254') return 'metadata';
  const [a = 0, b = 0] = v4Bytes(ip);
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  return 'public';
}

/** Eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail expanded). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4Bytes(dotted[1]);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function embeddedV4(groups: number[], at: number): string {
  const hi = groups[at] ?? 0;
  const lo = groups[at + 1] ?? 0;
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function classifyV6(ip: string): AddressClass {
  const g = v6Groups(ip);
  if (g.map((x) => x.toString(16)).join(':') === METADATA_V6) return 'metadata';
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  // Addresses that carry an IPv4 address are judged by it: mapped (::ffff:a.b.c.d), NAT64, 6to4.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyV4(embeddedV4(g, 6));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(embeddedV4(g, 6));
  if (g[0] === 0x2002) return classifyV4(embeddedV4(g, 1));
  if (zeroUpTo(7)) return g[7] === 1 ? 'loopback' : g[7] === 0 ? 'unspecified' : 'reserved';
  const first = g[0] ?? 0;
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xfe00) === 0xfc00) return 'private';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** Pure: the class of a numeric IPv4 or IPv6 address; throws for anything else. */
export function classifyAddress(ip: string): AddressClass {
  const family = isIP(ip.split('%')[0] ?? '');
  if (family === 4) return classifyV4(ip);
  if (family === 6) return classifyV6(ip);
  throw new Error(`not an IP address: ${ip}`);
}

/** Pure: why an address is refused under the policy, or null when it may be reached. */
export function refusalFor(ip: string, policy: SsrfPolicy): string | null {
  const cls = classifyAddress(ip);
  switch (cls) {
    case 'public':
      return null;
    case 'loopback':
    case 'private':
      return policy.allowPrivate ? null : `${ip} is a ${cls} address and private upstreams are disabled (setting gateway_allow_private_upstreams)`;
    case 'metadata':
      return `${ip} is a cloud metadata address`;
    default:
      return `${ip} is a ${cls} address`;
  }
}

/** Host name as compared to the metadata list: lower case, no trailing dot, no IPv6 brackets. */
function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** Pure: a refusal decided from the host name alone (metadata names, numeric addresses), or null. */
export function refusalForHost(host: string, policy: SsrfPolicy): string | null {
  const name = normaliseHost(host);
  if (METADATA_NAMES.has(name)) return `${name} is a cloud metadata host`;
  if (isIP(name)) return refusalFor(name, policy);
  return null;
}

export class SsrfError extends Error {
  readonly code = 'ESSRF';
  constructor(message: string) {
    super(`Upstream address refused: ${message}`);
    this.name = 'SsrfError';
  }
}

/** Resolves every address of a name; the node:dns lookup shape, injectable for tests. */
export type ResolveAll = (host: string) => Promise<LookupAddress[]>;

export const systemResolveAll: ResolveAll = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export type UrlCheck = { ok: true; addresses: string[] } | { ok: false; reason: 'ssrf' | 'dns'; message: string };

/**
 * Checks a base URL when it is saved: the host's name, then every address it resolves to (one
 * bad address refuses the URL, since a connection may pick any of them).
 */
export async function checkBaseUrl(baseUrl: string, policy: SsrfPolicy, resolveAll: ResolveAll = systemResolveAll): Promise<UrlCheck> {
  const host = normaliseHost(new URL(baseUrl).hostname);
  const byName = refusalForHost(host, policy);
  if (byName) return { ok: false, reason: 'ssrf', message: byName };
  if (isIP(host)) return { ok: true, addresses: [host] };
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch (err) {
    return { ok: false, reason: 'dns', message: `${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  for (const a of addresses) {
    const refusal = refusalFor(a.address, policy);
    if (refusal) return { ok: false, reason: 'ssrf', message: `${host} resolves to ${refusal}` };
  }
  return { ok: true, addresses: addresses.map((a) => a.address) };
}

/**
 * A `lookup` for net/tls connect (and so for undici's connector) that refuses a name resolving to
 * a forbidden address at connect time. The policy is read per connection so a settings change
 * applies to pooled clients too.
 */
export function guardedLookup(policy: () => SsrfPolicy, resolveAll: ResolveAll = systemResolveAll): LookupFunction {
  return (hostname, options, callback) => {
    const name = normaliseHost(hostname);
    const byName = refusalForHost(name, policy());
    if (byName) {
      callback(new SsrfError(byName), '', 4);
      return;
    }
    resolveAll(name).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        for (const a of wanted) {
          const refusal = refusalFor(a.address, policy());
          if (refusal) return callback(new SsrfError(`${name} resolves to ${refusal}`), '', 4);
        }
        const first = wanted[0];
        if (!first) return callback(Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' }), '', 4);
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted);
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}

type Connector = buildConnector.connector;

/**
 * An undici `connect` function that applies the policy to numeric hosts (which never go through
 * a lookup) and to resolved names (through `guardedLookup`). Use as `new Pool(origin, { connect })`.
 */
export function guardedConnector(policy: () => SsrfPolicy, options: buildConnector.BuildOptions = {}, resolveAll: ResolveAll = systemResolveAll): Connector {
  const base = buildConnector({ ...options, lookup: guardedLookup(policy, resolveAll) } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const refusal = refusalForHost(opts.hostname, policy());
    if (refusal) {
      queueMicrotask(() => callback(new SsrfError(refusal), null));
      return;
    }
    base(opts, callback);
  };
}
