import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDaemonSocketTrust } from './boundary-socket-trust.js';

let root: string;
let servers: Server[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mv-trust-'));
});
afterEach(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  servers = [];
  rmSync(root, { recursive: true, force: true });
});

async function socketAt(dir: string, mode = 0o600): Promise<string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'boundary.sock');
  const server = createServer();
  servers.push(server);
  await new Promise<void>((r) => server.listen(path, r));
  chmodSync(path, mode);
  return path;
}

const uid = process.getuid?.() ?? 0;

describe('checkDaemonSocketTrust', () => {
  it('trusts an owner-only socket in an owner-only directory', async () => {
    expect(checkDaemonSocketTrust(await socketAt(join(root, 'api')), uid)).toEqual({ trusted: true });
  });

  it('reports a missing socket as missing, not as a trust problem', () => {
    expect(checkDaemonSocketTrust(join(root, 'none.sock'), uid)).toMatchObject({ trusted: false, missing: true });
  });

  it('refuses group/other-writable sockets and directories, with the mode', async () => {
    const path = await socketAt(join(root, 'api'), 0o666);
    expect(checkDaemonSocketTrust(path, uid)).toMatchObject({
      trusted: false,
      missing: false,
      problem: expect.stringContaining('mode 0666'),
    });
    chmodSync(path, 0o600);
    chmodSync(join(root, 'api'), 0o777);
    expect(checkDaemonSocketTrust(path, uid)).toMatchObject({ trusted: false, problem: expect.stringContaining('socket directory') });
  });

  it('refuses a socket owned by another user (the uid it is checked for differs)', async () => {
    const path = await socketAt(join(root, 'api'));
    const other = uid === 0 ? 12345 : uid + 1;
    // Owned by `uid`; checked as if the vault ran as `other`: only root or `other` would do.
    const r = checkDaemonSocketTrust(path, other);
    if (uid === 0)
      expect(r).toEqual({ trusted: true }); // root-owned is always acceptable
    else expect(r).toMatchObject({ trusted: false, problem: expect.stringContaining(`owned by uid ${uid}`) });
  });

  it('refuses symlinks and things that are not sockets', async () => {
    const real = await socketAt(join(root, 'real'));
    mkdirSync(join(root, 'api'), { mode: 0o700 });
    symlinkSync(real, join(root, 'api', 'boundary.sock'));
    expect(checkDaemonSocketTrust(join(root, 'api', 'boundary.sock'), uid)).toMatchObject({
      trusted: false,
      problem: expect.stringContaining('symbolic link'),
    });
    writeFileSync(join(root, 'api', 'plain'), 'x', { mode: 0o600 });
    expect(checkDaemonSocketTrust(join(root, 'api', 'plain'), uid)).toMatchObject({
      trusted: false,
      problem: expect.stringContaining('not a socket'),
    });
  });
});
