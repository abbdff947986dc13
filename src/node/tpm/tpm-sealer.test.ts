// Runs against a REAL swtpm (one per test file). Skipped, with a warning, only if swtpm or
// tpm2-tools are not installed. No timing assertions.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVaultError, type VaultError } from '../../core/errors.js';
import { startSwtpm, swtpmAvailability, type SwtpmInstance } from '../../../tests/support/swtpm/swtpm-harness.js';
import { TpmSealer } from './tpm-sealer.js';

const availability = await swtpmAvailability();
if (!availability.available) console.warn(`[tpm-sealer.test] skipping swtpm tests: ${availability.reason ?? 'unknown'}`);
const itTpm = it.skipIf(!availability.available);

const PCRS = 'sha256:0,7,23';
const PIN = '4711';

async function rejection(p: Promise<unknown>): Promise<VaultError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isVaultError(e)) throw new Error(`expected a VaultError, got ${String(e)}`);
  return e;
}

describe('TpmSealer against swtpm', () => {
  let tpm: SwtpmInstance;
  let sealer: TpmSealer;

  const mustTool = async (name: string, args: string[]): Promise<string> => {
    const r = await tpm.tool(name, args);
    if (r.exitCode !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    return r.stdout;
  };
  const extendPcr23 = () => mustTool('tpm2_pcrextend', [`23:sha256=${randomBytes(32).toString('hex')}`]);
  const resetPcr23 = () => mustTool('tpm2_pcrreset', ['23']);
  const clearLockout = () => mustTool('tpm2_dictionarylockout', ['-c']);

  beforeAll(async () => {
    if (!availability.available) return;
    tpm = await startSwtpm();
    sealer = new TpmSealer({ tcti: tpm.tcti, pcrs: PCRS });
  });
  afterAll(async () => {
    await tpm?.stop();
  });

  itTpm('seals and unseals a secret (round trip), storing only pub/priv blobs', async () => {
    const secret = randomBytes(32);
    const blob = await sealer.seal(secret);
    expect(blob.kind).toBe('tpm2');
    expect(Object.keys(blob.fields).sort()).toEqual(['pcrs', 'pinRequired', 'priv', 'pub']);
    expect(blob.fields).toMatchObject({ pcrs: PCRS, pinRequired: 'false' });
    expect(JSON.stringify(blob)).not.toContain(secret.toString('base64'));
    expect(Buffer.from(await sealer.unseal(blob)).equals(secret)).toBe(true);
  });

  itTpm('seals 64 bytes and rejects empty or oversized secrets', async () => {
    const secret = randomBytes(64);
    expect(Buffer.from(await sealer.unseal(await sealer.seal(secret))).equals(secret)).toBe(true);
    expect((await rejection(sealer.seal(new Uint8Array(0)))).code).toBe('INVALID_INPUT');
    expect((await rejection(sealer.seal(new Uint8Array(65)))).code).toBe('INVALID_INPUT');
  });

  itTpm('unseals after a simulated reboot (orderly, and after power loss) when the PCRs are unchanged', async () => {
    const secret = randomBytes(32);
    const blob = await sealer.seal(secret, { pin: PIN });
    await tpm.reboot();
    expect(Buffer.from(await sealer.unseal(blob, { pin: PIN })).equals(secret)).toBe(true);
    await tpm.reboot({ orderly: false });
    expect(Buffer.from(await sealer.unseal(blob, { pin: PIN })).equals(secret)).toBe(true);
    await clearLockout(); // a non-orderly reset counts one dictionary-attack failure
  });

  itTpm('refuses with TPM_POLICY_MISMATCH after PCR 23 is extended, and works again after a reset', async () => {
    const secret = randomBytes(32);
    const blob = await sealer.seal(secret);
    await extendPcr23();
    const e = await rejection(sealer.unseal(blob));
    expect(e.code).toBe('TPM_POLICY_MISMATCH');
    expect(e.message).toMatch(/recovery passphrase or escrow/);
    await resetPcr23();
    expect(Buffer.from(await sealer.unseal(blob)).equals(secret)).toBe(true);
  });

  itTpm('with a PIN: right PIN unseals, wrong PIN is TPM_AUTH_FAILED with retries left, no PIN is refused', async () => {
    await clearLockout();
    const secret = randomBytes(32);
    const blob = await sealer.seal(secret, { pin: PIN });
    expect(blob.fields['pinRequired']).toBe('true');
    expect(Buffer.from(await sealer.unseal(blob, { pin: PIN })).equals(secret)).toBe(true);

    const wrong = await rejection(sealer.unseal(blob, { pin: '0000' }));
    expect(wrong.code).toBe('TPM_AUTH_FAILED');
    expect(wrong.details['retriesLeft']).toBe(2);
    const text = JSON.stringify(wrong.toJSON());
    for (const leak of ['0000', '30303030', PIN, Buffer.from(PIN).toString('hex')]) expect(text).not.toContain(leak);

    const missing = await rejection(sealer.unseal(blob));
    expect(missing.code).toBe('TPM_AUTH_FAILED');
    expect(missing.details['reason']).toBe('pin-required');
    await clearLockout();
  });

  itTpm('with a PIN and a changed PCR, the right PIN still gets TPM_POLICY_MISMATCH', async () => {
    const blob = await sealer.seal(randomBytes(32), { pin: PIN });
    await extendPcr23();
    try {
      expect((await rejection(sealer.unseal(blob, { pin: PIN }))).code).toBe('TPM_POLICY_MISMATCH');
    } finally {
      await resetPcr23();
    }
  });

  itTpm('repeated wrong PINs lead to TPM_LOCKOUT, which even the right PIN cannot pass until cleared', async () => {
    const secret = randomBytes(32);
    const blob = await sealer.seal(secret, { pin: PIN });
    const codes: string[] = [];
    for (let i = 0; i < 5 && !codes.includes('TPM_LOCKOUT'); i++) {
      codes.push((await rejection(sealer.unseal(blob, { pin: `bad${i}` }))).code);
    }
    expect(codes).toContain('TPM_AUTH_FAILED');
    expect(codes.at(-1)).toBe('TPM_LOCKOUT');
    expect((await rejection(sealer.unseal(blob, { pin: PIN }))).code).toBe('TPM_LOCKOUT');
    // The storage primary is `noda`: a PIN lockout does not block keys sealed without a PIN.
    expect(Buffer.from(await sealer.unseal(await sealer.seal(secret))).equals(secret)).toBe(true);
    await clearLockout();
    expect(Buffer.from(await sealer.unseal(blob, { pin: PIN })).equals(secret)).toBe(true);
  });

  itTpm('reports TPM_UNAVAILABLE when no TPM is reachable (closed port)', async () => {
    const blob = await sealer.seal(randomBytes(32));
    // The harness's swtpm owns `port`, so port 1 (privileged, nothing listens) is closed here.
    const nowhere = new TpmSealer({ tcti: 'swtpm:host=127.0.0.1,port=1', pcrs: PCRS });
    const e1 = await rejection(nowhere.seal(randomBytes(32)));
    expect(e1.code).toBe('TPM_UNAVAILABLE');
    expect(e1.details['reason']).toBe('no-tpm');
    expect((await rejection(nowhere.unseal(blob))).code).toBe('TPM_UNAVAILABLE');
  });

  itTpm('survives many seal/unseal cycles, including failed unseals, without leaking objects or sessions', async () => {
    for (let i = 0; i < 10; i++) {
      const secret = randomBytes(32);
      const pin = i % 2 === 0 ? undefined : PIN;
      const blob = await sealer.seal(secret, pin === undefined ? {} : { pin });
      if (i % 3 === 0) {
        await extendPcr23();
        expect((await rejection(sealer.unseal(blob, pin === undefined ? {} : { pin }))).code).toBe('TPM_POLICY_MISMATCH');
        await resetPcr23();
      }
      expect(Buffer.from(await sealer.unseal(blob, pin === undefined ? {} : { pin })).equals(secret)).toBe(true);
    }
    for (const cap of ['handles-transient', 'handles-loaded-session', 'handles-saved-session']) {
      expect((await mustTool('tpm2_getcap', [cap])).trim()).toBe('');
    }
  });

  itTpm('serializes concurrent operations (one instance and two instances on the same TPM)', async () => {
    const other = new TpmSealer({ tcti: tpm.tcti, pcrs: PCRS });
    const secrets = Array.from({ length: 4 }, () => randomBytes(32));
    const blobs = await Promise.all(secrets.map((s, i) => (i % 2 ? other : sealer).seal(s)));
    const out = await Promise.all(blobs.map((b, i) => (i % 2 ? sealer : other).unseal(b)));
    out.forEach((o, i) => expect(Buffer.from(o).equals(secrets[i] as Buffer)).toBe(true));
  });

  itTpm('leaves no work directory behind', async () => {
    const base =
      (await readdir('/dev/shm').then(
        () => '/dev/shm',
        () => undefined,
      )) ?? (await import('node:os')).tmpdir();
    const before = (await readdir(base)).filter((f) => f.startsWith('mv-tpm-'));
    await sealer.unseal(await sealer.seal(randomBytes(16)));
    await rejection(new TpmSealer({ tcti: 'swtpm:host=127.0.0.1,port=1' }).seal(randomBytes(16)));
    const after = (await readdir(base)).filter((f) => f.startsWith('mv-tpm-'));
    expect(after.filter((f) => !before.includes(f))).toEqual([]);
  });

  itTpm('uses the production default PCRs sha256:0,2,4,7 when none are given', async () => {
    const def = new TpmSealer({ tcti: tpm.tcti });
    expect(def.pcrs).toBe('sha256:0,2,4,7');
    const secret = randomBytes(32);
    const blob = await def.seal(secret);
    expect(blob.fields['pcrs']).toBe('sha256:0,2,4,7');
    expect(Buffer.from(await def.unseal(blob)).equals(secret)).toBe(true);
  });

  itTpm('refuses a blob after the TPM was cleared (new owner seed) with TPM_POLICY_MISMATCH', async () => {
    const blob = await sealer.seal(randomBytes(32));
    await mustTool('tpm2_clear', ['-c', 'l']);
    const e = await rejection(sealer.unseal(blob));
    expect(e.code).toBe('TPM_POLICY_MISMATCH');
    expect(e.details['reason']).toBe('blob-not-loadable');
  });
});
