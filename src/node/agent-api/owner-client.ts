// Client side of the owner channel, used by `memory-vault approvals` and by owner commands
// while a server holds the vault open.
// Invariant: nothing but the OPAQUE login start goes to the server until the server has proved
// it holds the vault's registration (the client's finishLogin verifies); a server that fails
// that proof gets SERVER_UNTRUSTED and nothing more. After login every frame is sealed, and a
// frame that fails to open ends the connection.
import { connect, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { isErrorCode, VaultError, type ErrorDetails } from '../../core/errors.js';
import { responseSchema } from './agent-protocol.js';
import { LineFramer } from '../rpc/line-framer.js';
import { loginFinishResultSchema, loginStartResultSchema, type OwnerLoginMethod, type OwnerMethod } from './owner-protocol.js';
import { clientFinishLogin, clientStartLogin } from '../owner-channel/opaque-pake.js';
import { SealedChannel } from '../owner-channel/sealed-channel.js';

type Waiter = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

function detailsOf(raw: Record<string, unknown> | undefined): ErrorDetails {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(raw ?? {}))
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  return out;
}

const UNTRUSTED =
  'The process answering on owner.sock did not prove it holds this vault: either the passphrase (or keyfile) is wrong or it is not the vault server. Nothing was sent to it.';

export class OwnerClient {
  private nextId = 1;
  private readonly waiters = new Map<number, Waiter>();
  private channel: SealedChannel | null = null;
  /** Set while owner.login.finish is outstanding: its answer is the first sealed frame. */
  private expectSealed = false;
  private failure: VaultError | null = null;

  private constructor(private readonly socket: Socket) {
    const framer = new LineFramer(8 * 1024 * 1024);
    socket.on('data', (d: Buffer) => {
      let frames: Buffer[];
      try {
        frames = framer.push(d);
      } catch {
        this.abort(new VaultError('SERVER_UNTRUSTED', 'The owner server sent an oversized frame.'));
        return;
      }
      for (const f of frames) this.onLine(f.toString('utf8'));
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.abort(new VaultError('VAULT_LOCKED', 'The vault server closed the connection.')));
  }

  /** Connect if a server is listening on this socket; null when none is. */
  static async tryConnect(socketPath: string): Promise<OwnerClient | null> {
    if (!existsSync(socketPath)) return null;
    const socket = await new Promise<Socket | null>((resolve) => {
      const s = connect(socketPath);
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(null));
    });
    return socket ? new OwnerClient(socket) : null;
  }

  get loggedIn(): boolean {
    return this.channel !== null;
  }

  /**
   * OPAQUE login with the owner's password (see owner-secret.ts). Resolves only when the server
   * proved it holds the vault's registration and confirmed the session inside the sealed channel.
   */
  async login(password: string): Promise<void> {
    if (this.channel) return;
    const start = await clientStartLogin(password);
    const r1 = loginStartResultSchema.safeParse(await this.plainCall('owner.login.start', { startLoginRequest: start.startLoginRequest }));
    const finish = r1.success ? clientFinishLogin(start.state, r1.data.loginResponse, password) : null;
    if (!finish) {
      const e = new VaultError('SERVER_UNTRUSTED', UNTRUSTED);
      this.abort(e);
      throw e;
    }
    const channel = SealedChannel.fromSessionKey(finish.sessionKey, 'client');
    this.channel = channel;
    this.expectSealed = true;
    try {
      const ok = loginFinishResultSchema.safeParse(
        await this.plainCall('owner.login.finish', { finishLoginRequest: finish.finishLoginRequest }),
      );
      if (!ok.success) throw new VaultError('SERVER_UNTRUSTED', 'The owner server did not confirm the login.');
    } catch (e) {
      // Whatever the answer was, this connection is not logged in.
      this.channel = null;
      channel.dispose();
      this.abort(e instanceof VaultError ? e : new VaultError('SERVER_UNTRUSTED', 'The owner login failed.'));
      throw e;
    } finally {
      this.expectSealed = false;
    }
  }

  call<T>(method: OwnerMethod, params: object = {}): Promise<T> {
    const channel = this.channel;
    if (this.failure) return Promise.reject(this.failure);
    // Nothing but the login goes out before the server has proved itself.
    if (!channel) return Promise.reject(new VaultError('UNAUTHORIZED', 'Log in on the owner channel first.'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiters.set(id, { resolve: (v) => resolve(v as T), reject });
      this.socket.write(`${channel.seal(JSON.stringify({ jsonrpc: '2.0', id, method, params }))}\n`);
    });
  }

  close(): void {
    this.channel?.dispose();
    this.socket.end();
  }

  private plainCall(method: OwnerLoginMethod, params: object): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  private onLine(line: string): void {
    if (line.length === 0) return;
    let text = line;
    // Before login every answer is clear JSON; after, only sealed frames count. The login's own
    // answer is sealed on success and clear (an error) otherwise.
    const sealed = this.channel !== null && !(this.expectSealed && line.startsWith('{'));
    if (sealed && this.channel) {
      try {
        text = this.channel.open(line);
      } catch {
        this.abort(new VaultError('SERVER_UNTRUSTED', 'An owner-channel frame failed authentication; the connection was closed.'));
        return;
      }
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      if (sealed) this.abort(new VaultError('SERVER_UNTRUSTED', 'The owner server sent a malformed frame.'));
      return;
    }
    const parsed = responseSchema.safeParse(raw);
    if (!parsed.success || typeof parsed.data.id !== 'number') return;
    if (!sealed && this.channel !== null && !('error' in parsed.data)) {
      // A login confirmation in clear is not one: anyone on the path could have written it.
      this.abort(new VaultError('SERVER_UNTRUSTED', 'The owner server confirmed the login outside the sealed channel.'));
      return;
    }
    const w = this.waiters.get(parsed.data.id);
    if (!w) return;
    this.waiters.delete(parsed.data.id);
    if ('error' in parsed.data) {
      const code = isErrorCode(parsed.data.error.data.code) ? parsed.data.error.data.code : 'INTERNAL';
      w.reject(new VaultError(code, parsed.data.error.message, detailsOf(parsed.data.error.data.details)));
    } else w.resolve(parsed.data.result);
  }

  private abort(e: VaultError): void {
    this.failure ??= e;
    for (const w of this.waiters.values()) w.reject(this.failure);
    this.waiters.clear();
    if (!this.socket.destroyed) this.socket.destroy();
  }
}
