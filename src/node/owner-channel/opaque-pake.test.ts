// The owner's OPAQUE registration runs in the key-stretching worker thread, not on the event
// loop: this thread's memory does not grow by the 64 MiB Argon2id, the loop keeps turning, the
// worker ends afterwards, and what comes back lets the real client (and only with the right
// password) log in. Failures carry a fixed text, never the credential.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { isVaultError } from '../../core/errors.js';
import { Argon2Pool } from '../crypto/argon2.service.js';
import { spawnArgon2Worker } from '../crypto/argon2-worker-entry.js';
import { workReplySchema } from '../crypto/argon2-protocol.js';
import {
  clientFinishLogin,
  clientStartLogin,
  registerOwner,
  serverFinishLogin,
  serverStartLogin,
  type OwnerRegistration,
} from './opaque-pake.js';

const PASSWORD = 'correct horse, owner channel \u00e9';
const MIB = 1024 * 1024;
const pools: Argon2Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** A full login against `reg`: the session keys both halves agree on, or null if either refuses. */
async function login(reg: OwnerRegistration, password: string): Promise<string | null> {
  const start = await clientStartLogin(password);
  const { loginResponse, state } = serverStartLogin(reg, start.startLoginRequest);
  const fin = clientFinishLogin(start.state, loginResponse, password);
  if (fin === null) return null;
  const serverKey = serverFinishLogin(state, fin.finishLoginRequest);
  return serverKey === fin.sessionKey ? serverKey : null;
}

describe('registerOwner (TypeScript sources)', () => {
  // First in this file on purpose: the library's wasm memory never shrinks, so a registration
  // in this thread (the old code) shows as growth only the first time it happens here.
  it("does not grow this thread's memory by the key stretching's 64 MiB", async () => {
    await clientStartLogin('loads the library in this thread first');
    const before = process.memoryUsage().external;
    const reg = await registerOwner(PASSWORD);
    const grown = process.memoryUsage().external - before;
    expect(reg.record.length).toBeGreaterThan(0);
    // In this thread it grew by ~67 MB; from the worker only the two strings come back.
    expect(grown).toBeLessThan(32 * MIB);
  });

  it('leaves the event loop turning while it runs', async () => {
    let settled = false;
    const registering = registerOwner(PASSWORD).finally(() => {
      settled = true;
    });
    // On the event loop the whole stretching ran in the microtask after `await ready`, before
    // any macrotask: the registration had settled before this one turn of the loop.
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    await registering;
  });

  it('returns a registration the client logs in with, and only with the right password', async () => {
    const reg = await registerOwner(PASSWORD);
    expect(await login(reg, PASSWORD)).toMatch(/.+/);
    expect(await login(reg, `${PASSWORD}!`)).toBeNull();
    // NFC is not applied: the client logs in with the string exactly as registered.
    expect(await login(reg, PASSWORD.normalize('NFD'))).toBeNull();
    // A fresh server setup each time: another registration's record does not answer this one.
    const other = await registerOwner(PASSWORD);
    expect(other.serverSetup).not.toBe(reg.serverSetup);
  });

  it('ends its worker afterwards', async () => {
    const p = new Argon2Pool({ idleMs: 10 });
    pools.push(p);
    const reg = await p.registerOpaqueOwner(PASSWORD);
    expect(await login(reg, PASSWORD)).toMatch(/.+/);
    await expect.poll(() => p.workers, { timeout: 10_000 }).toBe(0);
  });

  it('fails with INTERNAL and a fixed text, never the credential, when its worker crashes', async () => {
    const p = new Argon2Pool({
      spawnWorker: () =>
        Promise.resolve(
          new Worker("require('node:worker_threads').parentPort.on('message', () => { throw new Error('crash'); });", { eval: true }),
        ),
    });
    pools.push(p);
    const err = await p.registerOpaqueOwner(PASSWORD).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isVaultError(err) && err.code).toBe('INTERNAL');
    expect(`${String(err)} ${JSON.stringify(err)}`).not.toContain('correct horse');
  });

  it('the worker answers bytes that are not UTF-8 with a fixed text and no credential', async () => {
    const worker = await spawnArgon2Worker();
    try {
      const password = new Uint8Array([0x63, 0x68, 0xff, 0xfe, 0x73]);
      const replied = new Promise<unknown>((r) => worker.once('message', r));
      worker.postMessage({ id: 7, work: { kind: 'opaque-registration', password } }, [password.buffer]);
      // Transferred: this thread keeps no copy of the credential.
      expect(password.byteLength).toBe(0);
      expect(workReplySchema.parse(await replied)).toEqual({
        id: 7,
        ok: false,
        error: { code: 'INTERNAL', message: 'The owner-channel registration failed.' },
      });
    } finally {
      await worker.terminate();
    }
  });
});

describe('registerOwner (compiled dist/: the worker is dist/node/crypto/argon2-worker.js)', () => {
  it('registers from the compiled build without growing the main thread, and the client logs in', () => {
    if (!existsSync('dist/node/owner-channel/opaque-registration.js'))
      throw new Error('dist/ is missing the registration worker code: run `npm run build:node` first (npm test does)');
    const script = [
      "import { registerOwner, clientStartLogin, clientFinishLogin, serverStartLogin, serverFinishLogin } from './dist/node/owner-channel/opaque-pake.js';",
      "import { workerMode } from './dist/node/crypto/argon2-worker-entry.js';",
      "await clientStartLogin('load the library here first');",
      'const before = process.memoryUsage().external;',
      `const reg = await registerOwner(${JSON.stringify(PASSWORD)});`,
      'const grown = process.memoryUsage().external - before;',
      `const start = await clientStartLogin(${JSON.stringify(PASSWORD)});`,
      'const ke2 = serverStartLogin(reg, start.startLoginRequest);',
      `const fin = clientFinishLogin(start.state, ke2.loginResponse, ${JSON.stringify(PASSWORD)});`,
      'const agreed = fin !== null && serverFinishLogin(ke2.state, fin.finishLoginRequest) === fin.sessionKey;',
      'process.stdout.write(JSON.stringify({ mode: workerMode(), agreed, grownUnder32MiB: grown < 32 * 1024 * 1024 }));',
    ].join('\n');
    // No close(): the idle worker is unreferenced, so the process must still exit by itself.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ mode: 'compiled', agreed: true, grownUnder32MiB: true });
  });
});
