import type { Level } from '../levels.js';

export interface EnvironmentVerdict {
  readonly permitted: boolean;
  readonly reason: string;
  /** e.g. ONLINE, OFFLINE, AIRGAP, COLDROOM when a boundary daemon answers */
  readonly mode?: string;
}

/** Boundary provider (DESIGN §7): asked before releasing level ≥ 3 memories. */
export interface EnvironmentGate {
  check(request: EnvironmentRequest): Promise<EnvironmentVerdict>;
}

export interface EnvironmentRequest {
  readonly level: Level;
  readonly memoryId: string;
  /** Who would receive the memory; absent (a health check) is treated as an agent. */
  readonly requesterKind?: 'owner' | 'agent' | 'system';
}

/**
 * Fail closed when nothing is configured: level 3 is allowed on the owner's own machine,
 * levels 4–5 demand an offline/air-gapped environment that only a registered provider can attest.
 */
export const noBoundaryProvider: EnvironmentGate = {
  check: ({ level }) =>
    Promise.resolve(
      level >= 4
        ? { permitted: false, reason: 'No boundary provider attests an offline or air-gapped environment.' }
        : { permitted: true, reason: 'Local host; no boundary provider configured.' },
    ),
};
