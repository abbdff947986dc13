// How CLI commands get an unlocked vault: the directory from --vault / MEMORY_VAULT_DIR /
// app data, credentials from --keyfile or the passphrase sources, and owner-terminal gates.
import { readFileSync } from 'node:fs';
import { VaultError } from '../../core/errors.js';
import type { Credentials } from '../../node/vault/credentials.js';
import { readVaultHeader } from '../../node/vault/vault-header.js';
import { resolveVaultDir, vaultPaths } from '../../node/vault/vault-paths.js';
import { unlockVault, type VaultSession } from '../../node/vault/vault-session.js';
import { terminalApprover } from './terminal-approver.js';
import { readPassphrase } from './tty-prompt.js';

export interface GlobalOptions {
  vault?: string;
  json: boolean;
  keyfile?: string;
}

export function readKeyfile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new VaultError('BAD_CREDENTIALS', 'The keyfile cannot be read.');
  }
}

export async function credentialsFor(dir: string, g: GlobalOptions): Promise<Credentials> {
  if (g.keyfile) return { kind: 'keyfile', keyfile: readKeyfile(g.keyfile) };
  const header = readVaultHeader(vaultPaths(dir).header);
  if (header.profiles[0]?.source.kind === 'keyfile') {
    throw new VaultError('BAD_CREDENTIALS', 'This vault is unlocked with a keyfile: pass --keyfile PATH.');
  }
  return { kind: 'passphrase', passphrase: await readPassphrase({ confirm: false }) };
}

/** Unlock, run `fn`, always close (keys wiped, WAL checkpointed, lock released). */
export async function withVault<T>(g: GlobalOptions, fn: (session: VaultSession) => Promise<T>): Promise<T> {
  const dir = resolveVaultDir(g.vault);
  const credentials = await credentialsFor(dir, g);
  const session = await unlockVault({ dir, credentials, channel: 'cli', gates: { approvals: terminalApprover() } });
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}
