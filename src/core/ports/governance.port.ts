// The Agent-OS governance gate as the engine sees it: before an agent recalls, uses or stores a
// memory, may it? (core/integrations/governance/governance-client.ts speaks the daemon's
// protocol; node/integrations/governance-gate.ts decides whether it is in force.)
import type { Level } from '../levels.js';

export interface GovernanceRequest {
  readonly agentId: string;
  /** `recall`, `use` or `store`. */
  readonly action: string;
  readonly memoryId?: string;
  /** The memory's classification, sent to the daemon as `memory_class`. */
  readonly level?: Level;
}

export interface GovernanceVerdict {
  readonly permitted: boolean;
  readonly reason: string;
}

export interface GovernanceGate {
  authorize(request: GovernanceRequest): Promise<GovernanceVerdict>;
}

/** No governance in force: nothing is asked and nothing is refused on its account. */
export const noGovernance: GovernanceGate = {
  authorize: () => Promise.resolve({ permitted: true, reason: 'governance not in force' }),
};
