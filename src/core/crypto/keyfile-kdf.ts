// A keyfile profile derives its wrapping key with HKDF-SHA-256 (RFC 5869): the keyfile is
// already high-entropy (≥ 32 random bytes), so a slow KDF would add cost without security.
import { VaultError } from '../errors.js';
import { hkdfKey } from './keys.js';

export const MIN_KEYFILE_BYTES = 32;

export function deriveFromKeyfile(keyfile: Uint8Array, saltBase64: string): Buffer {
  if (keyfile.length < MIN_KEYFILE_BYTES) {
    throw new VaultError('BAD_CREDENTIALS', `A keyfile must hold at least ${MIN_KEYFILE_BYTES} bytes.`);
  }
  return hkdfKey(keyfile, Buffer.from(saltBase64, 'base64'), 'memory-vault keyfile wrapping key v1');
}
