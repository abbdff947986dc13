// Turning what the owner presents into a wrapping key, per profile key source.
// A TPM-bound profile's wrapping key is 32 random bytes sealed to the TPM under a PCR policy
// (optionally with a PIN); the sealed blob lives in the vault header, the key never on disk.
import { deriveFromKeyfile } from '../../core/crypto/keyfile-kdf.js';
import { deriveFromPassphrase } from '../../core/crypto/passphrase-kdf.js';
import { randomKey, zeroize } from '../../core/crypto/keys.js';
import { VaultError } from '../../core/errors.js';
import type { SealedBlob } from '../../core/ports/key-sealer.port.js';
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
    throw new VaultError('VAULT_CORRUPT', 'The vault header\'s TPM profile is inconsistent about its PIN.');
  }
  return { kind: 'tpm2', fields: { ...source.sealed } };
}

export async function wrappingKeyFor(source: KeySource, credentials: Credentials, tpm: TpmAccess = {}): Promise<Buffer> {
  if (source.kind === 'passphrase' && credentials.kind === 'passphrase') {
    return deriveFromPassphrase(credentials.passphrase, source.kdf);
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
