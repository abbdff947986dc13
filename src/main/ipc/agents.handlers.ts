// Agent token handlers: list, create (the reply carries the token, once), revoke.
import { agentsContracts } from '../../shared/agents.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function agentsHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    handle(policy, agentsContracts.list, () => backend.listAgents()),
    handle(policy, agentsContracts.create, (args) => backend.createAgent(args)),
    handle(policy, agentsContracts.revoke, ({ agentId }) => backend.revokeAgent(agentId)),
    handle(policy, agentsContracts.resume, ({ agentId }) => backend.resumeAgent(agentId)),
  ];
}
