// The one line transport of both vault sockets (agent.sock, owner.sock): newline-delimited
// JSON-RPC over a Unix domain socket. What a connection may call, and how it logs in, is the
// session the user opens per connection (agent-server.ts, owner-transport.ts); everything a peer
// can make the server hold is bounded here.
// Invariants:
//  - a live socket is never stolen (unix-socket-listener.ts); the socket is 0600;
//  - every resource a peer can make the server hold is capped: connections, time to authenticate,
//    time idle (optional), frame bytes (smaller before authentication), requests at once, bytes of
//    parked frames per connection and, with unfinished lines, across all connections; reply bytes
//    the peer does not read (its socket stops being read until they drain);
//  - a cap hit is answered with a JSON-RPC error carrying a stable code before the connection
//    closes (an oversized frame: -32600 / INVALID_INPUT), never a silent buffer growth;
//  - frames reach the session in arrival order;
//  - shutdown stops accepting, lets in-flight requests finish (up to a grace period), then closes.
//
// Why hand-written: the maintained JSON-RPC libraries (jayson, json-rpc-2.0, vscode-jsonrpc) either
// frame with LSP Content-Length headers or leave framing to the caller, and none bounds a partial
// line, answers an oversized frame before closing, parks frames under a shared byte budget, or
// lets a sealed channel (owner-channel/sealed-channel.ts) wrap each line after a login. The
// request side (method table, zod params) is method-table.ts.
import type { Server, Socket } from 'node:net';
import { VaultError } from '../../core/errors.js';
import type { RpcResponse } from './json-rpc.js';
import { FrameTooLarge, LineFramer } from './line-framer.js';
import { silentLogger, type VaultLogger } from '../logging/logger.js';
import { ByteBudget } from './byte-budget.js';
import { failResponse, idOfFrame, invalidResponse, JSONRPC } from './rpc-reply.js';
import { listenOnUnixSocket, removeSocketFile } from './unix-socket-listener.js';

export interface LineRpcLimits {
  /** Open connections; the next one is answered RATE_LIMITED and closed. */
  readonly maxConnections: number;
  /** A connection that has not authenticated by then is closed (the session may answer first). */
  readonly unauthenticatedDeadlineMs: number;
  /** A connection with nothing received, sent or running for this long is closed; 0: never. */
  readonly idleTimeoutMs: number;
  /** Longest frame once authenticated. */
  readonly maxFrameBytes: number;
  /** Longest frame before authentication (an idle unauthenticated peer holds at most this). */
  readonly maxUnauthenticatedFrameBytes: number;
  /** Requests handled at once per connection; later frames are parked in arrival order. */
  readonly maxInFlightPerConnection: number;
  /** Bytes of parked frames per connection; a frame past it is refused RATE_LIMITED. */
  readonly maxParkedBytesPerConnection: number;
  /** Parked frames and unfinished lines across every connection; past it the sender is closed. */
  readonly maxParkedBytesTotal: number;
  /** Reply bytes waiting for a peer that does not read; past it its socket is not read until they drain. */
  readonly maxUnwrittenBytes: number;
}

/** What a session may do with its connection. */
export interface LineRpcConnection {
  readonly authenticated: boolean;
  readonly destroyed: boolean;
  /** Logged in: the unauthenticated deadline stops and the frame limit becomes `maxFrameBytes`. */
  markAuthenticated(): void;
  /** Write one reply (through the session's `encodeLine`). */
  send(reply: RpcResponse): void;
  /** Stop reading, send `reply` if given, close once it is flushed. */
  refuseAndClose(reply: RpcResponse | null): void;
  /** Close now, nothing more is written. */
  destroy(): void;
}

/** The protocol state of one connection. */
export interface LineRpcSession {
  /** One complete frame (without its newline), in arrival order; settles once answered. Must not reject. */
  onFrame(frame: Buffer): Promise<void>;
  /** Encode an outgoing line (the owner channel seals it after login); a throw closes the connection. */
  encodeLine?(json: string): string;
  /** The unauthenticated deadline passed: what to answer before closing (null: close silently). */
  onDeadline?(): RpcResponse | null;
  onClose?(): void;
}

export interface LineRpcServerOptions {
  /** Names the socket in log events (`<name>.listening`, …) and refusals ("Too many agent connections"). */
  readonly name: 'agent' | 'owner';
  readonly socketPath: string;
  readonly limits: LineRpcLimits;
  /** How the login is named in the frame-limit refusal ("… bytes before auth.login."). */
  readonly loginName: string;
  readonly logger?: VaultLogger;
  openSession(connection: LineRpcConnection): LineRpcSession;
  /** A cap answered RATE_LIMITED (counted into the throttle audit leaf). */
  onThrottled?(): void;
}

export class LineRpcServer {
  private server: Server | undefined;
  private listening = false;
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly parkedBudget: ByteBudget;
  private readonly log: VaultLogger;
  private closingNow = false;

  constructor(private readonly opts: LineRpcServerOptions) {
    this.log = opts.logger ?? silentLogger();
    this.parkedBudget = new ByteBudget(opts.limits.maxParkedBytesTotal);
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  /** True once close() began: sessions refuse new requests (VAULT_LOCKED). */
  get closing(): boolean {
    return this.closingNow;
  }

  async listen(): Promise<void> {
    // The accept backlog matches the connection cap (Node's default, 511, turned connections away
    // with EAGAIN under a burst long before the cap was reached; the kernel clamps to somaxconn).
    this.server = await listenOnUnixSocket(this.opts.socketPath, this.opts.limits.maxConnections, (s) => this.accept(s));
    this.listening = true;
    this.log.info({ event: `${this.opts.name}-server.listening`, socket: this.opts.socketPath }, `${this.opts.name} server listening`);
  }

  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then close every connection. */
  async close(graceMs = 10_000): Promise<void> {
    if (this.closingNow) return;
    this.closingNow = true;
    this.log.info({ event: `${this.opts.name}-server.closing`, inFlight: this.inFlight.size }, `${this.opts.name} server closing`);
    const server = this.server;
    const closed = server?.listening ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    const deadline = new Promise<void>((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    for (const s of this.sockets) s.end();
    setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, 200).unref();
    await Promise.race([closed, deadline]);
    // Only our own socket file: a server that never listened (VAULT_BUSY) leaves the live one alone.
    if (this.listening) removeSocketFile(this.opts.socketPath);
  }

  private accept(socket: Socket): void {
    if (this.closingNow) {
      socket.destroy();
      return;
    }
    const { limits, name } = this.opts;
    if (this.sockets.size >= limits.maxConnections) {
      this.log.warn({ event: `${name}-server.connection-cap`, open: this.sockets.size }, 'connection cap reached; connection refused');
      this.opts.onThrottled?.();
      const refusal = failResponse(
        null,
        new VaultError('RATE_LIMITED', `Too many ${name} connections are open.`, { maxConnections: limits.maxConnections }),
      );
      socket.on('error', () => socket.destroy());
      socket.end(`${JSON.stringify(refusal)}\n`);
      socket.destroySoon();
      return;
    }
    this.sockets.add(socket);
    new ConnectionState(socket, this.opts, this.parkedBudget, this.log, this.inFlight, () => this.sockets.delete(socket));
  }
}

/** One connection: framing, deadlines, the in-flight cap, parking and write backpressure. */
class ConnectionState implements LineRpcConnection {
  private readonly framer: LineFramer;
  private readonly session: LineRpcSession;
  private readonly deadline: NodeJS.Timeout;
  private isAuthenticated = false;
  /** The connection was refused and is closing: bytes still arriving are ignored. */
  private done = false;
  /** Too many reply bytes wait for the peer: nothing more is read or started until they drain. */
  private writeBlocked = false;
  /** Requests running now, and the frames waiting behind them (with their bytes and those of an unfinished line). */
  private running = 0;
  private parked: Buffer[] = [];
  private parkedBytes = 0;
  private partialBytes = 0;

  constructor(
    private readonly socket: Socket,
    private readonly opts: LineRpcServerOptions,
    private readonly budget: ByteBudget,
    private readonly log: VaultLogger,
    private readonly inFlight: Set<Promise<void>>,
    onGone: () => void,
  ) {
    const limits = opts.limits;
    this.framer = new LineFramer(this.frameLimit());
    this.session = opts.openSession(this);
    this.deadline = setTimeout(() => this.deadlinePassed(), limits.unauthenticatedDeadlineMs);
    this.deadline.unref();
    if (limits.idleTimeoutMs > 0) socket.setTimeout(limits.idleTimeoutMs, () => this.idle());
    socket.on('data', (data: Buffer) => this.received(data));
    socket.on('drain', () => {
      if (!this.writeBlocked) return;
      this.writeBlocked = false;
      if (this.done) return;
      socket.resume();
      this.unpark();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(this.deadline);
      onGone();
      this.budget.remove(this.parkedBytes + this.partialBytes);
      this.parked = [];
      this.parkedBytes = 0;
      this.partialBytes = 0;
      this.session.onClose?.();
    });
  }

  get authenticated(): boolean {
    return this.isAuthenticated;
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  markAuthenticated(): void {
    this.isAuthenticated = true;
    clearTimeout(this.deadline);
    this.framer.setMaxBytes(this.frameLimit());
  }

  send(reply: RpcResponse): void {
    if (this.socket.destroyed) return;
    let line: string;
    try {
      const json = JSON.stringify(reply);
      line = this.session.encodeLine ? this.session.encodeLine(json) : json;
    } catch {
      this.socket.destroy();
      return;
    }
    // Backpressure: a peer that does not read its answers is not read from either (until 'drain').
    if (!this.socket.write(`${line}\n`) && this.socket.writableLength > this.opts.limits.maxUnwrittenBytes) {
      this.writeBlocked = true;
      this.socket.pause();
    }
  }

  refuseAndClose(reply: RpcResponse | null): void {
    this.done = true;
    if (reply) this.send(reply);
    this.socket.end();
    this.socket.destroySoon();
  }

  destroy(): void {
    this.done = true;
    this.socket.destroy();
  }

  private frameLimit(): number {
    const { maxFrameBytes, maxUnauthenticatedFrameBytes } = this.opts.limits;
    return this.isAuthenticated ? maxFrameBytes : Math.min(maxFrameBytes, maxUnauthenticatedFrameBytes);
  }

  private deadlinePassed(): void {
    if (this.isAuthenticated || this.socket.destroyed) return;
    this.log.info({ event: `${this.opts.name}-server.login-deadline` }, 'no login in time; connection closed');
    const reply = this.session.onDeadline?.() ?? null;
    if (reply) this.refuseAndClose(reply);
    else this.destroy();
  }

  private idle(): void {
    // Only a connection with nothing running or parked is idle (a long request.wait is not).
    if (this.running > 0 || this.parked.length > 0 || this.socket.destroyed) return;
    this.log.info({ event: `${this.opts.name}-server.idle` }, 'idle connection closed');
    this.refuseAndClose(null);
  }

  private received(data: Buffer): void {
    if (this.done) return;
    let frames: Buffer[];
    try {
      frames = this.framer.push(data);
    } catch (e) {
      if (!(e instanceof FrameTooLarge)) throw e;
      this.log.warn({ event: `${this.opts.name}-server.frame-too-large` }, 'frame too large; connection closed');
      const before = this.isAuthenticated ? '' : ` before ${this.opts.loginName}`;
      this.refuseAndClose(invalidResponse(null, JSONRPC.INVALID_REQUEST, `Frame larger than ${this.frameLimit()} bytes${before}.`));
      return;
    }
    // Unfinished lines count against the shared budget too: many slow senders cannot add up.
    this.budget.add(this.framer.buffered - this.partialBytes);
    this.partialBytes = this.framer.buffered;
    if (this.budget.exceeded) {
      this.log.warn({ event: `${this.opts.name}-server.parked-total-cap` }, 'server-wide parked bytes cap reached; connection closed');
      this.opts.onThrottled?.();
      this.refuseAndClose(
        failResponse(
          null,
          new VaultError('RATE_LIMITED', 'The server holds too many unanswered request bytes; connection closed.', {
            maxParkedBytesTotal: this.budget.max,
          }),
        ),
      );
      return;
    }
    for (const frame of frames) {
      if (this.running < this.opts.limits.maxInFlightPerConnection && this.parked.length === 0 && !this.writeBlocked) this.run(frame);
      else this.park(frame);
    }
  }

  private run(frame: Buffer): void {
    this.running++;
    const work = this.session
      .onFrame(frame)
      // A session that rejects has a bug: close loudly rather than leave the peer waiting.
      .catch(() => this.destroy())
      .finally(() => {
        this.running--;
        this.inFlight.delete(work);
        this.unpark();
      });
    this.inFlight.add(work);
  }

  private unpark(): void {
    while (
      this.running < this.opts.limits.maxInFlightPerConnection &&
      this.parked.length > 0 &&
      !this.writeBlocked &&
      !this.socket.destroyed &&
      !this.done
    ) {
      const next = this.parked.shift();
      if (next === undefined) break;
      this.parkedBytes -= next.length;
      this.budget.remove(next.length);
      this.run(next);
    }
  }

  private park(frame: Buffer): void {
    const { maxParkedBytesPerConnection } = this.opts.limits;
    if (this.parkedBytes + frame.length > maxParkedBytesPerConnection || !this.budget.fits(frame.length)) {
      this.log.warn({ event: `${this.opts.name}-server.parked-bytes-cap`, bytes: frame.length }, 'parked bytes cap reached; frame refused');
      this.opts.onThrottled?.();
      this.send(
        failResponse(
          idOfFrame(frame),
          new VaultError('RATE_LIMITED', 'Too many request bytes are waiting on this connection; wait for the answers first.', {
            maxParkedBytes: maxParkedBytesPerConnection,
          }),
        ),
      );
      return;
    }
    this.parked.push(frame);
    this.parkedBytes += frame.length;
    this.budget.add(frame.length);
  }
}
