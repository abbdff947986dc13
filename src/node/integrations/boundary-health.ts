// `doctor`-style report on the environment gate: which provider is in charge, whether the daemon
// answers, what the local detector sees. Read-only; works without unlocking (pass the vault's
// configuration when a session is open, or get the defaults).
import { DEFAULT_BOUNDARY_CONFIG, type BoundaryConfig } from '../../core/integrations/boundary/boundary-config.js';
import { BoundaryDaemonGate } from '../../core/integrations/boundary/boundary-daemon-gate.js';
import type { BoundaryMode } from '../../core/integrations/boundary/boundary-modes.js';
import type { NetworkState } from '../../core/integrations/boundary/local-environment-gate.js';
import { checkDaemonSocketTrust } from './boundary-socket-trust.js';
import { boundarySource, daemonChannelFor, localGateFor, type BoundaryDeps } from './vault-boundary-gate.js';

export interface BoundaryHealth {
  /** False when level ≥ 3 recalls would be refused for a reason the owner should fix. */
  readonly ok: boolean;
  readonly provider: 'daemon' | 'local';
  readonly config: BoundaryConfig;
  readonly daemon: {
    readonly socketPath: string;
    /** Ownership and permissions of the socket and its directory (a spoofed socket is never asked). */
    readonly trusted: boolean;
    readonly trustProblem: string | null;
    readonly reachable: boolean;
    readonly mode: BoundaryMode | null;
    readonly error: string | null;
  } | null;
  readonly local: { readonly mode: BoundaryMode; readonly detail: string; readonly network: NetworkState | null } | null;
  /** Highest level this environment releases now (2 = nothing above the ungated levels). */
  readonly releasesUpTo: number;
  readonly problems: readonly string[];
}

export async function boundaryHealth(config: BoundaryConfig = DEFAULT_BOUNDARY_CONFIG, deps: BoundaryDeps = {}): Promise<BoundaryHealth> {
  const source = boundarySource(config);
  const problems: string[] = [];
  if (source.kind === 'daemon') {
    const trust = checkDaemonSocketTrust(source.socketPath);
    const trustProblem = trust.trusted || trust.missing ? null : trust.problem;
    const gate = new BoundaryDaemonGate(daemonChannelFor(source.socketPath, deps));
    const mode = await gate.mode();
    let releasesUpTo = 2;
    for (const level of [3, 4, 5] as const) {
      if ((await gate.check({ level, memoryId: 'health-check' })).permitted) releasesUpTo = level;
      else break;
    }
    if (trustProblem) problems.push(`boundary daemon socket refused: ${trustProblem}: level ≥ 3 recalls are refused (BOUNDARY_DENIED)`);
    else if (!mode.ok)
      problems.push(`boundary daemon at ${source.socketPath} does not answer (${mode.error}): level ≥ 3 recalls are refused`);
    return {
      ok: mode.ok,
      provider: 'daemon',
      config,
      daemon: {
        socketPath: source.socketPath,
        trusted: trust.trusted,
        trustProblem,
        reachable: mode.ok,
        mode: mode.ok ? mode.mode : null,
        error: mode.ok ? null : mode.error,
      },
      local: null,
      releasesUpTo,
      problems,
    };
  }
  const detected = await localGateFor(() => config, deps).detect();
  const releasesUpTo = detected.mode === 'ONLINE' ? config.onlineMaxLevel : 5;
  if (detected.network === null) problems.push('the network state could not be read; the vault treats this machine as online');
  return { ok: problems.length === 0, provider: 'local', config, daemon: null, local: detected, releasesUpTo, problems };
}
