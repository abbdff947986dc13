// A real vault with a real agent server on a Unix socket, in-process, for agent-API tests.
import type { Level } from '../../src/core/levels.js';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import type { RateLimits } from '../../src/node/agent-api/rate-limiter.js';
import { startVaultServer, type RunningServer, type VaultServerOptions } from '../../src/node/agent-api/vault-server.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { airGapped, newVault, passphrase } from '../support/vault-fixture.js';

export interface ServerFixture {
  readonly session: VaultSession;
  readonly server: RunningServer;
  readonly dir: string;
  agent(name: string, maxLevel: Level, namespaces?: string[] | null): Promise<{ client: AgentClient; token: string; id: string }>;
  close(): Promise<void>;
}

export async function startServerFixture(
  opts: { approvalTimeoutMs?: number; limits?: RateLimits; server?: Omit<VaultServerOptions, 'limits'> } = {},
): Promise<ServerFixture> {
  const v = await newVault({
    gates: { environment: airGapped },
    config: { ...(opts.approvalTimeoutMs ? { approvalTimeoutMs: opts.approvalTimeoutMs } : {}) },
  });
  // The owner socket's OPAQUE registration is made from the credential the vault was opened with.
  const server = await startVaultServer(v.session, {
    ownerCredential: passphrase,
    ...opts.server,
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  const clients: AgentClient[] = [];
  return {
    session: v.session,
    server,
    dir: v.dir,
    async agent(name, maxLevel, namespaces = null) {
      const { agent, token } = server.registry.create({ name, maxLevel, namespaces, expiresAt: null });
      const client = await AgentClient.connect({ socketPath: server.agentSocket, token });
      clients.push(client);
      return { client, token, id: agent.id };
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
      v.session.close();
      v.remove();
    },
  };
}

export { codeOf } from '../support/outcome.js';

export async function until<T>(fn: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
