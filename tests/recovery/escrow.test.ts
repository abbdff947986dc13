// Key escrow: any k of n Shamir shares rebuild the recovery key and reopen the vault (then a new
// passphrase is set); k−1 do not; a damaged share is caught by its checksum; nothing secret is stored.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as age from 'age-encryption';
import { combine } from 'shamir-secret-sharing';
import { afterEach, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/crypto/keys.js';
import { decodeShare, encodeShare } from '../../src/core/escrow/share-codec.js';
import {
  createEscrow,
  deleteEscrow,
  listEscrows,
  openAgeShare,
  parseShareInput,
  recoverVault,
} from '../../src/node/escrow/escrow.service.js';
import { readVaultHeader } from '../../src/node/vault/vault-header.js';
import { vaultPaths } from '../../src/node/vault/vault-paths.js';
import { CHEAP_KDF, newVault, passphrase, reopen } from '../support/vault-fixture.js';
import { auditEvents } from '../hardware/support.js';
import { expectAllRecall, storeMany } from './support/rotation-vault.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const NEW = { kind: 'passphrase', passphrase: 'a brand new passphrase' } as const;

function subsets<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [head, ...rest] = items as [T, ...T[]];
  return [...subsets(rest, k - 1).map((s) => [head, ...s]), ...subsets(rest, k)];
}

async function escrowedVault(n: number, k: number) {
  const v = await newVault();
  cleanup = v.remove;
  const ids = await storeMany(v.session, 50);
  const created = await createEscrow(v.session, {
    credentials: passphrase,
    label: 'family',
    threshold: k,
    recipients: Array.from({ length: n }, () => ({ kind: 'text' as const })),
  });
  v.session.close();
  const texts = created.shares.map((s) => s.text ?? '');
  return { ...v, ids, created, texts };
}

describe('escrow (Shamir 3 of 5)', () => {
  it('every 3 of 5 shares rebuild the same recovery key; any 2 do not', async () => {
    const v = await escrowedVault(5, 3);
    const slot = reopenSlotFingerprint(v.dir);
    for (const combo of subsets(v.texts, 3)) {
      const key = await combine(combo.map((t) => new Uint8Array(decodeShare(t).share)));
      expect(keyFingerprint(key)).toBe(slot);
    }
    for (const combo of subsets(v.texts, 2)) {
      // The library happily "combines" too few shares into garbage: the slot fingerprint catches it.
      const key = await combine(combo.map((t) => new Uint8Array(decodeShare(t).share)));
      expect(keyFingerprint(key)).not.toBe(slot);
      await expect(recoverVault({ dir: v.dir, shares: combo, newCredentials: NEW, kdfCost: CHEAP_KDF })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
  });

  it('k shares recover the vault end to end: all memories recall, the new passphrase works, the old one and the used escrow do not', async () => {
    const v = await escrowedVault(5, 3);
    const s = await recoverVault({
      dir: v.dir,
      shares: [v.texts[4] ?? '', v.texts[0] ?? '', v.texts[2] ?? ''],
      newCredentials: NEW,
      kdfCost: CHEAP_KDF,
    });
    try {
      await expectAllRecall(s, v.ids);
      expect(auditEvents(s, 'escrow.recover')).toHaveLength(1);
      expect(listEscrows(s, true)[0]).toMatchObject({ usable: false, invalidatedBy: 'recovery' });
    } finally {
      s.close();
    }
    await expect(reopen(v.dir)).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    const again = await reopen(v.dir, { credentials: NEW });
    await expectAllRecall(again, v.ids);
    again.close();
    await expect(recoverVault({ dir: v.dir, shares: v.texts.slice(0, 3), newCredentials: NEW, kdfCost: CHEAP_KDF })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('a corrupted share is detected by its checksum (typo, swapped characters, truncation)', async () => {
    const v = await escrowedVault(3, 2);
    const good = v.texts[1] ?? '';
    const body = good.replace(/-/g, '');
    const i = 20;
    const flipped = body.slice(0, i) + (body[i] === 'A' ? 'B' : 'A') + body.slice(i + 1);
    const swapped = body.slice(0, i) + (body[i + 1] ?? '') + (body[i] ?? '') + body.slice(i + 2);
    for (const bad of [flipped, swapped, body.slice(0, -4)]) {
      if (bad === body) continue;
      expect(() => decodeShare(bad)).toThrow(expect.objectContaining({ code: 'INTEGRITY_FAILURE' }) as Error);
    }
    await expect(
      recoverVault({ dir: v.dir, shares: [v.texts[0] ?? '', flipped], newCredentials: NEW, kdfCost: CHEAP_KDF }),
    ).rejects.toMatchObject({ code: 'INTEGRITY_FAILURE' });
    // Lower-case, spaces and missing dashes are fine: it is the same share.
    expect(decodeShare(good.toLowerCase().replace(/-/g, ' ')).share).toEqual(decodeShare(good).share);
    expect(encodeShare(decodeShare(good))).toBe(good);
  });

  it('stores no secret: the escrow row and the audit event hold metadata and fingerprints only; delete ends the shares', async () => {
    const v = await newVault();
    cleanup = v.remove;
    const created = await createEscrow(v.session, {
      credentials: passphrase,
      label: 'lawyers',
      threshold: 2,
      recipients: [{ kind: 'text' }, { kind: 'text' }],
    });
    const row = v.session.database.prepare('SELECT * FROM escrows').get() as Record<string, unknown>;
    const stored = JSON.stringify(row) + JSON.stringify(auditEvents(v.session, 'escrow.create'));
    for (const s of created.shares) {
      const share = decodeShare(s.text ?? '').share;
      expect(stored).not.toContain(Buffer.from(share).toString('hex'));
      expect(stored).not.toContain(Buffer.from(share).toString('base64'));
      expect(stored).toContain(s.fingerprint);
    }
    expect(listEscrows(v.session)).toHaveLength(1);
    await deleteEscrow(v.session, created.escrowId);
    expect(listEscrows(v.session)).toHaveLength(0);
    v.session.close();
    await expect(
      recoverVault({ dir: v.dir, shares: created.shares.map((s) => s.text ?? ''), newCredentials: NEW, kdfCost: CHEAP_KDF }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('age-encrypted shares: each recipient decrypts theirs (library, and the Debian `age` CLI), and k of them recover', async () => {
    const ids = await Promise.all([0, 1, 2].map(() => age.generateX25519Identity()));
    const recipients = await Promise.all(ids.map((i) => age.identityToRecipient(i)));
    const v = await newVault();
    cleanup = v.remove;
    const created = await createEscrow(v.session, {
      credentials: passphrase,
      label: 'heirs',
      threshold: 2,
      recipients: recipients.map((r) => ({ kind: 'age' as const, recipient: r })),
    });
    v.session.close();
    const shares = await Promise.all(created.shares.map((s, i) => openAgeShare(s.ageArmored ?? '', ids[i] ?? '')));
    expect(shares.map((s) => s.index)).toEqual([1, 2, 3]);
    await expect(openAgeShare(created.shares[0]?.ageArmored ?? '', ids[1] ?? '')).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    let texts: string[];
    if (spawnSync('age', ['--version']).status === 0) {
      texts = created.shares.slice(0, 2).map((s, i) => {
        const file = join(v.dir, `..`, `share-${i}.age`);
        const idFile = join(v.dir, `..`, `id-${i}.txt`);
        writeFileSync(file, s.ageArmored ?? '');
        writeFileSync(idFile, `${ids[i] ?? ''}\n`);
        return execFileSync('age', ['-d', '-i', idFile, file], { encoding: 'utf8' });
      });
      expect(parseShareInput(texts[0] ?? '').index).toBe(1);
    } else {
      process.stdout.write('[escrow] skipping the age CLI half: `age` is not installed\n');
      texts = shares.slice(0, 2).map((sh) => encodeShare(sh));
    }
    const s = await recoverVault({ dir: v.dir, shares: texts, newCredentials: NEW, kdfCost: CHEAP_KDF });
    s.close();
  });
});

/** The recovery slot's key fingerprint, read from the header (the vault is closed). */
function reopenSlotFingerprint(dir: string): string {
  const slot = readVaultHeader(vaultPaths(dir).header).profiles[0]?.recovery?.[0];
  if (!slot) throw new Error('no recovery slot');
  return slot.recoveryKeyFingerprint;
}
