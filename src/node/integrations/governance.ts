// Governance for an open vault: the Agent-OS daemon is the boundary daemon's socket (one
// Agent-OS endpoint), as configured with `memory-vault boundary set-socket`; decisions that were
// actually asked of the daemon are appended to the audit log.
import { loadBoundaryConfig } from '../../core/integrations/boundary/boundary-config.js';
import { GovernanceClient } from '../../core/integrations/governance/governance-client.js';
import type { VaultSession } from '../vault/vault-session.js';
import { boundarySource, daemonChannelFor, type BoundaryDeps } from './vault-boundary-gate.js';

export function governanceFor(session: VaultSession, deps: BoundaryDeps = {}): GovernanceClient {
  const source = boundarySource(loadBoundaryConfig(session.ports.state));
  const channel = source.kind === 'daemon' ? daemonChannelFor(source.socketPath, deps) : null;
  return new GovernanceClient(channel, async (d) => {
    await session.engine.recordEvent({
      kind: 'governance.decision',
      actor: { type: 'agent', id: d.agentId },
      outcome: d.permitted ? 'ok' : 'refused',
      reason: d.reason,
      ...(d.memoryId
        ? { details: { command: d.command, action: d.action, memoryId: d.memoryId } }
        : { details: { command: d.command, action: d.action } }),
    });
  });
}
