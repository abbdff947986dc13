// Invariant: a PIN reaches tpm2-tools only as `hex:` of its NFC UTF-8 bytes, so no PIN can be
// mistaken for a tool option or an auth prefix (`file:`, `session:`…), and no PIN is logged.
// Known limit: tpm2-tools 5.4 reads a policy session's password only from argv, so the hex
// PIN is visible in /proc/<pid>/cmdline for the ~10 ms a tool runs (see README in this folder).

import { VaultError } from '../../core/errors.js';

/** TPM2B_AUTH of a sha256-named object holds at most 32 bytes. */
export const MAX_PIN_BYTES = 32;

/** Validates a PIN and returns its tpm2-tools auth argument (`hex:…`). */
export function pinAuthArg(pin: string): string {
  if (typeof pin !== 'string') throw new VaultError('INVALID_INPUT', 'The TPM PIN must be a string.');
  const bytes = Buffer.from(pin.normalize('NFC'), 'utf8');
  if (bytes.length === 0) throw new VaultError('INVALID_INPUT', 'The TPM PIN must not be empty.');
  if (bytes.length > MAX_PIN_BYTES) throw new VaultError('INVALID_INPUT', `The TPM PIN must be at most ${MAX_PIN_BYTES} bytes.`);
  // The TPM strips trailing zero bytes from authValues; a NUL would make auth ambiguous.
  if (bytes.includes(0)) throw new VaultError('INVALID_INPUT', 'The TPM PIN must not contain NUL characters.');
  const arg = `hex:${bytes.toString('hex')}`;
  bytes.fill(0);
  return arg;
}
