// The environment gate shells pass to unlockVault. It reads the owner's boundary settings from
// the vault on every check (so `boundary airgap on` takes effect at once) and delegates to the
// boundary daemon or to the local detector. Before `attach` (the vault is still opening) it uses
// the defaults, which are the cautious ones.
import { existsSync } from 'node:fs';
import { DEFAULT_BOUNDARY_CONFIG, loadBoundaryConfig, type BoundaryConfig } from '../../core/integrations/boundary/boundary-config.js';
import { BoundaryDaemonGate } from '../../core/integrations/boundary/boundary-daemon-gate.js';
import { DEFAULT_BOUNDARY_SOCKET } from '../../core/integrations/boundary/boundary-modes.js';
import { LocalEnvironmentGate, type NetworkProbe } from '../../core/integrations/boundary/local-environment-gate.js';
import type { DaemonChannel } from '../../core/integrations/daemon-channel.port.js';
import type { StateStore } from '../../core/integrations/state-store.port.js';
import type { EnvironmentGate, EnvironmentRequest, EnvironmentVerdict } from '../../core/ports/environment-gate.port.js';
import { SystemNetworkProbe } from './network-probe.js';
import { expandHome, UnixJsonLineChannel } from './unix-json-line-channel.js';

export interface BoundaryDeps {
  readonly probe?: NetworkProbe;
  readonly channelFor?: (socketPath: string) => DaemonChannel;
}

export type BoundarySource =
  { readonly kind: 'daemon'; readonly socketPath: string; readonly explicit: boolean } | { readonly kind: 'local' };

/** Which provider a configuration selects on this machine right now. */
export function boundarySource(config: BoundaryConfig): BoundarySource {
  if (config.daemon === 'off') return { kind: 'local' };
  if (config.daemon !== 'auto') return { kind: 'daemon', socketPath: expandHome(config.daemon), explicit: true };
  const fallback = expandHome(DEFAULT_BOUNDARY_SOCKET);
  return existsSync(fallback) ? { kind: 'daemon', socketPath: fallback, explicit: false } : { kind: 'local' };
}

export function daemonChannelFor(socketPath: string, deps: BoundaryDeps = {}): DaemonChannel {
  return deps.channelFor ? deps.channelFor(socketPath) : new UnixJsonLineChannel(socketPath);
}

export function localGateFor(config: () => BoundaryConfig, deps: BoundaryDeps = {}): LocalEnvironmentGate {
  return new LocalEnvironmentGate(deps.probe ?? new SystemNetworkProbe(), config);
}

export class VaultBoundaryGate implements EnvironmentGate {
  private state: Pick<StateStore, 'getState'> | null = null;

  constructor(private readonly deps: BoundaryDeps = {}) {}

  /** Read settings from this vault from now on. */
  attach(state: Pick<StateStore, 'getState'>): this {
    this.state = state;
    return this;
  }

  config(): BoundaryConfig {
    return this.state ? loadBoundaryConfig(this.state) : DEFAULT_BOUNDARY_CONFIG;
  }

  async check(request: EnvironmentRequest): Promise<EnvironmentVerdict> {
    if (request.level < 3) return { permitted: true, reason: 'levels 0–2 are not environment-gated' };
    let config: BoundaryConfig;
    try {
      config = this.config();
    } catch (e) {
      return { permitted: false, reason: e instanceof Error ? e.message : 'boundary configuration unreadable' };
    }
    // The owner reading their own memory sends it to no model; anyone else might.
    if (config.externalModels === true && request.requesterKind !== 'owner')
      return {
        permitted: false,
        reason:
          'external model access is enabled: levels 3–5 are not released to agents whose models run elsewhere (memory-vault boundary external-models off)',
      };
    const source = boundarySource(config);
    if (source.kind === 'daemon') return new BoundaryDaemonGate(daemonChannelFor(source.socketPath, this.deps)).check(request);
    return localGateFor(() => config, this.deps).check(request);
  }
}
