// The engine's AgentSuspender, answered from the agent registry. Invariant: the suspension row
// and its `agent.suspend` audit leaf commit in one transaction (engine.runAudited), so an agent
// is never suspended without a trace, nor traced as suspended without being so. The owner's
// resume goes through `resumeAgent` for the same reason.
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import type { AgentSuspender } from '../../core/ports/agent-suspender.port.js';
import type { AgentRecord, AgentRegistry } from './agent-registry.js';

export class RegistryAgentSuspender implements AgentSuspender {
  constructor(
    private readonly registry: AgentRegistry,
    private readonly engine: VaultEngine,
  ) {}

  async suspend(agentId: string, reason: string): Promise<boolean> {
    const current = this.registry.get(agentId); // NOT_FOUND: the engine then falls back to lockdown
    if (current.suspendedAt !== null) return false;
    return this.engine.runAudited(
      () => this.registry.suspend(agentId, reason),
      () => ({ kind: 'agent.suspend', actor: { type: 'system', id: 'anomaly-detector' }, outcome: 'ok', reason, details: { agentId } }),
    );
  }
}

/** Suspended agents as `status` shows them to the owner (id, name, since when, why). */
export function suspendedAgents(registry: AgentRegistry): { id: string; name: string; suspendedAt: string; reason: string | null }[] {
  return registry
    .list()
    .filter((a) => a.suspendedAt !== null)
    .map((a) => ({ id: a.id, name: a.name, suspendedAt: a.suspendedAt ?? '', reason: a.suspendedReason }));
}

/** The owner lifts a suspension (CLI, owner socket, desktop): audited as `agent.resume` in the same transaction. */
export async function resumeAgent(
  engine: VaultEngine,
  registry: AgentRegistry,
  idOrName: string,
  ownerChannel: string,
): Promise<AgentRecord> {
  const agent = registry.find(idOrName);
  if (agent.suspendedAt === null) return agent;
  return engine.runAudited(
    () => registry.resume(agent.id),
    (a) => ({ kind: 'agent.resume', actor: { type: 'owner', id: ownerChannel }, outcome: 'ok', details: { agentId: a.id } }),
  );
}
