// The hmac-secret extension (CTAP 2.1 §12.5): the authenticator computes
// HMAC-SHA-256(CredRandom, salt) with a per-credential secret it never reveals. Salts travel
// encrypted under a PIN/UV protocol shared secret and the output comes back encrypted too.
import { VaultError } from '../../core/errors.js';
import type { CborValue } from './ctap2-cbor.js';
import { coseKeyToMap } from './cose-key.js';
import { authenticate, decrypt, encrypt, type SharedSecret } from './pin-uv-protocol.js';

export const HMAC_SECRET = 'hmac-secret';

/** makeCredential input: ask the authenticator to create CredRandom for this credential. */
export function hmacSecretCreateExtension(): Map<string, CborValue> {
  return new Map<string, CborValue>([[HMAC_SECRET, true]]);
}

/**
 * getAssertion input map (§12.5): 0x01 keyAgreement, 0x02 saltEnc, 0x03 saltAuth,
 * 0x04 pinUvAuthProtocol (omitted for protocol 1, its default).
 */
export function hmacSecretGetExtension(shared: SharedSecret, salt: Uint8Array): Map<string, CborValue> {
  if (salt.length !== 32) throw new VaultError('INVALID_INPUT', 'The hmac-secret salt must be 32 bytes.');
  const saltEnc = encrypt(shared, salt);
  const input = new Map<number, CborValue>([
    [1, coseKeyToMap(shared.platformKey)],
    [2, saltEnc],
    [3, authenticate(shared.protocol, shared.secret, saltEnc)],
  ]);
  if (shared.protocol === 2) input.set(4, 2);
  return new Map<string, CborValue>([[HMAC_SECRET, input]]);
}

/** Decrypt the extension output; one salt gives 32 bytes of output. */
export function hmacSecretOutput(shared: SharedSecret, encrypted: unknown): Uint8Array {
  if (!(encrypted instanceof Uint8Array)) {
    throw new VaultError('FIDO2_ERROR', 'The hardware key returned no hmac-secret output.', { reason: 'hmac-secret' });
  }
  const plain = decrypt(shared, encrypted);
  if (plain.length !== 32) {
    plain.fill(0);
    throw new VaultError('FIDO2_ERROR', 'The hmac-secret output has the wrong length.', { reason: 'hmac-secret', length: plain.length });
  }
  return plain;
}
