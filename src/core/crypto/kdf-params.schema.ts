// The stored description of a passphrase KDF, as the vault header and backup headers both carry
// it, parsed the same way wherever it is read back.
import { z } from 'zod';
import { decodeBase64Strict } from '../audit/base64.js';

/** Standard base64 as the headers store it (keys, salts). */
export const base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** crypto_pwhash_SALTBYTES for Argon2id. */
export const ARGON2ID_SALT_BYTES = 16;

export const argon2idParamsSchema = z.object({
  alg: z.literal('argon2id13'),
  opsLimit: z.number().int().min(1),
  memLimitBytes: z.number().int().min(8192),
  // crypto_pwhash_SALTBYTES: any other length makes libsodium throw, which a damaged or forged
  // header must not turn into an INTERNAL error (the backup fuzz found one byte doing that).
  salt: base64Schema.refine((s) => decodeBase64Strict(s)?.length === ARGON2ID_SALT_BYTES, 'salt: 16 bytes of base64'),
});
