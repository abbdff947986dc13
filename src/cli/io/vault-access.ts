// How CLI commands get an unlocked vault: the directory from --vault / MEMORY_VAULT_DIR /
// app data, credentials from --keyfile or the passphrase sources, and owner-terminal gates.
import { readFileSync } from 'node:fs';
import { VaultError } from '../../core/errors.js';
import type { Credentials } from '../../node/vault/credentials.js';
import { readVaultHeader } from '../../node/vault/vault-header.js';
import { resolveVaultDir, vaultPaths } from '../../node/vault/vault-paths.js';
import { composeOwnerSession, type OwnerSurface } from '../../node/composition/compose-owner-session.js';
import type { SessionOptions, VaultSession } from '../../node/vault/vault-session.js';
import type { ApprovalGate } from '../../core/ports/approval-gate.port.js';
import { terminalApprover } from './terminal-approver.js';
import { hasTty, promptLine, readPassphrase } from './tty-prompt.js';
import { readSecretFile, terminalHardwareKey } from './terminal-hardware-key.js';

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
  const source = header.profiles[0]?.source;
  if (source?.kind === 'tpm2') {
    // TPM-bound: the PIN (if sealed with one) from MEMORY_VAULT_TPM_PIN_FILE or the terminal.
    if (!source.pinRequired) return { kind: 'tpm2' };
    const file = process.env.MEMORY_VAULT_TPM_PIN_FILE;
    if (file) return { kind: 'tpm2', pin: readSecretFile(file, 'TPM PIN') };
    if (!hasTty())
      throw new VaultError('TPM_AUTH_FAILED', 'This vault needs its TPM PIN: run in a terminal or set MEMORY_VAULT_TPM_PIN_FILE.', {
        reason: 'pin-required',
      });
    return { kind: 'tpm2', pin: await promptLine('TPM PIN: ', true) };
  }
  if (source?.kind === 'keyfile') {
    throw new VaultError('BAD_CREDENTIALS', 'This vault is unlocked with a keyfile: pass --keyfile PATH.');
  }
  return { kind: 'passphrase', passphrase: await readPassphrase({ confirm: false }) };
}

/** The CLI as an owner surface: security-key prompts and warnings on the owner's terminal. */
export function cliSurface(channel: 'cli' | 'terminal', extra: Pick<OwnerSurface, 'approvals' | 'config'> = {}): OwnerSurface {
  return {
    channel,
    hardwareKey: terminalHardwareKey(),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    ...(extra.approvals ? { approvals: extra.approvals } : {}),
    ...(extra.config ? { config: extra.config } : {}),
  };
}

/**
 * Unlock with the owner's credentials and the gates every owner surface uses (one composition,
 * compose-owner-session.ts): the boundary gate, enrolled FIDO2 keys for level 5, TPM, witness.
 */
export async function openOwnerSession(
  g: GlobalOptions,
  opts: { channel: 'cli' | 'terminal'; approvals?: ApprovalGate; config?: SessionOptions['config']; credentials?: Credentials },
): Promise<VaultSession> {
  const dir = resolveVaultDir(g.vault);
  const credentials = opts.credentials ?? (await credentialsFor(dir, g));
  return composeOwnerSession({ ...cliSurface(opts.channel, opts), dir, credentials });
}

/** Unlock, run `fn`, always close (keys wiped, WAL checkpointed, lock released). */
export async function withVault<T>(g: GlobalOptions, fn: (session: VaultSession) => Promise<T>): Promise<T> {
  const session = await openOwnerSession(g, { channel: 'cli', approvals: terminalApprover() });
  try {
    return await fn(session);
  } catch (e) {
    throw await session.reportDamage(e);
  } finally {
    session.close();
  }
}
