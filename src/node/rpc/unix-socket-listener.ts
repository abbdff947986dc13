// Listening on a Unix domain socket inside a private directory. Invariants: a live socket at the
// path (another server, or an impostor squatting it) is never unlinked or replaced — listening
// refuses with VAULT_BUSY; only a dead one left by a crash is removed. The socket is chmod 0600 and
// its directory may not be writable by group or others (who could swap the socket file).
import { chmodSync, existsSync, statSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { VaultError } from '../../core/errors.js';

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

function checkDirectory(path: string): void {
  if (process.platform === 'win32') return;
  const dir = dirname(path);
  if ((statSync(dir).mode & 0o022) !== 0)
    throw new VaultError('INVALID_INPUT', `The socket directory ${dir} is writable by group or others; refusing to listen there.`);
}

/** Listen on `path` (after the stale-socket check), then restrict the socket to its owner. */
export async function listenOnUnixSocket(path: string, backlog: number, onConnection: (socket: Socket) => void): Promise<Server> {
  checkDirectory(path);
  await clearStaleSocket(path);
  const server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path, backlog }, () => resolve());
  });
  chmodSync(path, 0o600);
  return server;
}

/** Remove our socket file after closing (best effort: it may already be gone). */
export function removeSocketFile(path: string): void {
  if (!existsSync(path)) return;
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
