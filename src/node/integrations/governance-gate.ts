// The engine's governance gate for an open vault. In force only when the owner enforces it
// (`memory-vault governance enforce on`, stored with the boundary settings and audited as
// boundary.config); then every agent recall, use and store asks the Agent-OS daemon first —
// `verify_agent` once per agent and session, then `request_permission` with `memory_class` —
// and anything but a well-formed "yes" refuses, including no daemon at all (fail closed).
// Each question the daemon was asked is a governance.decision leaf (governance.ts).
import { loadBoundaryConfig } from '../../core/integrations/boundary/boundary-config.js';
import type { GovernanceClient } from '../../core/integrations/governance/governance-client.js';
import type { GovernanceGate } from '../../core/ports/governance.port.js';
import type { VaultSession } from '../vault/vault-session.js';
import { governanceFor } from './governance.js';
import type { BoundaryDeps } from './vault-boundary-gate.js';

export function governanceGate(session: VaultSession, deps: BoundaryDeps = {}): GovernanceGate {
  // One client per daemon setting, so "verified once per agent" holds while the setting stands.
  let current: { readonly daemon: string; readonly client: GovernanceClient } | null = null;
  return {
    async authorize(request) {
      const config = loadBoundaryConfig(session.ports.state);
      if (config.governance !== 'enforce') return { permitted: true, reason: 'governance not enforced' };
      if (current?.daemon !== config.daemon) current = { daemon: config.daemon, client: governanceFor(session, deps) };
      if (!current.client.configured)
        return {
          permitted: false,
          reason: 'governance is enforced but no Agent-OS daemon is configured (memory-vault boundary set-socket PATH)',
        };
      const decision = await current.client.authorize(request);
      return { permitted: decision.permitted, reason: decision.reason };
    },
  };
}
