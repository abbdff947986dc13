// Turning what the owner presents into a wrapping key, per profile key source.
import { deriveFromKeyfile } from '../../core/crypto/keyfile-kdf.js';
import { deriveFromPassphrase } from '../../core/crypto/passphrase-kdf.js';
import { VaultError } from '../../core/errors.js';
import type { KeySource } from './vault-header.js';

export type Credentials =
  | { readonly kind: 'passphrase'; readonly passphrase: string }
  | { readonly kind: 'keyfile'; readonly keyfile: Uint8Array };

export async function wrappingKeyFor(source: KeySource, credentials: Credentials): Promise<Buffer> {
  if (source.kind === 'passphrase' && credentials.kind === 'passphrase') {
    return deriveFromPassphrase(credentials.passphrase, source.kdf);
  }
  if (source.kind === 'keyfile' && credentials.kind === 'keyfile') {
    return deriveFromKeyfile(credentials.keyfile, source.salt);
  }
  throw new VaultError('BAD_CREDENTIALS', `This vault's profile is unlocked with a ${source.kind}, not a ${credentials.kind}.`);
}
