// Crash safety of key rotation: the compiled rotation runs in a child process that is SIGKILLed
// at a random step (after a random extra delay). Every time, the vault must reopen with exactly
// one of the two keys — old or new, never neither, never a mix — and every memory must recall.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint, zeroize } from '../../src/core/crypto/keys.js';
import { unwrapDatabaseKey, unwrapProfileKey } from '../../src/core/keys/profile-keys.js';
import { openEncryptedDatabase } from '../../src/node/store/encrypted-database.js';
import { wrappingKeyFor } from '../../src/node/vault/credentials.js';
import { readVaultHeader } from '../../src/node/vault/vault-header.js';
import { vaultPaths } from '../../src/node/vault/vault-paths.js';
import { initVault } from '../../src/node/composition/vault-sessions.js';
import { CHEAP_KDF, passphrase, reopen, TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { REPO_ROOT } from './support/cli.js';
import { expectAllRecall, storeMany } from './support/rotation-vault.js';

const RUNS = 20;
const MEMORIES = 3000;
const CHILD = join(REPO_ROOT, 'tests', 'recovery', 'support', 'rotate-child.mjs');
const KILL_AT = ['unlocked', 'pending-header', 'rewrap', 'rekey', 'audit', 'commit-header'] as const;

let root: string;
let template: string;
let ids: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mv-rotation-crash-'));
  template = join(root, 'template');
  const s = await initVault({ dir: template, credentials: passphrase, kdfCost: CHEAP_KDF });
  ids = await storeMany(s, MEMORIES);
  s.close();
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Run the child; SIGKILL it once `phase` has been printed, after `delayMs`. */
function rotateAndKill(dir: string, phase: string, delayMs: number, full: boolean): Promise<{ killed: boolean; lastLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, TEST_PASSPHRASE, full ? 'full' : 'rewrap'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (!armed && out.split('\n').some((l) => l.startsWith(`phase ${phase}`))) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const lines = out.trim().split('\n');
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`rotation child failed (${code}): ${err}`));
      else resolve({ killed: signal === 'SIGKILL', lastLine: lines[lines.length - 1] ?? '' });
    });
  });
}

async function candidateKeys(dir: string): Promise<{ fingerprints: string[]; dbKeys: Buffer[] }> {
  const h = readVaultHeader(vaultPaths(dir).header);
  const p = h.profiles[0];
  if (!p) throw new Error('no profile');
  const wk = await wrappingKeyFor(p.source, passphrase);
  const slots = [
    { pk: p.wrappedProfileKey, db: p.wrappedDatabaseKey },
    ...(p.rotation ? [{ pk: p.rotation.wrappedProfileKey, db: p.rotation.wrappedDatabaseKey }] : []),
  ];
  const fingerprints: string[] = [];
  const dbKeys: Buffer[] = [];
  for (const s of slots) {
    const pk = unwrapProfileKey(wk, s.pk, h.vaultId, p.id);
    fingerprints.push(keyFingerprint(pk));
    dbKeys.push(unwrapDatabaseKey(pk, s.db, h.vaultId));
    zeroize(pk);
  }
  zeroize(wk);
  return { fingerprints, dbKeys };
}

function opensWith(dir: string, key: Buffer): boolean {
  try {
    openEncryptedDatabase(vaultPaths(dir).database, key).close();
    return true;
  } catch {
    return false;
  }
}

describe('rotation crash safety (SIGKILL at random steps)', () => {
  it(`${RUNS} killed rotations: each vault opens with exactly one of old/new key and loses no memory`, async () => {
    const originalFp = (await candidateKeys(template)).fingerprints[0];
    const tally: Record<string, number> = {};
    for (let run = 0; run < RUNS; run++) {
      const dir = join(root, `run-${run}`);
      cpSync(template, dir, { recursive: true });
      const phase = KILL_AT[Math.floor(Math.random() * KILL_AT.length)] as string;
      const delayMs = Math.floor(Math.random() * 40);
      const full = run % 4 === 3;
      const { killed, lastLine } = await rotateAndKill(dir, phase, delayMs, full);

      // What the crash left: the main slot, plus a pending slot if the rotation was under way.
      const left = await candidateKeys(dir);
      expect(left.fingerprints[0]).toBeDefined();
      const s = await reopen(dir);
      let outcome: string;
      try {
        // Exactly one key won, and it is one of the two the crash left behind.
        expect(left.fingerprints).toContain(s.profileKeyFingerprint);
        expect(s.profile.rotation).toBeUndefined();
        outcome = s.profileKeyFingerprint === originalFp ? 'old' : 'new';
        await expectAllRecall(s, ids);
        expect((await s.engine.auditLog.verify()).ok).toBe(true);
      } finally {
        s.close();
      }
      // The database file is under exactly one of the candidate database keys.
      const opening = left.dbKeys.filter((k) => opensWith(dir, k));
      expect(opening).toHaveLength(1);
      const after = await candidateKeys(dir);
      expect(after.fingerprints).toEqual([s.profileKeyFingerprint]);
      const label = `${killed ? `killed at ${phase}+${delayMs}ms` : 'completed'} → ${outcome}`;
      tally[outcome] = (tally[outcome] ?? 0) + 1;
      process.stdout.write(`[rotation-crash] run ${run}${full ? ' (full)' : ''}: ${label} (last step: ${lastLine.slice(0, 40)})\n`);
      for (const k of [...left.dbKeys, ...after.dbKeys]) zeroize(k);
      rmSync(dir, { recursive: true, force: true });
    }
    process.stdout.write(`[rotation-crash] outcomes: ${JSON.stringify(tally)}\n`);
  }, 600_000);
});
