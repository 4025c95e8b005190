// Where an engine may listen: loopback, every interface (0.0.0.0 / ::) or one of this machine's
// own addresses. A DNS name (other than localhost) is refused before anything binds or looks it
// up: binding a name that resolves elsewhere can only fail, once per port tried.
import os from 'node:os';
import { isIpOrLocalhost, isLoopbackHost } from '@mlx-manager/contract';

const WILDCARDS: ReadonlySet<string> = new Set(['0.0.0.0', '::']);

/** The IP addresses of this machine's network interfaces. */
export function machineAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
}

/** Why an engine cannot listen on `host` here, or null. Pure given the machine's addresses. */
export function hostProblem(host: string, addresses: readonly string[]): string | null {
  if (!isIpOrLocalhost(host)) return 'must be an IP address of this machine, 0.0.0.0, :: or localhost (no DNS names)';
  if (isLoopbackHost(host) || WILDCARDS.has(host)) return null;
  const wanted = host.toLowerCase();
  return addresses.some((a) => a.toLowerCase() === wanted) ? null : `${host} is not an address of this machine`;
}
