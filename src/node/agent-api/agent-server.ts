// The agent API transport: JSON-RPC 2.0 over a Unix domain socket inside the vault directory
// (the directory is 0700 and the socket is chmod 0600, so only the owner's user can connect).
// Invariants: nothing but `auth.login` is served before a valid token; the token is re-checked
// on every call (revocation and suspension are immediate); malformed input gets a JSON-RPC error,
// never a crash; every resource a client can make the server hold is capped (connection-limits.ts:
// connections, login deadline, requests at once, parked bytes per connection and in total);
// shutdown stops accepting, finishes in-flight requests, then closes.
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { isVaultError, VaultError } from '../../core/errors.js';
import type { Requester } from '../../core/model/requester.js';
import { envelopeSchema, isMethodName, JSONRPC, MAX_FRAME_BYTES, methodSchemas, type RpcResponse } from './agent-protocol.js';
import type { AgentRegistry } from './agent-registry.js';
import type { AgentService } from './agent-service.js';
import { FrameTooLarge, LineFramer } from './line-framer.js';
import { DEFAULT_RATE_LIMITS, TokenBucket, type RateLimits } from './rate-limiter.js';
import { ByteBudget, DEFAULT_AGENT_CONNECTION_LIMITS, type AgentConnectionLimits } from './connection-limits.js';
import { silentLogger, type VaultLogger } from '../logging/logger.js';
import { failResponse } from '../owner-channel/rpc-reply.js';
import type { AuthFailureAggregator } from './auth-failure-aggregator.js';

type Id = string | number | null;

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });


/** The id of a frame refused before it is handled, so the client can match the refusal (null if unreadable). */
function idOf(frame: Buffer): Id {
  try {
    const raw: unknown = JSON.parse(frame.toString('utf8'));
    if (typeof raw === 'object' && raw !== null && 'id' in raw && (typeof raw.id === 'string' || typeof raw.id === 'number')) return raw.id;
  } catch {
    /* unreadable: answered with id null */
  }
  return null;
}

function protocolError(id: Id, code: number, message: string): RpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message, data: { code: 'INVALID_INPUT' } } };
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

/** Refuse to start over a live socket; remove a stale one left by a crash. */
export async function clearStaleSocket(path: string): Promise<void> {
  if (!existsSync(path)) return;
  const live = await new Promise<boolean>((resolve) => {
    const c = connect(path);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (live) throw new VaultError('VAULT_BUSY', 'Another server is already listening on this vault.');
  unlinkSync(path);
}

export class AgentServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly agentBuckets = new Map<string, TokenBucket>();
  private closing = false;
  private readonly limits: RateLimits;
  private readonly maxFrame: number;
  private readonly log: VaultLogger;
  private readonly caps: AgentConnectionLimits;
  private readonly parkedBudget: ByteBudget;

  constructor(private readonly opts: AgentServerOptions) {
    this.log = opts.logger ?? silentLogger();
    this.limits = opts.limits ?? DEFAULT_RATE_LIMITS;
    this.maxFrame = opts.maxFrameBytes ?? MAX_FRAME_BYTES;
    this.caps = { ...DEFAULT_AGENT_CONNECTION_LIMITS, ...opts.connectionLimits };
    this.parkedBudget = new ByteBudget(this.caps.maxParkedBytesTotal);
  }

  async listen(): Promise<void> {
    await clearStaleSocket(this.opts.socketPath);
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // The accept backlog matches the connection cap (Node's default, 511, turned connections away
      // with EAGAIN under a burst long before the cap was reached; the kernel clamps to somaxconn).
      server.listen({ path: this.opts.socketPath, backlog: this.caps.maxConnections }, () => resolve());
    });
    chmodSync(this.opts.socketPath, 0o600);
    this.log.info({ event: 'agent-server.listening', socket: this.opts.socketPath }, 'agent server listening');
  }

  get connectionCount(): number {
    return this.sockets.size;
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

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const caps = this.caps;
    if (this.sockets.size >= caps.maxConnections) {
      this.log.warn({ event: 'agent-server.connection-cap', open: this.sockets.size }, 'connection cap reached; connection refused');
      this.opts.throttled?.note('agent-socket', 'RATE_LIMITED');
      socket.end(`${JSON.stringify(failResponse(null, new VaultError('RATE_LIMITED', 'Too many agent connections are open.', { maxConnections: caps.maxConnections })))}\n`);
      socket.destroySoon();
      return;
    }
    this.sockets.add(socket);
    // Per connection: nothing is allocated up front beyond these few fields and closures.
    const framer = new LineFramer(Math.min(this.maxFrame, caps.maxUnauthenticatedFrameBytes));
    const bucket = new TokenBucket(this.limits.perConnection.ratePerSecond, this.limits.perConnection.burst);
    // `done`: the connection was refused and is closing; bytes still arriving are ignored.
    const conn = { token: null as string | null, running: 0, parked: [] as Buffer[], parkedBytes: 0, partialBytes: 0, done: false };
    const send = (r: RpcResponse) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(r)}\n`);
    };
    const refuseAndClose = (e: VaultError) => {
      conn.done = true;
      send(failResponse(null, e));
      socket.end();
      socket.destroySoon();
    };
    const deadline = setTimeout(() => {
      if (conn.token !== null || socket.destroyed) return;
      this.log.info({ event: 'agent-server.login-deadline' }, 'no login in time; connection closed');
      refuseAndClose(new VaultError('UNAUTHORIZED', `No auth.login within ${caps.loginDeadlineMs} ms; connection closed.`));
    }, caps.loginDeadlineMs);
    deadline.unref();

    const run = (frame: Buffer) => {
      conn.running++;
      const work = this.handleFrame(frame, bucket, () => conn.token, (t) => {
        conn.token = t;
        clearTimeout(deadline);
        framer.setMaxBytes(this.maxFrame);
      })
        .then((r) => {
          if (r) send(r);
        })
        .catch(() => send(protocolError(null, JSONRPC.INVALID_REQUEST, 'Request failed.')))
        .finally(() => {
          conn.running--;
          this.inFlight.delete(work);
          drain();
        });
      this.inFlight.add(work);
    };
    const drain = () => {
      while (conn.running < caps.maxInFlightPerConnection && conn.parked.length > 0 && !socket.destroyed && !conn.done) {
        const next = conn.parked.shift() as Buffer;
        conn.parkedBytes -= next.length;
        this.parkedBudget.remove(next.length);
        run(next);
      }
    };
    const park = (frame: Buffer) => {
      if (conn.parkedBytes + frame.length > caps.maxParkedBytesPerConnection || !this.parkedBudget.fits(frame.length)) {
        this.log.warn({ event: 'agent-server.parked-bytes-cap', bytes: frame.length }, 'parked bytes cap reached; frame refused');
        this.opts.throttled?.note('agent-socket', 'RATE_LIMITED');
        send(failResponse(idOf(frame), new VaultError('RATE_LIMITED', 'Too many request bytes are waiting on this connection; wait for the answers first.', { maxParkedBytes: caps.maxParkedBytesPerConnection })));
        return;
      }
      conn.parked.push(frame);
      conn.parkedBytes += frame.length;
      this.parkedBudget.add(frame.length);
    };

    socket.on('data', (data: Buffer) => {
      if (conn.done) return;
      let frames: Buffer[];
      try {
        frames = framer.push(data);
      } catch (e) {
        if (e instanceof FrameTooLarge) {
          this.log.warn({ event: 'agent-server.frame-too-large' }, 'frame too large; connection closed');
          const limit = conn.token === null ? Math.min(this.maxFrame, caps.maxUnauthenticatedFrameBytes) : this.maxFrame;
          conn.done = true;
          send(protocolError(null, JSONRPC.INVALID_REQUEST, `Frame larger than ${limit} bytes${conn.token === null ? ' before auth.login' : ''}.`));
          socket.end();
          socket.destroySoon();
          return;
        }
        throw e;
      }
      // Unfinished lines count against the shared budget too: many slow senders cannot add up.
      this.parkedBudget.add(framer.buffered - conn.partialBytes);
      conn.partialBytes = framer.buffered;
      if (this.parkedBudget.exceeded) {
        this.log.warn({ event: 'agent-server.parked-total-cap' }, 'server-wide parked bytes cap reached; connection closed');
        this.opts.throttled?.note('agent-socket', 'RATE_LIMITED');
        refuseAndClose(new VaultError('RATE_LIMITED', 'The server holds too many unanswered request bytes; connection closed.', { maxParkedBytesTotal: caps.maxParkedBytesTotal }));
        return;
      }
      for (const frame of frames) {
        if (conn.running < caps.maxInFlightPerConnection && conn.parked.length === 0) run(frame);
        else park(frame);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(deadline);
      this.sockets.delete(socket);
      this.parkedBudget.remove(conn.parkedBytes + conn.partialBytes);
      conn.parked = [];
      conn.parkedBytes = 0;
      conn.partialBytes = 0;
    });
  }

  private async handleFrame(frame: Buffer, bucket: TokenBucket, getToken: () => string | null, setToken: (t: string) => void): Promise<RpcResponse | null> {
    if (frame.length === 0 || (frame.length === 1 && frame[0] === 0x0d)) return null;
    let raw: unknown;
    try {
      // Fatal decoding: malformed UTF-8 is refused, never silently turned into U+FFFD and stored.
      raw = JSON.parse(STRICT_UTF8.decode(frame));
    } catch {
      return protocolError(null, JSONRPC.PARSE_ERROR, 'Parse error: send one JSON-RPC 2.0 object per line, in well-formed UTF-8.');
    }
    const env = envelopeSchema.safeParse(raw);
    if (!env.success) {
      const id = typeof raw === 'object' && raw !== null && 'id' in raw && (typeof raw.id === 'string' || typeof raw.id === 'number') ? raw.id : null;
      return protocolError(id, JSONRPC.INVALID_REQUEST, 'Invalid request: expected {"jsonrpc":"2.0","id":…,"method":…,"params":{…}}.');
    }
    const { id = null, method, params } = env.data;
    const notification = env.data.id === undefined;
    const reply = (r: RpcResponse) => (notification ? null : r);
    if (this.closing) return reply(failResponse(id, new VaultError('VAULT_LOCKED', 'The server is shutting down.')));
    if (!bucket.take()) {
      this.opts.throttled?.note('agent-socket', 'RATE_LIMITED');
      return reply(failResponse(id, new VaultError('RATE_LIMITED', 'Too many requests on this connection; slow down.')));
    }
    if (!isMethodName(method)) return reply(protocolError(id, JSONRPC.METHOD_NOT_FOUND, `Unknown method "${method.slice(0, 64)}".`));
    const parsed = methodSchemas[method].safeParse(params ?? {});
    if (!parsed.success) {
      return reply({ ...protocolError(id, JSONRPC.INVALID_PARAMS, `Invalid params for ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`) });
    }
    try {
      let agent: Requester & { kind: 'agent' };
      if (method === 'auth.login') {
        const t = (parsed.data as { token: string }).token;
        agent = this.opts.registry.authenticate(t);
        setToken(t);
      } else {
        const t = getToken();
        if (t === null) throw new VaultError('UNAUTHORIZED', 'Call auth.login with your agent token first.');
        agent = this.opts.registry.authenticate(t);
      }
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
      const result = await this.opts.service.call(method, parsed.data as never, agent);
      this.log.debug({ event: 'rpc', method, agent: agent.agentId, ms: Math.round((performance.now() - started) * 1000) / 1000 }, 'ok');
      return reply({ jsonrpc: '2.0', id, result });
    } catch (e) {
      const response = failResponse(id, e);
      if ('error' in response) this.log.info({ event: 'rpc.refused', method, code: response.error.data.code }, 'refused');
      if (method === 'auth.login' && isVaultError(e) && e.code === 'UNAUTHORIZED') this.opts.authFailures?.note('agent-socket', e.code);
      return reply(response);
    }
  }

  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then close every connection. */
  async close(graceMs = 10_000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.log.info({ event: 'agent-server.closing', inFlight: this.inFlight.size }, 'agent server closing');
    const server = this.server;
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    const deadline = new Promise<void>((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    for (const s of this.sockets) s.end();
    setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, 200).unref();
    await Promise.race([closed, deadline]);
    if (existsSync(this.opts.socketPath)) {
      try {
        unlinkSync(this.opts.socketPath);
      } catch {
        /* already gone */
      }
    }
  }
}
