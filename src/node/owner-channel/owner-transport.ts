// The owner socket's transport: connection cap, login deadline, frame limit, the OPAQUE login
// and the sealed channel after it. What the methods do lives in src/node/agent-api/owner-server.ts.
// Invariants:
//  - before a completed login a connection is served only owner.login.start / owner.login.finish;
//  - a connection counts as logged in only after the success audit leaf has committed;
//  - every login start counts as a guess (server-wide backoff) until it finishes, and every
//    login that does not finish is audited as refused;
//  - after login only sealed frames are accepted, and the first bad one closes the connection.
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { VaultError } from '../../core/errors.js';
import { envelopeSchema, type RpcResponse } from '../agent-api/agent-protocol.js';
import { clearStaleSocket } from '../agent-api/agent-server.js';
import { FrameTooLarge, LineFramer } from '../agent-api/line-framer.js';
import { ownerLoginSchemas, type OwnerLoginMethod } from '../agent-api/owner-protocol.js';
import type { LoginBackoff } from './login-backoff.js';
import { serverFinishLogin, serverStartLogin, type OwnerRegistration } from './opaque-pake.js';
import { failResponse, invalidResponse, JSONRPC, type RpcId } from './rpc-reply.js';
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
}

export const DEFAULT_OWNER_TRANSPORT_LIMITS: OwnerTransportLimits = {
  loginDeadlineMs: 10_000,
  maxConnections: 16,
  maxFrameBytes: 256 * 1024,
  maxFailuresPerConnection: 3,
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
  /** Serve one authenticated request frame (already opened). */
  serve(frame: string): Promise<RpcResponse>;
}

type Phase = { kind: 'idle' } | { kind: 'started'; state: string } | { kind: 'finishing' } | { kind: 'open'; channel: SealedChannel };

const NO_CREDENTIAL = 'This server was unlocked without a passphrase or keyfile (TPM-bound vault): owner commands over the socket are not available. Decide on the terminal running `memory-vault serve`.';

export class OwnerTransport {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly limits: OwnerTransportLimits;

  constructor(private readonly opts: OwnerTransportOptions) {
    this.limits = { ...DEFAULT_OWNER_TRANSPORT_LIMITS, ...opts.limits };
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  async listen(): Promise<void> {
    // A live socket here is another server (or an impostor): refuse instead of unlinking it.
    await clearStaleSocket(this.opts.socketPath);
    const server = createServer((s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.socketPath, () => resolve());
    });
    chmodSync(this.opts.socketPath, 0o600);
  }

  async close(): Promise<void> {
    const server = this.server;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
    if (existsSync(this.opts.socketPath)) {
      try {
        unlinkSync(this.opts.socketPath);
      } catch {
        /* already gone */
      }
    }
  }

  private accept(socket: Socket): void {
    const writeLine = (line: string) => {
      if (!socket.destroyed) socket.write(`${line}\n`);
    };
    if (this.sockets.size >= this.limits.maxConnections) {
      writeLine(JSON.stringify(failResponse(null, new VaultError('RATE_LIMITED', 'Too many owner connections are open.', { maxConnections: this.limits.maxConnections }))));
      socket.end();
      socket.destroySoon();
      return;
    }
    this.sockets.add(socket);
    const framer = new LineFramer(this.limits.maxFrameBytes);
    let phase: Phase = { kind: 'idle' };
    let failures = 0;
    let queue: Promise<void> = Promise.resolve();

    /** The started login did not finish: audit it once; too many on one connection closes it. */
    const loginFailed = async (): Promise<void> => {
      phase = { kind: 'idle' };
      failures++;
      await this.opts.onLoginFailed().catch(() => undefined);
      if (failures >= this.limits.maxFailuresPerConnection) socket.destroy();
    };
    const sendPlain = (r: RpcResponse) => writeLine(JSON.stringify(r));
    const sendSealed = (channel: SealedChannel, r: RpcResponse) => {
      try {
        writeLine(channel.seal(JSON.stringify(r)));
      } catch {
        socket.destroy();
      }
    };

    const deadline = setTimeout(() => {
      if (phase.kind !== 'open') {
        if (phase.kind === 'started') void loginFailed();
        socket.destroy();
      }
    }, this.limits.loginDeadlineMs);
    deadline.unref();

    const handleLogin = async (line: string): Promise<void> => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        sendPlain(invalidResponse(null, JSONRPC.PARSE_ERROR, 'Parse error.'));
        return;
      }
      const env = envelopeSchema.safeParse(raw);
      if (!env.success) {
        sendPlain(invalidResponse(null, JSONRPC.INVALID_REQUEST, 'Invalid request.'));
        return;
      }
      const id: RpcId = env.data.id ?? null;
      const method = env.data.method;
      if (method !== 'owner.login.start' && method !== 'owner.login.finish') {
        sendPlain(failResponse(id, new VaultError('UNAUTHORIZED', 'Log in on the owner channel first.')));
        return;
      }
      const m: OwnerLoginMethod = method;
      if (m === 'owner.login.start') {
        const p = ownerLoginSchemas[m].safeParse(env.data.params ?? {});
        if (!p.success) {
          sendPlain(invalidResponse(id, JSONRPC.INVALID_PARAMS, `Invalid params for ${m}.`));
          return;
        }
        const reg = this.opts.registration;
        if (!reg) {
          sendPlain(failResponse(id, new VaultError('UNAUTHORIZED', NO_CREDENTIAL)));
          return;
        }
        // A start while another is unfinished on this connection abandons the earlier guess.
        if (phase.kind === 'started') await loginFailed();
        if (socket.destroyed) return;
        try {
          this.opts.backoff.begin();
        } catch (e) {
          sendPlain(failResponse(id, e));
          return;
        }
        try {
          const r = serverStartLogin(reg, p.data.startLoginRequest);
          phase = { kind: 'started', state: r.state };
          sendPlain({ jsonrpc: '2.0', id, result: { loginResponse: r.loginResponse } });
        } catch {
          await loginFailed();
          sendPlain(invalidResponse(id, JSONRPC.INVALID_PARAMS, 'Malformed login request.'));
        }
        return;
      }
      // owner.login.finish
      const p = ownerLoginSchemas[m].safeParse(env.data.params ?? {});
      if (phase.kind !== 'started') {
        sendPlain(failResponse(id, new VaultError('UNAUTHORIZED', 'Start the owner login first.')));
        return;
      }
      const state = phase.state;
      const sessionKey = p.success ? serverFinishLogin(state, p.data.finishLoginRequest) : null;
      if (sessionKey === null) {
        await loginFailed();
        sendPlain(failResponse(id, new VaultError('BAD_CREDENTIALS', 'The owner login did not verify.')));
        return;
      }
      phase = { kind: 'finishing' };
      const channel = SealedChannel.fromSessionKey(sessionKey, 'server');
      try {
        // Logged in only once the success leaf is in the log (issue 14: never the reverse).
        await this.opts.onLoginOk();
      } catch (e) {
        channel.dispose();
        phase = { kind: 'idle' };
        sendPlain(failResponse(id, e));
        return;
      }
      this.opts.backoff.succeeded();
      clearTimeout(deadline);
      if (socket.destroyed) {
        channel.dispose();
        return;
      }
      phase = { kind: 'open', channel };
      sendSealed(channel, { jsonrpc: '2.0', id, result: { ok: true } });
    };

    const handleSealed = (channel: SealedChannel, line: string): void => {
      let frame: string;
      try {
        frame = channel.open(line);
      } catch (e) {
        if (e instanceof SealedFrameRejected) {
          socket.destroy();
          return;
        }
        throw e;
      }
      void this.opts.serve(frame).then(
        (r) => sendSealed(channel, r),
        (e: unknown) => sendSealed(channel, failResponse(null, e)),
      );
    };

    const handleLine = async (line: string): Promise<void> => {
      if (socket.destroyed || line.length === 0 || line === '\r') return;
      if (phase.kind === 'open') handleSealed(phase.channel, line);
      else await handleLogin(line);
    };

    socket.on('data', (d: Buffer) => {
      let frames: Buffer[];
      try {
        frames = framer.push(d);
      } catch (e) {
        if (!(e instanceof FrameTooLarge)) throw e;
        const reply = invalidResponse(null, JSONRPC.INVALID_REQUEST, `Frame larger than ${this.limits.maxFrameBytes} bytes.`);
        if (phase.kind === 'open') sendSealed(phase.channel, reply);
        else sendPlain(reply);
        socket.end();
        socket.destroySoon();
        return;
      }
      for (const f of frames) {
        const line = f.toString('utf8');
        queue = queue
          .then(() => handleLine(line))
          .catch(() => {
            socket.destroy();
          });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(deadline);
      this.sockets.delete(socket);
      if (phase.kind === 'started') void loginFailed();
      if (phase.kind === 'open') phase.channel.dispose();
    });
  }
}
