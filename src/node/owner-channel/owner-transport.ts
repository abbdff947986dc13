// The owner socket's transport: the OPAQUE login and the sealed channel after it, on the shared
// line transport (src/node/rpc/line-rpc-server.ts: stale-socket check, connection cap, login
// deadline, frame-limit reply, parking, drain). What the methods do lives in
// src/node/agent-api/owner-server.ts.
// Invariants:
//  - before a completed login a connection is served only owner.login.start / owner.login.finish;
//  - a connection counts as logged in only after the success audit leaf has committed;
//  - every login start counts as a guess (server-wide backoff) until it finishes, and every
//    login that does not finish is audited as refused;
//  - login frames are handled one at a time, in order; after login only sealed frames are
//    accepted, opened in arrival order (counter nonces), and the first bad one closes the connection.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import type { RpcResponse } from '../rpc/json-rpc.js';
import { ownerLoginSchemas } from '../agent-api/owner-protocol.js';
import { LineRpcServer, type LineRpcConnection, type LineRpcSession } from '../rpc/line-rpc-server.js';
import { methodTable, serveFrame, type CallPolicy } from '../rpc/method-table.js';
import { failResponse, JSONRPC, ProtocolRefusal } from '../rpc/rpc-reply.js';
import type { LoginBackoff } from './login-backoff.js';
import { serverFinishLogin, serverStartLogin, type OwnerRegistration } from './opaque-pake.js';
import { SealedChannel, SealedFrameRejected } from './sealed-channel.js';

export interface OwnerTransportLimits {
  /** A new connection must complete its login within this time (default 10 s). */
  readonly loginDeadlineMs: number;
  /** Open owner connections, logged in or not (default 16). */
  readonly maxConnections: number;
  /** Longest frame accepted (default 256 KiB). */
  readonly maxFrameBytes: number;
  /** Failed logins on one connection before it is closed (default 3). */
  readonly maxFailuresPerConnection: number;
  /** Requests served at once per connection; later frames wait (default 16). */
  readonly maxInFlightPerConnection: number;
  /** Bytes of waiting frames per connection (default 1 MiB) and over all owner connections (default 16 MiB). */
  readonly maxParkedBytesPerConnection: number;
  readonly maxParkedBytesTotal: number;
}

export const DEFAULT_OWNER_TRANSPORT_LIMITS: OwnerTransportLimits = {
  loginDeadlineMs: 10_000,
  maxConnections: 16,
  maxFrameBytes: 256 * 1024,
  maxFailuresPerConnection: 3,
  maxInFlightPerConnection: 16,
  maxParkedBytesPerConnection: 1024 * 1024,
  maxParkedBytesTotal: 16 * 1024 * 1024,
};

export interface OwnerTransportOptions {
  readonly socketPath: string;
  /** null: the server holds no owner credential (TPM-only vault): logins are refused. */
  readonly registration: OwnerRegistration | null;
  readonly backoff: LoginBackoff;
  readonly limits?: Partial<OwnerTransportLimits>;
  /** Audit a successful login; the connection is logged in only once this resolves. */
  onLoginOk(): Promise<void>;
  /** Audit a login that did not finish (wrong credential, abandoned, malformed, timed out). */
  onLoginFailed(): Promise<void>;
  /** Serve one authenticated request frame (already opened); null: nothing to answer (a notification). */
  serve(frame: string): Promise<RpcResponse | null>;
}

type Phase = { kind: 'idle' } | { kind: 'started'; state: string } | { kind: 'finishing' } | { kind: 'open'; channel: SealedChannel };

/** One owner connection's login state. */
interface LoginState {
  readonly line: LineRpcConnection;
  phase: Phase;
  failures: number;
}

const NO_CREDENTIAL =
  'This server was unlocked without a passphrase or keyfile (TPM-bound vault): owner commands over the socket are not available. Decide on the terminal running `memory-vault serve`.';

/**
 * The login messages. `owner.login.finish` takes its params unparsed: they are checked after the
 * phase, so a malformed finish of a started login is a failed guess (BAD_CREDENTIALS, audited),
 * not a free INVALID_PARAMS probe.
 */
const loginSchemas = { 'owner.login.start': ownerLoginSchemas['owner.login.start'], 'owner.login.finish': z.unknown() } as const;

export class OwnerTransport {
  private readonly transport: LineRpcServer;
  private readonly limits: OwnerTransportLimits;

  private readonly loginMethods = methodTable<typeof loginSchemas, LoginState>(loginSchemas, {
    'owner.login.start': (p, s) => this.startLogin(s, p.startLoginRequest),
    'owner.login.finish': (p, s) => this.finishLogin(s, p),
  });

  /** Before login nothing but the two login messages is even looked up. */
  private readonly loginPolicy: CallPolicy<keyof typeof loginSchemas> = {
    admit: (_id, method) => {
      if (this.transport.closing) return new VaultError('VAULT_LOCKED', 'The server is shutting down.');
      return method === 'owner.login.start' || method === 'owner.login.finish'
        ? null
        : new VaultError('UNAUTHORIZED', 'Log in on the owner channel first.');
    },
  };

  constructor(private readonly opts: OwnerTransportOptions) {
    const limits: OwnerTransportLimits = { ...DEFAULT_OWNER_TRANSPORT_LIMITS, ...opts.limits };
    this.limits = limits;
    this.transport = new LineRpcServer({
      name: 'owner',
      socketPath: opts.socketPath,
      loginName: 'the owner login',
      limits: {
        maxConnections: limits.maxConnections,
        unauthenticatedDeadlineMs: limits.loginDeadlineMs,
        idleTimeoutMs: 0,
        maxFrameBytes: limits.maxFrameBytes,
        maxUnauthenticatedFrameBytes: limits.maxFrameBytes,
        maxInFlightPerConnection: limits.maxInFlightPerConnection,
        maxParkedBytesPerConnection: limits.maxParkedBytesPerConnection,
        maxParkedBytesTotal: limits.maxParkedBytesTotal,
        maxUnwrittenBytes: 8 * 1024 * 1024,
      },
      openSession: (line) => this.openSession(line),
    });
  }

  get connectionCount(): number {
    return this.transport.connectionCount;
  }

  /** True once close() began: the owner server refuses new requests (VAULT_LOCKED). */
  get closing(): boolean {
    return this.transport.closing;
  }

  /** A live socket here is another server (or an impostor): refuse (VAULT_BUSY) instead of unlinking it. */
  listen(): Promise<void> {
    return this.transport.listen();
  }

  /** Stop accepting, let in-flight owner requests finish (up to `graceMs`), then close. */
  close(graceMs = 10_000): Promise<void> {
    return this.transport.close(graceMs);
  }

  private openSession(line: LineRpcConnection): LineRpcSession {
    const s: LoginState = { line, phase: { kind: 'idle' }, failures: 0 };
    let queue: Promise<void> = Promise.resolve();

    /** One frame, after the ones before it: a login step, or a sealed request (served concurrently). */
    const handleLine = async (frame: Buffer): Promise<{ served: Promise<void> } | undefined> => {
      if (line.destroyed || frame.length === 0 || (frame.length === 1 && frame[0] === 0x0d)) return undefined;
      if (s.phase.kind === 'open') return { served: this.serveSealed(s.phase.channel, line, frame.toString('utf8')) };
      const reply = await serveFrame(frame, this.loginMethods, s, this.loginPolicy);
      if (reply) line.send(reply);
      return undefined;
    };

    return {
      onFrame: (frame) => {
        const step = queue.then(() => handleLine(frame));
        queue = step.then(
          () => undefined,
          () => line.destroy(),
        );
        return step.then(
          (r) => r?.served,
          () => line.destroy(),
        );
      },
      // Replies after login are sealed; a channel that cannot seal closes the connection.
      encodeLine: (json) => (s.phase.kind === 'open' ? s.phase.channel.seal(json) : json),
      onDeadline: () => {
        if (s.phase.kind === 'started') void this.loginFailed(s);
        return null;
      },
      onClose: () => {
        if (s.phase.kind === 'started') void this.loginFailed(s);
        if (s.phase.kind === 'open') s.phase.channel.dispose();
      },
    };
  }

  /** The started login did not finish: audit it once; too many on one connection closes it. */
  private async loginFailed(s: LoginState): Promise<void> {
    s.phase = { kind: 'idle' };
    s.failures++;
    await this.opts.onLoginFailed().catch(() => undefined);
    if (s.failures >= this.limits.maxFailuresPerConnection) s.line.destroy();
  }

  private async startLogin(s: LoginState, startLoginRequest: string): Promise<{ loginResponse: string } | undefined> {
    const reg = this.opts.registration;
    if (!reg) throw new VaultError('UNAUTHORIZED', NO_CREDENTIAL);
    // A start while another is unfinished on this connection abandons the earlier guess.
    if (s.phase.kind === 'started') await this.loginFailed(s);
    if (s.line.destroyed) return undefined;
    this.opts.backoff.begin();
    try {
      const r = serverStartLogin(reg, startLoginRequest);
      s.phase = { kind: 'started', state: r.state };
      return { loginResponse: r.loginResponse };
    } catch {
      await this.loginFailed(s);
      throw new ProtocolRefusal(JSONRPC.INVALID_PARAMS, 'Malformed login request.');
    }
  }

  private async finishLogin(s: LoginState, params: unknown): Promise<{ ok: true } | undefined> {
    if (s.phase.kind !== 'started') throw new VaultError('UNAUTHORIZED', 'Start the owner login first.');
    const p = ownerLoginSchemas['owner.login.finish'].safeParse(params ?? {});
    const sessionKey = p.success ? serverFinishLogin(s.phase.state, p.data.finishLoginRequest) : null;
    if (sessionKey === null) {
      await this.loginFailed(s);
      throw new VaultError('BAD_CREDENTIALS', 'The owner login did not verify.');
    }
    s.phase = { kind: 'finishing' };
    const channel = SealedChannel.fromSessionKey(sessionKey, 'server');
    try {
      // Logged in only once the success leaf is in the log (issue 14: never the reverse).
      await this.opts.onLoginOk();
    } catch (e) {
      channel.dispose();
      s.phase = { kind: 'idle' };
      throw e;
    }
    this.opts.backoff.succeeded();
    s.line.markAuthenticated();
    if (s.line.destroyed) {
      channel.dispose();
      return undefined;
    }
    // From here every line in both directions is sealed, starting with this answer.
    s.phase = { kind: 'open', channel };
    return { ok: true };
  }

  private async serveSealed(channel: SealedChannel, line: LineRpcConnection, sealed: string): Promise<void> {
    let frame: string;
    try {
      frame = channel.open(sealed);
    } catch (e) {
      if (e instanceof SealedFrameRejected) {
        line.destroy();
        return;
      }
      throw e;
    }
    const reply = await this.opts.serve(frame).catch((e: unknown) => failResponse(null, e));
    if (reply) line.send(reply);
  }
}
