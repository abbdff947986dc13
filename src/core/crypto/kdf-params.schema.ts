// The stored description of a passphrase KDF, as the vault header and backup headers both carry
// it, parsed the same way wherever it is read back.
import { z } from 'zod';

/** Standard base64 as the headers store it (keys, salts). */
export const base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const argon2idParamsSchema = z.object({
  alg: z.literal('argon2id13'),
  opsLimit: z.number().int().min(1),
  memLimitBytes: z.number().int().min(8192),
  salt: base64Schema,
});
