// The agent API server: JSON-RPC 2.0 over a Unix domain socket inside the vault directory
// (src/node/rpc/line-rpc-server.ts carries the lines and enforces every cap of connection-limits.ts).
// This file is the agent socket's method table and its auth policy.
// Invariants: nothing but `auth.login` is served before a valid token; the token is re-checked
// on every call (revocation and suspension are immediate); every method runs only on params its
// schema parsed (method-table.ts); requests are rate limited per connection and per agent;
// shutdown stops accepting, finishes in-flight requests, then closes.
import { isVaultError, VaultError } from '../../core/errors.js';
import type { Requester } from '../../core/model/requester.js';
import { silentLogger, type VaultLogger } from '../logging/logger.js';
import { LineRpcServer, type LineRpcConnection, type LineRpcSession } from '../rpc/line-rpc-server.js';
import { methodTable, serveFrame, type CallPolicy } from '../rpc/method-table.js';
import { failResponse, invalidResponse, JSONRPC } from '../rpc/rpc-reply.js';
import { MAX_FRAME_BYTES, methodSchemas, type MethodName, type MethodParams } from './agent-protocol.js';
import type { AgentRegistry } from './agent-registry.js';
import type { AgentService } from './agent.service.js';
import type { AuthFailureAggregator } from './auth-failure-aggregator.js';
import { DEFAULT_AGENT_CONNECTION_LIMITS, type AgentConnectionLimits } from './connection-limits.js';
import { DEFAULT_RATE_LIMITS, TokenBucket, type RateLimits } from './rate-limiter.js';

type AgentRequester = Requester & { kind: 'agent' };

/** What one connection carries between its calls. */
interface AgentConnection {
  readonly line: LineRpcConnection;
  readonly bucket: TokenBucket;
  /** The token of the last successful auth.login on this connection. */
  token: string | null;
}

export interface AgentServerOptions {
  readonly socketPath: string;
  readonly logger?: VaultLogger;
  readonly registry: AgentRegistry;
  readonly service: AgentService;
  readonly limits?: RateLimits;
  readonly maxFrameBytes?: number;
  readonly connectionLimits?: Partial<AgentConnectionLimits>;
  /** Failed auth.login attempts, counted into one `agent.auth` leaf per interval (auth-failure-aggregator.ts). */
  readonly authFailures?: AuthFailureAggregator;
  /** Requests refused with RATE_LIMITED, counted into one `agent.throttle` leaf per source per interval. */
  readonly throttled?: AuthFailureAggregator;
}

export class AgentServer {
  private readonly transport: LineRpcServer;
  private readonly agentBuckets = new Map<string, TokenBucket>();
  private readonly limits: RateLimits;
  private readonly maxFrame: number;
  private readonly log: VaultLogger;
  private readonly caps: AgentConnectionLimits;

  /** The agent socket's methods: one line each, handled by AgentService once the caller is authorized. */
  private readonly methods = methodTable<typeof methodSchemas, AgentConnection>(methodSchemas, {
    'auth.login': (p, c) => this.call('auth.login', p, this.login(c, p.token)),
    'memory.store': (p, c) => this.call('memory.store', p, this.authorize(c)),
    'memory.recall': (p, c) => this.call('memory.recall', p, this.authorize(c)),
    'memory.search': (p, c) => this.call('memory.search', p, this.authorize(c)),
    'memory.list': (p, c) => this.call('memory.list', p, this.authorize(c)),
    'request.status': (p, c) => this.call('request.status', p, this.authorize(c)),
    'request.wait': (p, c) => this.call('request.wait', p, this.authorize(c)),
    'request.cancel': (p, c) => this.call('request.cancel', p, this.authorize(c)),
    'vault.health': (p, c) => this.call('vault.health', p, this.authorize(c)),
    // Issue 19 (use-method.ts): a reference instead of content; a run of an allowlisted command.
    'memory.handle': (p, c) => this.call('memory.handle', p, this.authorize(c)),
    'memory.use': (p, c) => this.call('memory.use', p, this.authorize(c)),
  });

  constructor(private readonly opts: AgentServerOptions) {
    this.log = opts.logger ?? silentLogger();
    this.limits = opts.limits ?? DEFAULT_RATE_LIMITS;
    this.maxFrame = opts.maxFrameBytes ?? MAX_FRAME_BYTES;
    this.caps = { ...DEFAULT_AGENT_CONNECTION_LIMITS, ...opts.connectionLimits };
    const caps = this.caps;
    this.transport = new LineRpcServer({
      name: 'agent',
      socketPath: opts.socketPath,
      loginName: 'auth.login',
      logger: this.log,
      limits: {
        maxConnections: caps.maxConnections,
        unauthenticatedDeadlineMs: caps.loginDeadlineMs,
        idleTimeoutMs: caps.idleTimeoutMs,
        maxFrameBytes: this.maxFrame,
        maxUnauthenticatedFrameBytes: caps.maxUnauthenticatedFrameBytes,
        maxInFlightPerConnection: caps.maxInFlightPerConnection,
        maxParkedBytesPerConnection: caps.maxParkedBytesPerConnection,
        maxParkedBytesTotal: caps.maxParkedBytesTotal,
        maxUnwrittenBytes: caps.maxUnwrittenBytes,
      },
      openSession: (line) => this.openSession(line),
      onThrottled: () => this.opts.throttled?.note('agent-socket', 'RATE_LIMITED'),
    });
  }

  listen(): Promise<void> {
    return this.transport.listen();
  }

  get connectionCount(): number {
    return this.transport.connectionCount;
  }

  /** The caps in force, as `status` states them. */
  get limitsReport(): Readonly<Record<string, number>> {
    const c = this.caps;
    return {
      agentConnections: c.maxConnections,
      agentLoginDeadlineMs: c.loginDeadlineMs,
      agentUnauthenticatedFrameBytes: c.maxUnauthenticatedFrameBytes,
      agentInFlightPerConnection: c.maxInFlightPerConnection,
      agentParkedBytesPerConnection: c.maxParkedBytesPerConnection,
      agentParkedBytesTotal: c.maxParkedBytesTotal,
      agentFrameBytes: this.maxFrame,
    };
  }

  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then close every connection. */
  close(graceMs = 10_000): Promise<void> {
    return this.transport.close(graceMs);
  }

  private openSession(line: LineRpcConnection): LineRpcSession {
    const conn: AgentConnection = {
      line,
      token: null,
      bucket: new TokenBucket(this.limits.perConnection.ratePerSecond, this.limits.perConnection.burst),
    };
    const policy = this.policyFor(conn);
    return {
      onFrame: (frame) =>
        serveFrame(frame, this.methods, conn, policy).then(
          (reply) => {
            if (reply) line.send(reply);
          },
          () => line.send(invalidResponse(null, JSONRPC.INVALID_REQUEST, 'Request failed.')),
        ),
      onDeadline: () =>
        failResponse(null, new VaultError('UNAUTHORIZED', `No auth.login within ${this.caps.loginDeadlineMs} ms; connection closed.`)),
    };
  }

  /** Checked for every well-formed frame before its method is looked up; then refusals are logged. */
  private policyFor(conn: AgentConnection): CallPolicy<MethodName> {
    return {
      admit: () => {
        if (this.transport.closing) return new VaultError('VAULT_LOCKED', 'The server is shutting down.');
        if (conn.bucket.take()) return null;
        this.opts.throttled?.note('agent-socket', 'RATE_LIMITED');
        return new VaultError('RATE_LIMITED', 'Too many requests on this connection; slow down.');
      },
      onRefused: (method, reply, e) => {
        if ('error' in reply) this.log.info({ event: 'rpc.refused', method, code: reply.error.data.code }, 'refused');
        if (method === 'auth.login' && isVaultError(e) && e.code === 'UNAUTHORIZED') this.opts.authFailures?.note('agent-socket', e.code);
      },
    };
  }

  /** auth.login: the presented token, once it authenticates, is this connection's from now on. */
  private login(conn: AgentConnection, token: string): AgentRequester {
    const agent = this.opts.registry.authenticate(token);
    conn.token = token;
    conn.line.markAuthenticated();
    return agent;
  }

  /** Every other method: the connection's token, checked again now (revoked or suspended since?). */
  private authorize(conn: AgentConnection): AgentRequester {
    if (conn.token === null) throw new VaultError('UNAUTHORIZED', 'Call auth.login with your agent token first.');
    return this.opts.registry.authenticate(conn.token);
  }

  private async call<M extends MethodName>(method: M, params: MethodParams<M>, agent: AgentRequester): Promise<unknown> {
    let agentBucket = this.agentBuckets.get(agent.agentId);
    if (!agentBucket) {
      agentBucket = new TokenBucket(this.limits.perAgent.ratePerSecond, this.limits.perAgent.burst);
      this.agentBuckets.set(agent.agentId, agentBucket);
    }
    if (!agentBucket.take()) {
      this.opts.throttled?.note(`agent:${agent.agentId}`, 'RATE_LIMITED');
      throw new VaultError('RATE_LIMITED', 'Too many requests from this agent; slow down.');
    }
    const started = performance.now();
    const result = await this.opts.service.call(method, params, agent);
    this.log.debug({ event: 'rpc', method, agent: agent.agentId, ms: Math.round((performance.now() - started) * 1000) / 1000 }, 'ok');
    return result;
  }
}
