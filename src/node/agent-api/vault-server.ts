// Composition of a running vault server (headless `serve` and the desktop main process): the
// approval broker as the engine's only approver, the agent socket and the owner socket.
import { join } from 'node:path';
import { ApprovalBroker } from '../../core/approvals/approval-broker.js';
import { systemClock } from '../../core/ports/clock.port.js';
import type { VaultSession } from '../vault/vault-session.js';
import { AgentRegistry } from './agent-registry.js';
import { AUTH_FAILURE_INTERVAL_MS, AuthFailureAggregator, THROTTLED_REQUESTS } from './auth-failure-aggregator.js';
import { AgentServer } from './agent-server.js';
import { RegistryAgentSuspender } from './registry-agent-suspender.js';
import type { AgentConnectionLimits } from './connection-limits.js';
import { AgentService } from './agent.service.js';
import { CommandAllowlist } from './command-allowlist.service.js';
import { UseMethods } from './use-method.js';
import { OwnerServer } from './owner-server.js';
import type { RateLimits } from './rate-limiter.js';
import type { VaultLogger } from '../logging/logger.js';
import type { Credentials } from '../vault/credentials.js';
import { registerOwner } from '../owner-channel/opaque-pake.js';
import { ownerPasswordOf } from '../owner-channel/owner-secret.js';
import type { LoginBackoff } from '../owner-channel/login-backoff.js';
import type { OwnerTransportLimits } from '../owner-channel/owner-transport.js';

import { AGENT_SOCKET, OWNER_SOCKET } from './socket-names.js';

export { AGENT_SOCKET, OWNER_SOCKET };
export const SERVER_VERSION = '0.1.0';

export interface RunningServer {
  readonly broker: ApprovalBroker;
  readonly registry: AgentRegistry;
  readonly agentSocket: string;
  readonly ownerSocket: string;
  close(): Promise<void>;
}

export interface VaultServerOptions {
  limits?: RateLimits;
  logger?: VaultLogger;
  /**
   * The credential the vault was just unlocked with. Used once, here, for the owner socket's
   * OPAQUE registration (record and server setup stay in memory); without one (TPM-only vault)
   * the owner socket refuses every login.
   */
  ownerCredential?: Credentials;
  ownerLimits?: Partial<OwnerTransportLimits>;
  ownerBackoff?: LoginBackoff;
  /** Agent socket caps (connections, login deadline, parked bytes); defaults in connection-limits.ts. */
  agentLimits?: Partial<AgentConnectionLimits>;
}

export async function startVaultServer(session: VaultSession, opts: VaultServerOptions = {}): Promise<RunningServer> {
  const log = opts.logger;
  const password = opts.ownerCredential ? ownerPasswordOf(opts.ownerCredential) : null;
  const registration = password === null ? null : await registerOwner(password);
  if (!registration) log?.warn({ event: 'owner-server.no-login' }, 'no owner credential held: owner socket logins are refused');
  const broker = new ApprovalBroker(systemClock);
  const registry = new AgentRegistry(session.tables.agents);
  // The registry that authenticates agents also answers the delivery re-check (revoked / expired).
  session.engine.setGates({ approvals: broker, requesterStatus: registry });
  // A refusal burst from one agent suspends that agent (not the vault): the registry holds the flag.
  session.engine.setGates({ agentSuspender: new RegistryAgentSuspender(registry, session.engine) });
  // Issue 19: memory.handle / memory.use run the owner's allowlisted commands with secrets.
  const uses = new UseMethods(session.engine, new CommandAllowlist(session.tables.agentCommands, session.engine, registry));
  const service = new AgentService(session.engine, broker, SERVER_VERSION, uses);
  const agentSocket = join(session.paths.dir, AGENT_SOCKET);
  const ownerSocket = join(session.paths.dir, OWNER_SOCKET);
  // Failed agent logins: one aggregated agent.auth leaf per interval, not one per attempt.
  const authFailures = new AuthFailureAggregator((event) => session.engine.recordEvent(event));
  authFailures.start();
  // Throttled requests (RATE_LIMITED at the socket): refusals too, aggregated the same way.
  const throttled = new AuthFailureAggregator(
    (event) => session.engine.recordEvent(event),
    systemClock,
    AUTH_FAILURE_INTERVAL_MS,
    THROTTLED_REQUESTS,
  );
  throttled.start();
  const agents = new AgentServer({
    socketPath: agentSocket,
    registry,
    service,
    authFailures,
    throttled,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.agentLimits ? { connectionLimits: opts.agentLimits } : {}),
    ...(log ? { logger: log } : {}),
  });
  // `status` (owner vault.status, `memory-vault status --json`) states the caps in force.
  session.engine.reportLimits(agents.limitsReport);
  broker.onDidChange((v) =>
    log?.info({ event: 'approval', requestId: v.requestId, state: v.state, level: v.level, agent: v.requester.id }, 'approval request'),
  );
  await agents.listen();
  const owner = new OwnerServer(ownerSocket, session, broker, registry, {
    registration,
    agentConnections: () => agents.connectionCount,
    ...(opts.ownerLimits ? { limits: opts.ownerLimits } : {}),
    ...(opts.ownerBackoff ? { backoff: opts.ownerBackoff } : {}),
  });
  try {
    await owner.listen();
  } catch (e) {
    // e.g. VAULT_BUSY: something live is on owner.sock. Do not leave the agent socket half-started.
    await agents.close();
    await authFailures.stop();
    await throttled.stop();
    throw e;
  }
  session.engine.startPurgeSchedule();
  return {
    broker,
    registry,
    agentSocket,
    ownerSocket,
    async close() {
      // Pending approvals end as expired so their waiting recalls finish before the sockets close.
      broker.expireAll();
      await agents.close();
      await owner.close();
      await authFailures.stop();
      await throttled.stop();
      service.dispose();
    },
  };
}
