// A real vault in a temp directory with a cheap Argon2id cost, for integration tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unwrapDatabaseKey, unwrapProfileKey } from '../../src/core/keys/profile-keys.js';
import { zeroize } from '../../src/core/crypto/keys.js';
import type { ApprovalGate } from '../../src/core/ports/approval-gate.port.js';
import type { EnvironmentGate } from '../../src/core/ports/environment-gate.port.js';
import { openEncryptedDatabase, type SqliteDatabase } from '../../src/node/store/encrypted-database.js';
import { wrappingKeyFor, type Credentials } from '../../src/node/vault/credentials.js';
import { readVaultHeader } from '../../src/node/vault/vault-header.js';
import { vaultPaths } from '../../src/node/vault/vault-paths.js';
import { initVault, unlockVault } from '../../src/node/composition/vault-sessions.js';
import { type SessionOptions, type VaultSession } from '../../src/node/vault/vault-session.js';

export const TEST_PASSPHRASE = 'correct horse battery staple';
export const CHEAP_KDF = { opsLimit: 1, memLimitBytes: 8 * 1024 * 1024 } as const;
export const passphrase: Credentials = { kind: 'passphrase', passphrase: TEST_PASSPHRASE };

export function tempDir(prefix = 'mv-test-'): { path: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { path: join(root, 'vault'), remove: () => rmSync(root, { recursive: true, force: true }) };
}

export async function newVault(
  opts: SessionOptions & { credentials?: Credentials } = {},
): Promise<{ session: VaultSession; dir: string; remove: () => void }> {
  const t = tempDir();
  const session = await initVault({ dir: t.path, credentials: opts.credentials ?? passphrase, kdfCost: CHEAP_KDF, ...opts });
  return { session, dir: t.path, remove: t.remove };
}

export function reopen(dir: string, opts: SessionOptions & { credentials?: Credentials } = {}): Promise<VaultSession> {
  return unlockVault({ dir, credentials: opts.credentials ?? passphrase, ...opts });
}

/** Open the encrypted database directly, as an attacker holding the credentials (or a test) could. */
export async function openRaw(dir: string, credentials: Credentials = passphrase): Promise<SqliteDatabase> {
  const paths = vaultPaths(dir);
  const header = readVaultHeader(paths.header);
  const profile = header.profiles[0];
  if (!profile) throw new Error('no profile');
  const wk = await wrappingKeyFor(profile.source, credentials);
  const pk = unwrapProfileKey(wk, profile.wrappedProfileKey, header.vaultId, profile.id);
  const dbKey = unwrapDatabaseKey(pk, profile.wrappedDatabaseKey, header.vaultId);
  try {
    return openEncryptedDatabase(paths.database, dbKey);
  } finally {
    zeroize(wk, pk, dbKey);
  }
}

/** Approves everything on a named owner channel, recording what it was asked. */
export function approvingGate(grantMinutes = 0): ApprovalGate & { asked: number } {
  const gate = {
    asked: 0,
    requestApproval: () => {
      gate.asked++;
      return Promise.resolve({ outcome: 'approved' as const, channel: 'test-owner', grantMinutes });
    },
  };
  return gate;
}

export function decidingGate(outcome: 'denied' | 'expired' | 'cancelled'): ApprovalGate {
  return {
    requestApproval: () => Promise.resolve(outcome === 'denied' ? { outcome, channel: 'test-owner' } : { outcome }),
  };
}

export const airGapped: EnvironmentGate = {
  check: () => Promise.resolve({ permitted: true, reason: 'test boundary: air-gapped', mode: 'AIRGAP' }),
};

export const online: EnvironmentGate = {
  check: () => Promise.resolve({ permitted: false, reason: 'test boundary: host is online', mode: 'ONLINE' }),
};
