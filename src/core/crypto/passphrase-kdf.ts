// Argon2id (RFC 9106) through libsodium's crypto_pwhash. Parameters are stored per profile so
// they can be raised later without locking out existing vaults.
import sodium from 'libsodium-wrappers-sumo';

export interface Argon2idParams {
  readonly alg: 'argon2id13';
  readonly opsLimit: number;
  readonly memLimitBytes: number;
  /** base64, crypto_pwhash_SALTBYTES (16) bytes */
  readonly salt: string;
}

export const DEFAULT_ARGON2ID = { opsLimit: 3, memLimitBytes: 256 * 1024 * 1024 } as const;
/** libsodium's own floor for Argon2id (crypto_pwhash_MEMLIMIT_MIN = 8 KiB, OPSLIMIT_MIN = 1). */
export const MIN_ARGON2ID = { opsLimit: 1, memLimitBytes: 8 * 1024 } as const;

let ready: Promise<void> | undefined;
export function sodiumReady(): Promise<void> {
  ready ??= sodium.ready;
  return ready;
}

export async function newArgon2idParams(cost: { opsLimit: number; memLimitBytes: number } = DEFAULT_ARGON2ID): Promise<Argon2idParams> {
  await sodiumReady();
  if (cost.opsLimit < MIN_ARGON2ID.opsLimit || cost.memLimitBytes < MIN_ARGON2ID.memLimitBytes) {
    throw new RangeError('Argon2id cost below libsodium minimum');
  }
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  return { alg: 'argon2id13', opsLimit: cost.opsLimit, memLimitBytes: cost.memLimitBytes, salt: Buffer.from(salt).toString('base64') };
}

/**
 * The bytes Argon2id sees for a passphrase: NFC-normalised UTF-8, so the same passphrase typed
 * on another keyboard layout or OS derives the same key. A fresh buffer (never Node's shared
 * Buffer pool), so it can be transferred to a worker thread and zeroed there.
 */
export function passphraseBytes(passphrase: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(passphrase.normalize('NFC'));
}

/**
 * Derive the 32-byte wrapping key from passphrase bytes (see passphraseBytes). The in-thread
 * primitive: it blocks its thread for the whole Argon2id run, so node-side callers reach it
 * through the worker pool in src/node/crypto, never on the event loop. The caller zeroes both
 * the input and the result.
 */
export async function deriveFromPassphraseBytes(passphrase: Uint8Array, params: Argon2idParams): Promise<Buffer> {
  await sodiumReady();
  const out = sodium.crypto_pwhash(
    32,
    passphrase,
    Buffer.from(params.salt, 'base64'),
    params.opsLimit,
    params.memLimitBytes,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  const key = Buffer.from(out);
  out.fill(0);
  return key;
}

/** Derive the 32-byte wrapping key for a passphrase profile, in this thread. The caller zeroes the result. */
export async function deriveFromPassphrase(passphrase: string, params: Argon2idParams): Promise<Buffer> {
  const bytes = passphraseBytes(passphrase);
  try {
    return await deriveFromPassphraseBytes(bytes, params);
  } finally {
    bytes.fill(0);
  }
}
