// TPM-bound profiles against a REAL swtpm (one per file, stopped by PID afterwards): init, close,
// unlock; PCR policy mismatch; PIN; level 4 on a TPM-bound vault and the software fallback.
// Skipped (with the reason printed) only if swtpm/tpm2-tools are not installed.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/node/vault/credentials.js';
import { readVaultHeader } from '../../src/node/vault/vault-header.js';
import { vaultPaths } from '../../src/node/vault/vault-paths.js';
import { initVault, unlockVault } from '../../src/node/composition/vault-sessions.js';
import { type SessionOptions, type VaultSession } from '../../src/node/vault/vault-session.js';
import { TPM_FALLBACK_WARNING } from '../../src/core/engine/vault-engine.js';
import { startSwtpm, swtpmAvailability, type SwtpmInstance } from '../support/swtpm/swtpm-harness.js';
import { airGapped, approvingGate, newVault, tempDir } from '../support/vault-fixture.js';
import { OWNER, auditEvents, rejection } from './support.js';

const availability = await swtpmAvailability();
if (!availability.available) console.warn(`[tests/hardware/tpm-vault] skipping swtpm tests: ${availability.reason ?? 'unknown'}`);
const itTpm = it.skipIf(!availability.available);

const PCRS = 'sha256:0,7,23';
const PIN = '4711';
const CONTENT = 'level-4 note: where the spare key is';

let tpm: SwtpmInstance;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  if (availability.available) tpm = await startSwtpm();
});
afterAll(async () => {
  if (!tpm) return;
  await tpm.stop();
  let alive = true;
  try {
    process.kill(tpm.pid, 0);
  } catch {
    alive = false;
  }
  expect(alive, 'swtpm is gone after stop()').toBe(false);
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const must = async (name: string, args: string[]): Promise<void> => {
  const r = await tpm.tool(name, args);
  if (r.exitCode !== 0) throw new Error(`${name} failed: ${r.stderr}`);
};
const extendPcr23 = () => must('tpm2_pcrextend', [`23:sha256=${randomBytes(32).toString('hex')}`]);
const resetPcr23 = () => must('tpm2_pcrreset', ['23']);
const clearLockout = () => must('tpm2_dictionarylockout', ['-c']);

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

const tpmOpts = (extra: Partial<SessionOptions> = {}): SessionOptions => ({
  tpm: { tcti: tpm.tcti, pcrs: PCRS },
  gates: { approvals: approvingGate(), environment: airGapped },
  ...extra,
});

async function tpmVault(
  pin?: string,
): Promise<{ dir: string; session: VaultSession; credentials: Credentials; reopen: (c?: Credentials) => Promise<VaultSession> }> {
  const t = tempDir();
  const credentials: Credentials = pin === undefined ? { kind: 'tpm2' } : { kind: 'tpm2', pin };
  const state = { session: await initVault({ dir: t.path, credentials, ...tpmOpts() }) };
  cleanups.push(() => {
    state.session.close();
    t.remove();
  });
  return {
    dir: t.path,
    credentials,
    get session() {
      return state.session;
    },
    async reopen(c: Credentials = credentials) {
      state.session.close();
      state.session = await unlockVault({ dir: t.path, credentials: c, ...tpmOpts() });
      return state.session;
    },
  };
}

describe('TPM-bound profile (swtpm)', () => {
  itTpm('init seals a random wrapping key to the TPM; the header holds only the sealed blob; close and unlock again works', async () => {
    const v = await tpmVault();
    const m = await v.session.engine.store({ content: 'hello tpm', level: 1, title: 't' }, OWNER);
    const header = readVaultHeader(vaultPaths(v.dir).header);
    const source = header.profiles[0]!.source;
    expect(source.kind).toBe('tpm2');
    if (source.kind !== 'tpm2') throw new Error('unreachable');
    expect(source).toMatchObject({ pinRequired: false, sealed: { pcrs: PCRS, pinRequired: 'false' } });
    expect(Object.keys(source.sealed).sort()).toEqual(['pcrs', 'pinRequired', 'priv', 'pub']);
    expect(auditEvents(v.session, 'vault.init')[0]?.details).toMatchObject({ keySource: 'tpm2', tpmPcrs: PCRS, tpmPinRequired: false });

    const s = await v.reopen();
    expect((await s.engine.recall({ memoryId: m.id, justification: 'j' }, OWNER)).content.toString()).toBe('hello tpm');
    // A passphrase does not open a TPM-bound profile.
    s.close();
    expect(
      (
        await rejection(
          unlockVault({ dir: v.dir, credentials: { kind: 'passphrase', passphrase: 'correct horse battery staple' }, ...tpmOpts() }),
        )
      ).code,
    ).toBe('BAD_CREDENTIALS');
    await v.reopen();
  });

  itTpm(
    'PCR 23 extended → TPM_POLICY_MISMATCH (message offers the recovery path), vault files untouched; after a reset it unlocks again',
    async () => {
      const v = await tpmVault();
      v.session.close();
      const before = snapshot(v.dir);
      await extendPcr23();
      try {
        const e = await rejection(unlockVault({ dir: v.dir, credentials: v.credentials, ...tpmOpts() }));
        expect(e.code).toBe('TPM_POLICY_MISMATCH');
        expect(e.message).toMatch(/recovery passphrase or escrow/);
        expect(snapshot(v.dir)).toEqual(before);
      } finally {
        await resetPcr23();
      }
      await v.reopen();
      expect(v.session.engine.status().auditEvents).toBeGreaterThan(0);
    },
  );

  itTpm(
    'with a PIN: right PIN unlocks, wrong PIN → TPM_AUTH_FAILED (retries left), no PIN → TPM_AUTH_FAILED before touching the TPM',
    async () => {
      await clearLockout();
      const v = await tpmVault(PIN);
      const header = readVaultHeader(vaultPaths(v.dir).header);
      expect(header.profiles[0]!.source).toMatchObject({ kind: 'tpm2', pinRequired: true });
      v.session.close();
      try {
        const wrong = await rejection(unlockVault({ dir: v.dir, credentials: { kind: 'tpm2', pin: '0000' }, ...tpmOpts() }));
        expect(wrong.code).toBe('TPM_AUTH_FAILED');
        expect(typeof wrong.details['retriesLeft']).toBe('number');
        expect(JSON.stringify(wrong)).not.toContain(PIN);
        const missing = await rejection(unlockVault({ dir: v.dir, credentials: { kind: 'tpm2' }, ...tpmOpts() }));
        expect(missing).toMatchObject({ code: 'TPM_AUTH_FAILED', details: { reason: 'pin-required' } });
      } finally {
        await clearLockout();
      }
      await v.reopen();
    },
  );

  itTpm('TPM unreachable at unlock → TPM_UNAVAILABLE', async () => {
    const v = await tpmVault();
    v.session.close();
    const e = await rejection(
      unlockVault({ dir: v.dir, credentials: v.credentials, ...tpmOpts({ tpm: { tcti: 'swtpm:host=127.0.0.1,port=1' } }) }),
    );
    expect(e.code).toBe('TPM_UNAVAILABLE');
    await v.reopen();
  });
});

describe('level 4 and the TPM', () => {
  itTpm('level-4 store and recall work end to end on a TPM-bound vault (approval + air-gap gates), audited as tpmBound', async () => {
    const warnings: string[] = [];
    const v = await tpmVault();
    v.session.close();
    const s = await unlockVault({ dir: v.dir, credentials: v.credentials, ...tpmOpts({ onWarning: (w) => warnings.push(w) }) });
    cleanups.push(() => s.close());
    const m = await s.engine.store({ content: CONTENT, level: 4, title: 'vaulted' }, OWNER);
    const r = await s.engine.recall({ memoryId: m.id, justification: 'need it' }, OWNER);
    expect(r.content.toString('utf8')).toBe(CONTENT);
    expect(warnings).toEqual([]);
    expect(auditEvents(s, 'memory.store').at(-1)?.details).toMatchObject({ tpmBound: true });
    expect(auditEvents(s, 'approval.granted')).toHaveLength(1);
  });

  itTpm('a passphrase vault on a machine WITH a TPM refuses level 4 (HARDWARE_REQUIRED) and stores nothing', async () => {
    const v = await newVault({ ...tpmOpts() });
    cleanups.push(() => {
      v.session.close();
      v.remove();
    });
    const e = await rejection(v.session.engine.store({ content: CONTENT, level: 4, title: 'vaulted' }, OWNER));
    expect(e.code).toBe('HARDWARE_REQUIRED');
    expect(e.message).toMatch(/init --tpm/);
    expect(v.session.engine.status().memories[4]).toBe(0);
  });

  it('where no TPM exists, level 4 is stored with the software key, the owner is told so plainly, and the audit says tpmBound: false', async () => {
    const warnings: string[] = [];
    // Port 1 on loopback: nothing listens, so no TPM is reachable.
    const v = await newVault({
      tpm: { tcti: 'swtpm:host=127.0.0.1,port=1' },
      gates: { approvals: approvingGate(), environment: airGapped },
      onWarning: (w) => warnings.push(w),
    });
    cleanups.push(() => {
      v.session.close();
      v.remove();
    });
    const m = await v.session.engine.store({ content: CONTENT, level: 4, title: 'vaulted' }, OWNER);
    expect(warnings).toEqual([TPM_FALLBACK_WARNING]);
    expect(warnings[0]).toMatch(/no TPM/);
    expect(auditEvents(v.session, 'memory.store').at(-1)).toMatchObject({ memory: { id: m.id, level: 4 }, details: { tpmBound: false } });
    expect((await v.session.engine.recall({ memoryId: m.id, justification: 'j' }, OWNER)).content.toString('utf8')).toBe(CONTENT);
    // Lower levels are not affected.
    await v.session.engine.store({ content: 'x', level: 2, title: 'private' }, OWNER);
    expect(warnings).toHaveLength(1);
    expect(auditEvents(v.session, 'memory.store').at(-1)?.details).not.toHaveProperty('tpmBound');
  });
});
