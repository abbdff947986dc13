// Transport for Agent-OS daemons: one connection per command over a Unix socket, one JSON line
// out, one JSON reply back (a newline or the end of the stream ends it), all within the timeout.
// Errors become DaemonUnavailableError so callers can fail closed on every kind of failure.
// Invariant: before every connect the socket's ownership and permissions are checked
// (boundary-socket-trust.ts); an untrusted socket is never written to.
import { createConnection } from 'node:net';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { DaemonUnavailableError, type DaemonChannel, type DaemonParam } from '../../core/integrations/daemon-channel.port.js';
import { BOUNDARY_TIMEOUT_MS } from '../../core/integrations/boundary/boundary-modes.js';
import { checkDaemonSocketTrust } from './boundary-socket-trust.js';

const MAX_REPLY_BYTES = 64 * 1024;

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return resolve(path);
}

export class UnixJsonLineChannel implements DaemonChannel {
  readonly socketPath: string;

  constructor(
    socketPath: string,
    private readonly timeoutMs: number = BOUNDARY_TIMEOUT_MS,
  ) {
    this.socketPath = expandHome(socketPath);
  }

  get description(): string {
    return `unix socket ${this.socketPath}`;
  }

  request(command: string, params: Readonly<Record<string, DaemonParam>>): Promise<unknown> {
    const line = `${JSON.stringify({ command, params })}\n`;
    // Checked per request, not once: the entry can be replaced while the vault runs.
    const trust = checkDaemonSocketTrust(this.socketPath);
    if (!trust.trusted) {
      return Promise.reject(
        trust.missing
          ? new DaemonUnavailableError('not-found', 'socket not found')
          : new DaemonUnavailableError('untrusted', `untrusted daemon socket: ${trust.problem}`),
      );
    }
    return new Promise<unknown>((resolvePromise, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const socket = createConnection({ path: this.socketPath });
      const finish = (error: DaemonUnavailableError | null, value?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolvePromise(value);
      };
      const parse = (): void => {
        const text = Buffer.concat(chunks).toString('utf8');
        const first = text.split('\n')[0]?.trim() ?? '';
        if (first === '') return finish(new DaemonUnavailableError('malformed', 'the daemon closed the connection without a reply'));
        try {
          finish(null, JSON.parse(first) as unknown);
        } catch {
          finish(new DaemonUnavailableError('malformed', 'the daemon reply is not JSON'));
        }
      };
      const timer = setTimeout(() => finish(new DaemonUnavailableError('timeout', `no reply within ${this.timeoutMs} ms`)), this.timeoutMs);
      timer.unref();
      socket.on('connect', () => socket.write(line));
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) return finish(new DaemonUnavailableError('malformed', 'the daemon reply is too long'));
        if (chunk.includes(0x0a)) parse();
      });
      socket.on('end', parse);
      socket.on('error', (e: NodeJS.ErrnoException) => {
        const kind = e.code === 'ENOENT' ? 'not-found' : e.code === 'ECONNREFUSED' ? 'refused' : 'io';
        const message =
          kind === 'not-found'
            ? 'socket not found'
            : kind === 'refused'
              ? 'daemon not running (connection refused)'
              : `socket error ${e.code ?? ''}`.trim();
        finish(new DaemonUnavailableError(kind, message));
      });
    });
  }
}
