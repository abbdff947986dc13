import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { threadId, Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveFromPassphrase, newArgon2idParams, type Argon2idParams } from '../../core/crypto/passphrase-kdf.js';
import { isVaultError, VaultError } from '../../core/errors.js';
import { Argon2Pool } from './argon2.service.js';
import { spawnArgon2Worker, workerMode } from './argon2-worker-entry.js';

const CHEAP = { opsLimit: 1, memLimitBytes: 8 * 1024 * 1024 };
const pools: Argon2Pool[] = [];
function pool(opts: ConstructorParameters<typeof Argon2Pool>[0] = {}): Argon2Pool {
  const p = new Argon2Pool(opts);
  pools.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('Argon2Pool (TypeScript sources: the worker is bundled on the fly)', () => {
  it('runs from sources here, in a thread other than this one', () => {
    expect(workerMode()).toBe('source');
    expect(threadId).toBe(0);
  });

  it('derives the same key as the in-thread primitive, NFC-normalised', async () => {
    const params = await newArgon2idParams(CHEAP);
    const p = pool();
    const viaWorker = await p.derive('Cafe\u0301 passphrase', params);
    const inThread = await deriveFromPassphrase('Caf\u00e9 passphrase', params);
    expect(viaWorker.length).toBe(32);
    expect(viaWorker.equals(inThread)).toBe(true);
    const other = await p.derive('another passphrase', params);
    expect(other.equals(inThread)).toBe(false);
  });

  it('queues requests behind one worker and answers each with its own key', async () => {
    const params = await newArgon2idParams(CHEAP);
    const p = pool({ maxWorkers: 1 });
    const words = ['one passphrase', 'two passphrase', 'three passphrase', 'four passphrase'];
    const keys = await Promise.all(words.map((w) => p.derive(w, params)));
    expect(p.workers).toBe(1);
    for (const [i, w] of words.entries()) expect(keys[i]?.equals(await deriveFromPassphrase(w, params))).toBe(true);
  });

  it('refuses requests beyond its queue bound with RATE_LIMITED', async () => {
    const params = await newArgon2idParams(CHEAP);
    const p = pool({ maxWorkers: 1, maxQueued: 2 });
    const settled = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => p.derive(`passphrase ${i}`, params)));
    const refused = settled.filter((s) => s.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.status === 'rejected' && isVaultError(r.reason) && r.reason.code).toBe('RATE_LIMITED');
    expect(settled.filter((s) => s.status === 'fulfilled').length).toBeGreaterThanOrEqual(2);
  });

  it('reports a failed derivation as INTERNAL data and keeps serving', async () => {
    const p = pool();
    // Parameters libsodium refuses (1 KiB, below its 8 KiB floor): the worker answers { ok: false }, it does not crash.
    const bad: Argon2idParams = { alg: 'argon2id13', opsLimit: 1, memLimitBytes: 1024, salt: Buffer.alloc(16).toString('base64') };
    const err = await p.derive('a passphrase', bad).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isVaultError(err) && err.code).toBe('INTERNAL');
    expect(String(err)).not.toContain('a passphrase');
    const params = await newArgon2idParams(CHEAP);
    expect((await p.derive('a passphrase', params)).length).toBe(32);
  });

  it('fails the running request with INTERNAL when its worker crashes, and starts a fresh one', async () => {
    const params = await newArgon2idParams(CHEAP);
    let spawned = 0;
    const p = pool({
      spawnWorker: () => {
        spawned++;
        // The first worker dies on its first request, as one that ran out of memory would.
        return spawned === 1
          ? Promise.resolve(
              new Worker("require('node:worker_threads').parentPort.on('message', () => { throw new Error('crash'); });", { eval: true }),
            )
          : spawnArgon2Worker();
      },
    });
    await expect(p.derive('first passphrase', params)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'Key derivation failed in its worker thread.',
    });
    expect((await p.derive('second passphrase', params)).equals(await deriveFromPassphrase('second passphrase', params))).toBe(true);
    expect(spawned).toBe(2);
  });

  it('refuses a reply of the wrong kind (a registration answering a derivation) and replaces that worker', async () => {
    const params = await newArgon2idParams(CHEAP);
    let spawned = 0;
    const wrongKind =
      "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, ok: true, result: { kind: 'opaque-registration', serverSetup: 'setup', record: 'record' } }));";
    const p = pool({
      spawnWorker: () => {
        spawned++;
        return spawned === 1 ? Promise.resolve(new Worker(wrongKind, { eval: true })) : spawnArgon2Worker();
      },
    });
    await expect(p.derive('first passphrase', params)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'Key derivation failed in its worker thread.',
    });
    expect((await p.derive('second passphrase', params)).equals(await deriveFromPassphrase('second passphrase', params))).toBe(true);
    expect(spawned).toBe(2);
  });

  it('fails waiting requests with the reason when no worker can be started', async () => {
    const params = await newArgon2idParams(CHEAP);
    const p = pool({ spawnWorker: () => Promise.reject(new VaultError('INTERNAL', 'no worker file')) });
    const settled = await Promise.allSettled([p.derive('one passphrase', params), p.derive('two passphrase', params)]);
    expect(settled.map((s) => (s.status === 'rejected' && isVaultError(s.reason) ? s.reason.message : 'resolved'))).toEqual([
      'no worker file',
      'no worker file',
    ]);
  });

  it('ends an idle worker and starts a fresh one on the next request', async () => {
    const params = await newArgon2idParams(CHEAP);
    const p = pool({ idleMs: 10 });
    await p.derive('first passphrase', params);
    await expect.poll(() => p.workers, { timeout: 10_000 }).toBe(0);
    expect((await p.derive('second passphrase', params)).equals(await deriveFromPassphrase('second passphrase', params))).toBe(true);
  });

  it('fails waiting and running requests when closed', async () => {
    const params = await newArgon2idParams(CHEAP);
    const p = pool();
    const pending = p.derive('a passphrase', params);
    await p.close();
    await expect(pending).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(p.derive('a passphrase', params)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('Argon2Pool (compiled dist/: the worker is dist/node/crypto/argon2-worker.js)', () => {
  it('derives the same key from the compiled build', async () => {
    if (!existsSync('dist/node/crypto/argon2.service.js'))
      throw new Error('dist/ is missing: run `npm run build:node` first (npm test does)');
    const params = await newArgon2idParams(CHEAP);
    const script = [
      "import { derivePassphraseKey, argon2Pool } from './dist/node/crypto/argon2.service.js';",
      "import { workerMode } from './dist/node/crypto/argon2-worker-entry.js';",
      `const key = await derivePassphraseKey('compiled passphrase', ${JSON.stringify(params)});`,
      "process.stdout.write(JSON.stringify({ mode: workerMode(), key: key.toString('hex'), workers: argon2Pool().workers }));",
    ].join('\n');
    // No close(): an idle worker is unreferenced, so the process must still exit by itself.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out: unknown = JSON.parse(r.stdout);
    expect(out).toEqual({ mode: 'compiled', key: (await deriveFromPassphrase('compiled passphrase', params)).toString('hex'), workers: 1 });
  });
});
