// Client side of the owner channel, used by `memory-vault approvals` and by owner commands
// while a server holds the vault open.
import { connect, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { isErrorCode, VaultError } from '../../core/errors.js';
import { responseSchema } from './agent-protocol.js';
import { LineFramer } from './line-framer.js';
import type { OwnerMethod } from './owner-protocol.js';

export class OwnerClient {
  private nextId = 1;
  private readonly waiters = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

  private constructor(private readonly socket: Socket) {
    const framer = new LineFramer(8 * 1024 * 1024);
    socket.on('data', (d: Buffer) => {
      for (const f of framer.push(d)) {
        const parsed = responseSchema.safeParse(JSON.parse(f.toString('utf8')));
        if (!parsed.success || typeof parsed.data.id !== 'number') continue;
        const w = this.waiters.get(parsed.data.id);
        if (!w) continue;
        this.waiters.delete(parsed.data.id);
        if ('error' in parsed.data) {
          const code = isErrorCode(parsed.data.error.data.code) ? parsed.data.error.data.code : 'INTERNAL';
          w.reject(new VaultError(code, parsed.data.error.message));
        } else w.resolve(parsed.data.result);
      }
    });
    socket.on('close', () => {
      for (const w of this.waiters.values()) w.reject(new VaultError('VAULT_LOCKED', 'The vault server closed the connection.'));
      this.waiters.clear();
    });
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

  call<T>(method: OwnerMethod, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiters.set(id, { resolve: (v) => resolve(v as T), reject });
      this.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  close(): void {
    this.socket.end();
  }
}
