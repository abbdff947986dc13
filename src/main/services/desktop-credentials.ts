// The owner's credential as the window sends it, turned into the vault's Credentials in main.
// A keyfile is chosen here with the OS file chooser (an injected seam: a dialog in Electron, a
// fixed path in tests) and read here: its bytes and its path never cross to the renderer.
// Also: which key source a vault uses, read from its header without unlocking, for the unlock
// screen to show the right form.
import { readFileSync, statSync } from 'node:fs';
import { zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import type { Credentials } from '../../node/vault/credentials.js';
import { readVaultHeader } from '../../node/vault/vault-header.js';
import { vaultPaths } from '../../node/vault/vault-paths.js';
import type { KeySourceDto, OwnerCredentialDto } from '../../shared/vault.contract.js';

/** Why the keyfile is asked for: the chooser's title says it. */
export type KeyfilePurpose = 'create' | 'unlock' | 'lift-lockdown' | 'reveal' | 'rotate' | 'escrow' | 'restore' | 'deadman';

/** Where the keyfile is: an open dialog in Electron, a fixed path in tests. null = cancelled. */
export type KeyfileChooser = (purpose: KeyfilePurpose) => Promise<string | null>;

/** A keyfile is a few dozen random bytes; anything this large is the wrong file. */
const MAX_KEYFILE_BYTES = 1024 * 1024;

/** A passphrase string (the shape older callers and tests use) or one of the vault's key sources. */
export type OwnerSecret = string | OwnerCredentialDto;

function readKeyfileAt(path: string): Uint8Array {
  try {
    if (statSync(path).size > MAX_KEYFILE_BYTES) throw new VaultError('BAD_CREDENTIALS', 'That file is too large to be a keyfile.');
    return readFileSync(path);
  } catch (e) {
    if (e instanceof VaultError) throw e;
    // The path stays out of the message: it is the owner's file system, not the window's business.
    throw new VaultError('BAD_CREDENTIALS', 'The chosen keyfile cannot be read.');
  }
}

export async function resolveCredentials(
  secret: OwnerSecret,
  chooseKeyfile: KeyfileChooser | undefined,
  purpose: KeyfilePurpose,
): Promise<Credentials> {
  const c: OwnerCredentialDto = typeof secret === 'string' ? { kind: 'passphrase', passphrase: secret } : secret;
  switch (c.kind) {
    case 'passphrase':
      return { kind: 'passphrase', passphrase: c.passphrase };
    case 'tpm2':
      return c.pin === undefined ? { kind: 'tpm2' } : { kind: 'tpm2', pin: c.pin };
    case 'keyfile': {
      if (!chooseKeyfile) throw new VaultError('BAD_CREDENTIALS', 'This window cannot choose a keyfile.');
      const path = await chooseKeyfile(purpose);
      if (path === null) throw new VaultError('BAD_CREDENTIALS', 'No keyfile was chosen.');
      return { kind: 'keyfile', keyfile: readKeyfileAt(path) };
    }
  }
}

/** Wipe what can be wiped once the credential has been used (keyfile bytes; strings cannot be). */
export function wipeCredentials(c: Credentials): void {
  if (c.kind === 'keyfile') zeroize(c.keyfile);
}

/** Resolve, use, wipe: the keyfile's bytes live only for the call. */
export async function withCredentials<T>(
  secret: OwnerSecret,
  chooseKeyfile: KeyfileChooser | undefined,
  purpose: KeyfilePurpose,
  use: (credentials: Credentials) => Promise<T>,
): Promise<T> {
  const credentials = await resolveCredentials(secret, chooseKeyfile, purpose);
  try {
    return await use(credentials);
  } finally {
    wipeCredentials(credentials);
  }
}

/**
 * The key source of the vault in `vaultDir` (its first profile, the one every surface unlocks),
 * or null when there is none or the header cannot be read (unlock then reports the damage).
 */
export function keySourceOf(vaultDir: string): KeySourceDto | null {
  let source;
  try {
    source = readVaultHeader(vaultPaths(vaultDir).header).profiles[0]?.source;
  } catch {
    return null;
  }
  if (!source) return null;
  if (source.kind === 'tpm2') return { kind: 'tpm2', pinRequired: source.pinRequired };
  return { kind: source.kind };
}
