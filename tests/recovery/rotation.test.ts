// Key rotation: new profile key, DEKs rewrapped (or content re-encrypted), database rekeyed,
// audit signer resealed, escrows invalidated, audited with fingerprints.
import { afterEach, describe, expect, it } from 'vitest';
import { keyFingerprint, zeroize } from '../../src/core/crypto/keys.js';
import type { MemoryId } from '../../src/core/model/memory.js';
import { unwrapDatabaseKey, unwrapProfileKey } from '../../src/core/keys/profile-keys.js';
import { openMemory } from '../../src/core/engine/memory-sealer.js';
import { wrappingKeyFor } from '../../src/node/vault/credentials.js';
import { readVaultHeader } from '../../src/node/vault/vault-header.js';
import { vaultPaths } from '../../src/node/vault/vault-paths.js';
import { openEncryptedDatabase } from '../../src/node/store/encrypted-database.js';
import { rotateProfileKey, type RotationPhase } from '../../src/node/rotation/rotate-profile-key.js';
import { createEscrow, listEscrows } from '../../src/node/escrow/escrow.service.js';
import { fakeHardwareKey } from '../support/fake-hardware-key.js';
import { newVault, passphrase, reopen } from '../support/vault-fixture.js';
import { auditEvents } from '../hardware/support.js';
import { expectAllRecall, OWNER, storeMany } from './support/rotation-vault.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

async function keysOf(dir: string): Promise<{ profileKey: Buffer; databaseKey: Buffer }> {
  const h = readVaultHeader(vaultPaths(dir).header);
  const p = h.profiles[0];
  if (!p) throw new Error('no profile');
  const wk = await wrappingKeyFor(p.source, passphrase);
  const profileKey = unwrapProfileKey(wk, p.wrappedProfileKey, h.vaultId, p.id);
  zeroize(wk);
  return { profileKey, databaseKey: unwrapDatabaseKey(profileKey, p.wrappedDatabaseKey, h.vaultId) };
}

describe('rotate-key', () => {
  it('rewraps every DEK under a new profile key, rekeys the database, reseals the audit signer and audits both fingerprints', async () => {
    const v = await newVault();
    cleanup = v.remove;
    const ids = await storeMany(v.session, 300);
    const before = await keysOf(v.dir);
    const fp0 = keyFingerprint(before.profileKey);
    expect(v.session.profileKeyFingerprint).toBe(fp0);
    const phases = new Set<RotationPhase>();
    const r = await rotateProfileKey(v.session, { credentials: passphrase, onProgress: (p) => phases.add(p.phase) });
    expect(r.memories).toBe(300);
    expect(r.from).toBe(fp0);
    expect(r.to).not.toBe(fp0);
    expect([...phases]).toEqual(['prepare', 'pending-header', 'rewrap', 'rekey', 'audit', 'commit-header', 'done']);

    const after = await keysOf(v.dir);
    expect(keyFingerprint(after.profileKey)).toBe(r.to);
    expect(after.databaseKey.equals(before.databaseKey)).toBe(false);
    // The old database key no longer opens the file; the new one does.
    expect(() => openEncryptedDatabase(vaultPaths(v.dir).database, before.databaseKey).close()).toThrow();
    expect(readVaultHeader(vaultPaths(v.dir).header).profiles[0]?.rotation).toBeUndefined();

    const s = await reopen(v.dir);
    try {
      expect(s.profileKeyFingerprint).toBe(r.to);
      await expectAllRecall(s, ids);
      // Audit log (signed by the resealed signer) still verifies end to end.
      expect((await s.engine.auditLog.verify()).ok).toBe(true);
      const ev = auditEvents(s, 'key.rotation');
      expect(ev).toHaveLength(1);
      expect(ev[0]?.details).toMatchObject({ rotationId: r.rotationId, from: fp0, to: r.to, memories: 300 });
      // No key bytes in the event: only 16-hex fingerprints.
      expect(JSON.stringify(ev[0])).not.toContain(before.profileKey.toString('base64'));
    } finally {
      s.close();
    }
  });

  it('--full re-encrypts content under new DEKs; level-5 memories are rewrapped with a token touch each', async () => {
    const hw = fakeHardwareKey();
    const v = await newVault({ gates: { hardwareKey: hw } });
    cleanup = v.remove;
    const ids = await storeMany(v.session, 20);
    const l5 = await v.session.engine.store({ content: 'black level secret', level: 5, title: 'l5' }, OWNER);
    const row0 = v.session.repo.getMemory(ids[0] as MemoryId);
    const touchesBefore = hw.touches;
    const r = await rotateProfileKey(v.session, { credentials: passphrase, full: true });
    expect(r.full).toBe(true);
    expect(r.level5).toBe(1);
    expect(hw.touches).toBe(touchesBefore + 1);
    const s = await reopen(v.dir, { gates: { hardwareKey: hw } });
    try {
      const row1 = s.repo.getMemory(ids[0] as MemoryId);
      expect(row1?.ciphertext?.equals(row0?.ciphertext ?? Buffer.alloc(0))).toBe(false);
      await expectAllRecall(s, ids);
      // Level 5 through memory-sealer's own openMemory (the rewrap must match its derivation).
      const row5 = s.repo.getMemory(l5.id);
      if (!row5?.wrappedDek || !row5.ciphertext || !row5.hwSalt || !row5.hwCredential) throw new Error('level-5 row incomplete');
      const keys = await keysOf(v.dir);
      const secret = await hw.deriveSecret({ salt: row5.hwSalt, allowCredentials: [{ credentialId: row5.hwCredential }], reason: 'test' });
      const plain = openMemory({
        memoryId: row5.id,
        level: 5,
        profileId: row5.profileId,
        formatVersion: row5.formatVersion,
        profileKey: keys.profileKey,
        contentHash: row5.contentHash,
        wrappedDek: row5.wrappedDek,
        ciphertext: row5.ciphertext,
        hardware: { secret: secret.secret, salt: row5.hwSalt },
      });
      expect(plain.toString('utf8')).toBe('black level secret');
    } finally {
      s.close();
    }
  });

  it('refuses wrong credentials without touching anything, and a vault with level-5 memories but no token', async () => {
    const hw = fakeHardwareKey();
    const v = await newVault({ gates: { hardwareKey: hw } });
    cleanup = v.remove;
    await v.session.engine.store({ content: 'x', level: 5, title: 'l5' }, OWNER);
    const header = JSON.stringify(readVaultHeader(vaultPaths(v.dir).header));
    await expect(
      rotateProfileKey(v.session, { credentials: { kind: 'passphrase', passphrase: 'not the passphrase' } }),
    ).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    expect(JSON.stringify(readVaultHeader(vaultPaths(v.dir).header))).toBe(header);
    v.session.close();
    const noToken = await reopen(v.dir);
    await expect(rotateProfileKey(noToken, { credentials: passphrase })).rejects.toMatchObject({ code: 'HARDWARE_REQUIRED' });
    // Failed before the database changed: the pending slot was withdrawn, the old key still rules.
    expect(readVaultHeader(vaultPaths(v.dir).header).profiles[0]?.rotation).toBeUndefined();
    const again = await reopen(v.dir, { gates: { hardwareKey: hw } });
    again.close();
  });

  it('invalidates escrows: their recovery slots wrap the old key', async () => {
    const v = await newVault();
    cleanup = v.remove;
    await createEscrow(v.session, {
      credentials: passphrase,
      label: 'family',
      threshold: 2,
      recipients: [{ kind: 'text' }, { kind: 'text' }, { kind: 'text' }],
    });
    const r = await rotateProfileKey(v.session, { credentials: passphrase });
    expect(r.escrowsInvalidated).toBe(1);
    const s = await reopen(v.dir);
    try {
      expect(s.profile.recovery ?? []).toHaveLength(0);
      expect(listEscrows(s)).toHaveLength(0);
      expect(listEscrows(s, true)[0]).toMatchObject({ usable: false, invalidatedBy: 'rotation' });
    } finally {
      s.close();
    }
  });

  it('benchmark figure: rewrap rotation of 10k memories (printed, not asserted)', async () => {
    const v = await newVault();
    cleanup = v.remove;
    await storeMany(v.session, 10_000);
    const r = await rotateProfileKey(v.session, { credentials: passphrase });
    expect(r.memories).toBe(10_000);
    process.stdout.write(
      `\n[figures] rotate-key (rewrap) of 10k memories: ${(r.ms / 1000).toFixed(2)} s (${Math.round(10_000 / (r.ms / 1000))} memories/s; 100k target < 30 s)\n`,
    );
  }, 120_000);
});
