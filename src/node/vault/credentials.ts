// Turning what the owner presents into a wrapping key, per profile key source.
// A TPM-bound profile's wrapping key is 32 random bytes sealed to the TPM under a PCR policy
// (optionally with a PIN); the sealed blob lives in the vault header, the key never on disk.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { deriveFromKeyfile } from '../../core/crypto/keyfile-kdf.js';
import { randomKey, zeroize } from '../../core/crypto/keys.js';
import { VaultError, isVaultError } from '../../core/errors.js';
import type { SealedBlob } from '../../core/ports/key-sealer.port.js';
import { derivePassphraseKey } from '../crypto/argon2.service.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { readJsonState } from '../fs/json-state-file.js';
import { TpmSealer, type TpmSealerOptions } from '../tpm/tpm-sealer.js';
import type { KeySource } from './vault-header.js';

export type Credentials =
  | { readonly kind: 'passphrase'; readonly passphrase: string }
  | { readonly kind: 'keyfile'; readonly keyfile: Uint8Array }
  /** The TPM holds the key; `pin` is needed when the profile was sealed with one. */
  | { readonly kind: 'tpm2'; readonly pin?: string };

/** How to reach the TPM (tests: a swtpm TCTI) and, at init, which PCRs to seal to. */
export type TpmAccess = TpmSealerOptions;

type Tpm2Source = Extract<KeySource, { kind: 'tpm2' }>;

function blobOf(source: Tpm2Source): SealedBlob {
  if ((source.sealed.pinRequired === 'true') !== source.pinRequired) {
    throw new VaultError('VAULT_CORRUPT', "The vault header's TPM profile is inconsistent about its PIN.");
  }
  return { kind: 'tpm2', fields: { ...source.sealed } };
}

export async function wrappingKeyFor(source: KeySource, credentials: Credentials, tpm: TpmAccess = {}): Promise<Buffer> {
  if (source.kind === 'passphrase' && credentials.kind === 'passphrase') {
    // In a worker thread: Argon2id here would stall every agent for the whole derivation.
    return derivePassphraseKey(credentials.passphrase, source.kdf);
  }
  if (source.kind === 'keyfile' && credentials.kind === 'keyfile') {
    return deriveFromKeyfile(credentials.keyfile, source.salt);
  }
  if (source.kind === 'tpm2' && credentials.kind === 'tpm2') {
    // TPM_POLICY_MISMATCH / TPM_AUTH_FAILED / TPM_LOCKOUT / TPM_UNAVAILABLE pass through unchanged;
    // their messages already name the recovery path.
    const sealer = new TpmSealer({ ...tpm, pcrs: source.sealed.pcrs });
    const out = await sealer.unseal(blobOf(source), credentials.pin === undefined ? {} : { pin: credentials.pin });
    try {
      if (out.length !== 32) throw new VaultError('VAULT_CORRUPT', 'The TPM released a key of the wrong size.');
      return Buffer.from(out);
    } finally {
      zeroize(out);
    }
  }
  throw new VaultError('BAD_CREDENTIALS', `This vault's profile is unlocked with a ${source.kind}, not a ${credentials.kind}.`);
}

/**
 * A new TPM-bound key source: 32 random bytes sealed with the TPM. Returns the source for the
 * header and the wrapping key (the caller zeroes it).
 */
export async function newTpmKeySource(pin: string | undefined, tpm: TpmAccess = {}): Promise<{ source: Tpm2Source; wrappingKey: Buffer }> {
  const sealer = new TpmSealer(tpm);
  const wrappingKey = randomKey();
  try {
    const blob = await sealer.seal(wrappingKey, pin === undefined ? {} : { pin });
    const f = blob.fields;
    const pub = f['pub'];
    const priv = f['priv'];
    const pcrs = f['pcrs'];
    const pinRequired = f['pinRequired'];
    if (pub === undefined || priv === undefined || pcrs === undefined || (pinRequired !== 'true' && pinRequired !== 'false')) {
      throw new VaultError('INTERNAL', 'The TPM sealer returned an incomplete blob.');
    }
    return { source: { kind: 'tpm2', sealed: { pub, priv, pcrs, pinRequired }, pinRequired: pinRequired === 'true' }, wrappingKey };
  } catch (e) {
    zeroize(wrappingKey);
    throw e;
  }
}

// ---- Failed-unlock counter (lockdown rule "repeated bad credentials") ----
// A wrong credential cannot open the encrypted database, so failures are counted in a small
// file next to the header. It exists only while the owner has that rule switched on (the rule
// itself lives in the database); without it, a wrong credential changes no vault file at all.
// It is a tripwire for guessing through this program, not a defence against someone who can
// edit the directory (they could delete it), and it holds no secret.

export const BAD_CREDENTIALS_FILE = 'unlock-failures.json';

const badCredentialsSchema = z.object({ v: z.literal(1), count: z.number().int().min(0), last: z.string().nullable() }).strict();
export type BadCredentialCount = z.infer<typeof badCredentialsSchema>;

function counterPath(dir: string): string {
  return join(dir, BAD_CREDENTIALS_FILE);
}

function writeCounter(dir: string, value: BadCredentialCount): void {
  writeFileAtomic(counterPath(dir), `${JSON.stringify(value)}\n`);
}

/** The counter, or null when the rule is off (no file). A damaged file counts as one failure. */
export function readBadCredentialCount(dir: string): BadCredentialCount | null {
  const r = readJsonState(counterPath(dir), badCredentialsSchema);
  if (r.ok) return r.value;
  if (r.reason === 'missing' || r.reason === 'unreadable') return null;
  return { v: 1, count: 1, last: null };
}

/** Count one failed presentation of credentials (only while the rule is on). */
export function recordBadCredential(dir: string, at: Date = new Date()): void {
  const current = readBadCredentialCount(dir);
  if (current === null) return;
  try {
    writeCounter(dir, { v: 1, count: current.count + 1, last: at.toISOString() });
  } catch {
    /* a read-only vault directory must not turn a wrong passphrase into a different error */
  }
}

/** Switch counting on (count 0) or off (file removed). */
export function setBadCredentialCounting(dir: string, on: boolean): void {
  if (on) {
    if (readBadCredentialCount(dir) === null) writeCounter(dir, { v: 1, count: 0, last: null });
  } else {
    rmSync(counterPath(dir), { force: true });
  }
}

export function resetBadCredentialCount(dir: string): void {
  if (readBadCredentialCount(dir) !== null) writeCounter(dir, { v: 1, count: 0, last: null });
}

/** True for the errors a wrong credential produces (as opposed to a missing TPM or damage). */
export function isBadCredentialError(e: unknown): boolean {
  return isVaultError(e) && (e.code === 'BAD_CREDENTIALS' || e.code === 'TPM_AUTH_FAILED');
}
