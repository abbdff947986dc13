// Built-in environment check when no boundary daemon runs (DESIGN §7): is this machine online
// (a non-loopback interface with an address and a default route), has the owner asserted an
// air gap, and up to which level does the owner release memories while online? Levels 4–5 are
// refused online unless the owner's policy says otherwise. Detection failure counts as online.
import type { Level } from '../../levels.js';
import type { EnvironmentGate, EnvironmentVerdict } from '../../ports/environment-gate.port.js';
import type { BoundaryMode } from './boundary-modes.js';

export interface NetworkState {
  readonly online: boolean;
  /** Interfaces carrying a default route (IPv4 or IPv6). */
  readonly defaultRoutes: readonly string[];
  /** Non-loopback interfaces with at least one address. */
  readonly interfaces: readonly string[];
  /** How the answer was reached ("/proc/net/route", "interfaces only"). */
  readonly method: string;
}

export interface NetworkProbe {
  probe(): Promise<NetworkState>;
}

export interface LocalPolicy {
  readonly airgap: boolean;
  readonly onlineMaxLevel: number;
}

export function describeNetwork(n: NetworkState): string {
  if (!n.online) return n.interfaces.length === 0 ? 'no network interface has an address' : 'no default route';
  return `default route via ${n.defaultRoutes.join(', ') || n.interfaces.join(', ')}`;
}

export class LocalEnvironmentGate implements EnvironmentGate {
  constructor(
    private readonly probe: NetworkProbe,
    private readonly policy: () => LocalPolicy,
  ) {}

  async detect(): Promise<{ mode: BoundaryMode; detail: string; network: NetworkState | null }> {
    const policy = this.policy();
    let network: NetworkState | null = null;
    try {
      network = await this.probe.probe();
    } catch {
      network = null;
    }
    const detail = network === null ? 'network state unknown (treated as online)' : describeNetwork(network);
    if (policy.airgap) return { mode: 'AIRGAP', detail: `owner-asserted air gap; ${detail}`, network };
    return { mode: network !== null && !network.online ? 'OFFLINE' : 'ONLINE', detail, network };
  }

  async check(request: { readonly level: Level; readonly memoryId: string }): Promise<EnvironmentVerdict> {
    if (request.level < 3) return { permitted: true, reason: 'levels 0–2 are not environment-gated' };
    const policy = this.policy();
    const { mode, detail } = await this.detect();
    if (mode !== 'ONLINE') return { permitted: true, reason: `local check: ${detail}`, mode };
    if (request.level <= policy.onlineMaxLevel) {
      return {
        permitted: true,
        reason: `local check: online (${detail}); the owner's policy releases level ${request.level} online`,
        mode,
      };
    }
    return {
      permitted: false,
      reason: `local check: online (${detail}); level ${request.level} needs an offline or air-gapped machine (owner policy releases up to level ${policy.onlineMaxLevel} online)`,
      mode,
    };
  }
}
