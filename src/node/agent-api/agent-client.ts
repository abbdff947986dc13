// TypeScript client for the agent API, used by the MCP server, tests and integrators.
// Typed results, per-call timeouts, and automatic reconnect (with re-login) when the
// connection drops between calls.
import { connect, type Socket } from 'node:net';
import type { Level } from '../../core/common/level.js';
import { isErrorCode, VaultError } from '../../core/errors.js';
import type { MemorySummary } from '../../core/model/memory.js';
import { responseSchema, type MethodName } from './agent-protocol.js';
import { LineFramer } from '../rpc/line-framer.js';
import type { UseAnswer } from './use-method.js';
import type { UseParams as UseCallParams } from './use-protocol.js';

export type RecallAnswer =
  | { readonly status: 'ok'; readonly memory: MemorySummary; readonly content?: string; readonly contentBase64?: string }
  | { readonly status: 'pending'; readonly requestId: string; readonly expiresAt: string };

export interface RequestStatus {
  readonly requestId: string;
  readonly state: 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';
  readonly expiresAt: string;
  readonly ready: boolean;
}

export interface StoreParams {
  content?: string;
  contentBase64?: string;
  level: Level;
  title: string;
  namespace?: string;
  tags?: string[];
  metadata?: Record<string, string | number | boolean | null>;
  intentRef?: string;
  cooldownSeconds?: number;
  ttlSeconds?: number;
}

export interface AgentClientOptions {
  readonly socketPath: string;
  readonly token: string;
  readonly timeoutMs?: number;
}

interface Waiter {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

export class AgentClient {
  private socket: Socket | null = null;
  private connecting: Promise<void> | null = null;
  private nextId = 1;
  private readonly waiters = new Map<number, Waiter>();

  private constructor(private readonly opts: AgentClientOptions) {}

  static async connect(opts: AgentClientOptions): Promise<AgentClient> {
    const c = new AgentClient(opts);
    await c.ensureConnected();
    return c;
  }

  private ensureConnected(): Promise<void> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(this.opts.socketPath);
      s.once('connect', () => resolve(s));
      s.once('error', (e) =>
        reject(
          new VaultError(
            'VAULT_LOCKED',
            `The vault server is not reachable (${'code' in e && typeof e.code === 'string' ? e.code : 'error'}).`,
          ),
        ),
      );
    });
    const framer = new LineFramer(8 * 1024 * 1024);
    socket.on('data', (d: Buffer) => {
      for (const f of framer.push(d)) this.onFrame(f);
    });
    socket.on('close', () => {
      this.socket = null;
      for (const [id, w] of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new VaultError('VAULT_LOCKED', 'The connection to the vault closed.'));
        this.waiters.delete(id);
      }
    });
    socket.on('error', () => socket.destroy());
    this.socket = socket;
    await this.send('auth.login', { token: this.opts.token });
  }

  private onFrame(frame: Buffer): void {
    let parsed;
    try {
      parsed = responseSchema.parse(JSON.parse(frame.toString('utf8')));
    } catch {
      return;
    }
    if (typeof parsed.id !== 'number') return;
    const w = this.waiters.get(parsed.id);
    if (!w) return;
    this.waiters.delete(parsed.id);
    clearTimeout(w.timer);
    if ('error' in parsed) {
      const code = isErrorCode(parsed.error.data.code) ? parsed.error.data.code : 'INTERNAL';
      const details = Object.fromEntries(
        Object.entries(parsed.error.data.details ?? {}).filter(
          (e): e is [string, string | number | boolean | null] => ['string', 'number', 'boolean'].includes(typeof e[1]) || e[1] === null,
        ),
      );
      w.reject(new VaultError(code, parsed.error.message, details));
    } else w.resolve(parsed.result);
  }

  private send(method: MethodName, params: object, timeoutMs = this.opts.timeoutMs ?? 30_000): Promise<unknown> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new VaultError('VAULT_LOCKED', 'Not connected.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(new VaultError('INTERNAL', `${method} timed out after ${timeoutMs} ms.`));
      }, timeoutMs);
      this.waiters.set(id, { resolve, reject, timer });
      socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  private async call<T>(method: MethodName, params: object, timeoutMs?: number): Promise<T> {
    await this.ensureConnected();
    return (await this.send(method, params, timeoutMs)) as T;
  }

  store(p: StoreParams): Promise<MemorySummary> {
    return this.call('memory.store', p);
  }
  recall(memoryId: string, justification = ''): Promise<RecallAnswer> {
    return this.call('memory.recall', { memoryId, justification });
  }
  search(query: string, opts: { limit?: number; namespace?: string } = {}): Promise<MemorySummary[]> {
    return this.call('memory.search', { query, ...opts });
  }
  list(opts: { namespace?: string; level?: Level; limit?: number; offset?: number } = {}): Promise<MemorySummary[]> {
    return this.call('memory.list', opts);
  }
  status(requestId: string): Promise<RequestStatus> {
    return this.call('request.status', { requestId });
  }
  /** Long poll: resolves with the content once approved, `pending` on timeout; rejects when denied/expired. */
  wait(requestId: string, timeoutMs = 30_000): Promise<RecallAnswer> {
    return this.call('request.wait', { requestId, timeoutMs }, timeoutMs + 10_000);
  }
  cancel(requestId: string): Promise<{ requestId: string; state: string }> {
    return this.call('request.cancel', { requestId });
  }
  health(): Promise<{
    ok: boolean;
    version: string;
    lockdown: boolean;
    agent: { agentId: string; maxLevel: number; namespaces: string[] | null };
    counters: { calls: Record<string, number> };
  }> {
    return this.call('vault.health', {});
  }

  /** Issue 19: a reference (mv://…) and the metadata of a memory; never its content. */
  handle(p: { memoryId: string; field?: string[] } | { ref: string; field?: string[] }): Promise<{ ref: string; memory: MemorySummary }> {
    return this.call('memory.handle', p);
  }
  /**
   * Issue 19: run an allowlisted command with secrets in its environment. The answer holds only
   * the masked output, or `pending` (then `wait`). `timeoutMs` should exceed the command's limit.
   */
  use(
    p: UseCallParams,
    timeoutMs?: number,
  ): Promise<UseAnswer | { readonly status: 'pending'; readonly requestId: string; readonly expiresAt: string }> {
    return this.call('memory.use', p, timeoutMs);
  }

  close(): void {
    this.socket?.end();
    this.socket = null;
  }
}
