// Serves the owner channel (see owner-protocol.ts). Invariant: before a successful owner.login
// on this connection, every method is refused with UNAUTHORIZED.
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { VaultError } from '../../core/errors.js';
import type { ApprovalBroker } from '../../core/approvals/approval-broker.js';
import type { VaultSession } from '../vault/vault-session.js';
import type { Credentials } from '../vault/credentials.js';
import type { AgentRegistry } from './agent-registry.js';
import { envelopeSchema, JSONRPC, rpcCodeFor, type RpcResponse } from './agent-protocol.js';
import { LineFramer } from './line-framer.js';
import { isOwnerMethod, ownerMethodSchemas, type OwnerMethod, type OwnerParams } from './owner-protocol.js';

function fail(id: string | number | null, e: unknown): RpcResponse {
  const err = e instanceof VaultError ? e : new VaultError('INTERNAL', 'The request failed.');
  return {
    jsonrpc: '2.0',
    id,
    error: { code: rpcCodeFor(err.code), message: err.message, data: { code: err.code, ...(Object.keys(err.details).length ? { details: err.details } : {}) } },
  };
}

/** Failed owner logins allowed per connection before it is closed. */
const MAX_LOGIN_FAILURES = 3;

export class OwnerServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private loginInFlight = false;

  constructor(
    private readonly socketPath: string,
    private readonly session: VaultSession,
    private readonly broker: ApprovalBroker,
    private readonly registry: AgentRegistry,
  ) {}

  async listen(): Promise<void> {
    if (existsSync(this.socketPath)) unlinkSync(this.socketPath);
    const server = createServer((s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => resolve());
    });
    chmodSync(this.socketPath, 0o600);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const framer = new LineFramer(256 * 1024);
    let authenticated = false;
    let failures = 0;
    const send = (r: RpcResponse) => !socket.destroyed && socket.write(`${JSON.stringify(r)}\n`);
    socket.on('data', (d: Buffer) => {
      let frames: Buffer[];
      try {
        frames = framer.push(d);
      } catch {
        socket.destroy();
        return;
      }
      for (const f of frames) {
        void this.handle(f, () => authenticated, () => (authenticated = true)).then((r) => {
          send(r);
          if ('error' in r && r.error.data.code === 'BAD_CREDENTIALS' && ++failures >= MAX_LOGIN_FAILURES) socket.destroy();
        });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(frame: Buffer, isAuthed: () => boolean, markAuthed: () => void): Promise<RpcResponse> {
    let raw: unknown;
    try {
      raw = JSON.parse(frame.toString('utf8'));
    } catch {
      return { jsonrpc: '2.0', id: null, error: { code: JSONRPC.PARSE_ERROR, message: 'Parse error.', data: { code: 'INVALID_INPUT' } } };
    }
    const env = envelopeSchema.safeParse(raw);
    if (!env.success || !isOwnerMethod(env.data.method)) {
      return { jsonrpc: '2.0', id: null, error: { code: JSONRPC.INVALID_REQUEST, message: 'Invalid request.', data: { code: 'INVALID_INPUT' } } };
    }
    const id = env.data.id ?? null;
    const method: OwnerMethod = env.data.method;
    const parsed = ownerMethodSchemas[method].safeParse(env.data.params ?? {});
    if (!parsed.success) return { jsonrpc: '2.0', id, error: { code: JSONRPC.INVALID_PARAMS, message: `Invalid params for ${method}.`, data: { code: 'INVALID_INPUT' } } };
    try {
      if (method === 'owner.login') {
        const p = parsed.data as OwnerParams<'owner.login'>;
        const creds: Credentials = 'passphrase' in p ? { kind: 'passphrase', passphrase: p.passphrase } : { kind: 'keyfile', keyfile: Buffer.from(p.keyfileBase64, 'base64') };
        // One Argon2id at a time: a flood of login attempts cannot stall the agents' event loop.
        if (this.loginInFlight) throw new VaultError('RATE_LIMITED', 'Another owner login is being checked; try again.');
        this.loginInFlight = true;
        try {
          await this.session.verifyOwner(creds, 'terminal');
        } catch (e) {
          await this.session.engine.recordEvent({ kind: 'owner.auth', actor: { type: 'owner', id: 'terminal' }, outcome: 'refused', code: 'BAD_CREDENTIALS' });
          throw e;
        } finally {
          this.loginInFlight = false;
        }
        markAuthed();
        await this.session.engine.recordEvent({ kind: 'owner.auth', actor: { type: 'owner', id: 'terminal' }, outcome: 'ok' });
        return { jsonrpc: '2.0', id, result: { ok: true } };
      }
      if (!isAuthed()) throw new VaultError('UNAUTHORIZED', 'Log in with the owner credentials first.');
      return { jsonrpc: '2.0', id, result: await this.dispatch(method, parsed.data) };
    } catch (e) {
      return fail(id, e);
    }
  }

  private async dispatch(method: Exclude<OwnerMethod, 'owner.login'>, params: unknown): Promise<unknown> {
    switch (method) {
      case 'approvals.list':
        return this.broker.pending();
      case 'approvals.decide': {
        const p = params as OwnerParams<'approvals.decide'>;
        return this.broker.decide(p.requestId, p.approve ? { approve: true, ...(p.grantMinutes !== undefined ? { grantMinutes: p.grantMinutes } : {}) } : { approve: false }, 'terminal', p.digest);
      }
      case 'agents.create': {
        const p = params as OwnerParams<'agents.create'>;
        return this.session.engine.runAudited(
          () => this.registry.create(p),
          (created) => ({ kind: 'agent.create', actor: { type: 'owner', id: 'terminal' }, outcome: 'ok', details: { agentId: created.agent.id, name: p.name, maxLevel: p.maxLevel } }),
        );
      }
      case 'agents.list':
        return this.registry.list();
      case 'agents.revoke': {
        const id = this.registry.find((params as OwnerParams<'agents.revoke'>).agent).id;
        const revoked = await this.session.engine.runAudited(
          () => this.registry.revoke(id),
          (a) => ({ kind: 'agent.revoke', actor: { type: 'owner', id: 'terminal' }, outcome: 'ok', details: { agentId: a.id } }),
        );
        // Its pending requests end now (the waiting recalls refuse with UNAUTHORIZED); its grants go.
        await this.session.engine.onRequesterRevoked(revoked.id);
        return revoked;
      }
      case 'vault.status':
        return { dir: this.session.paths.dir, vaultId: this.session.header.vaultId, ...this.session.engine.status(), pendingApprovals: this.broker.pending().length };
      case 'lockdown.set': {
        const p = params as OwnerParams<'lockdown.set'>;
        // This connection proved the owner's credentials at login: that is the full unlock lifting needs.
        if (p.on) return this.session.engine.lockdownOn({ kind: 'owner', channel: 'terminal' }, p.reason ?? 'Owner request');
        return this.session.engine.lockdownOff({ __ownerProof: true, channel: 'terminal' });
      }
      default: {
        const never: never = method;
        throw new VaultError('INVALID_INPUT', `Unknown method ${String(never)}`);
      }
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
    if (existsSync(this.socketPath)) unlinkSync(this.socketPath);
  }
}
