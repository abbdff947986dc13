// Online/offline detection for the local environment gate. Linux: default routes from
// /proc/net/route and /proc/net/ipv6_route; everywhere: os.networkInterfaces(). Online means a
// non-loopback interface with an address that also carries a default route. Without route
// tables (macOS, Windows) any non-loopback address counts as online — the cautious answer.
import { readFileSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { NetworkProbe, NetworkState } from '../../core/integrations/boundary/local-environment-gate.js';

export interface NetworkProbeSources {
  readonly routeFile?: string;
  readonly ipv6RouteFile?: string;
  readonly interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Interfaces with an IPv4 default route (destination 0, mask 0, RTF_UP) in /proc/net/route. */
export function ipv4DefaultRoutes(table: string): string[] {
  const out: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface, dest, , flags, , , , mask] = f as [string, string, string, string, string, string, string, string];
    if (dest === '00000000' && mask === '00000000' && (Number.parseInt(flags, 16) & 0x1) === 1) out.push(iface);
  }
  return out;
}

/** Interfaces with an IPv6 default route (::/0) in /proc/net/ipv6_route, ignoring `lo`. */
export function ipv6DefaultRoutes(table: string): string[] {
  const out: string[] = [];
  for (const line of table.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const dest = f[0] ?? '';
    const prefix = f[1] ?? '';
    const iface = f[9] ?? '';
    const flags = Number.parseInt(f[8] ?? '0', 16);
    // RTF_UP (0x1) and not RTF_REJECT (0x200): the kernel lists unreachable ::/0 entries on lo.
    if (/^0{32}$/.test(dest) && prefix === '00' && iface !== 'lo' && (flags & 0x1) === 1 && (flags & 0x200) === 0) out.push(iface);
  }
  return out;
}

export class SystemNetworkProbe implements NetworkProbe {
  constructor(private readonly sources: NetworkProbeSources = {}) {}

  probe(): Promise<NetworkState> {
    const list = (this.sources.interfaces ?? networkInterfaces)();
    const interfaces = Object.entries(list)
      .filter(([, addrs]) => (addrs ?? []).some((a) => !a.internal && a.address !== ''))
      .map(([name]) => name)
      .sort();
    const v4 = readOrNull(this.sources.routeFile ?? '/proc/net/route');
    const v6 = readOrNull(this.sources.ipv6RouteFile ?? '/proc/net/ipv6_route');
    if (v4 === null && v6 === null) {
      return Promise.resolve({ online: interfaces.length > 0, defaultRoutes: [], interfaces, method: 'interfaces only (no route table)' });
    }
    const routes = [...new Set([...(v4 ? ipv4DefaultRoutes(v4) : []), ...(v6 ? ipv6DefaultRoutes(v6) : [])])].sort();
    const live = routes.filter((r) => interfaces.includes(r));
    return Promise.resolve({ online: live.length > 0, defaultRoutes: live, interfaces, method: '/proc/net/route and interfaces' });
  }
}
