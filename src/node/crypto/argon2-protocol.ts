// The messages between the event loop and the Argon2id worker thread. Errors cross as data
// ({ ok: false, error }), never as thrown objects, and carry only a stable code and a fixed
// message: the passphrase travels once, as bytes the worker zeroes, and is in no reply.
import { z } from 'zod';
import { ERROR_CODES } from '../../core/errors.js';

const argon2idParamsSchema = z
  .object({
    alg: z.literal('argon2id13'),
    opsLimit: z.number().int().positive(),
    memLimitBytes: z.number().int().positive(),
    salt: z.string().min(1),
  })
  .strict();

export const argon2RequestSchema = z
  .object({
    id: z.number().int().nonnegative(),
    /** NFC-normalised UTF-8 (passphraseBytes); transferred, so the sender's copy is detached. */
    passphrase: z.instanceof(Uint8Array),
    params: argon2idParamsSchema,
  })
  .strict();
export type Argon2Request = z.infer<typeof argon2RequestSchema>;

export const argon2ReplySchema = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int().nonnegative(), ok: z.literal(true), key: z.instanceof(Uint8Array) }).strict(),
  z
    .object({
      id: z.number().int().nonnegative(),
      ok: z.literal(false),
      error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).strict(),
    })
    .strict(),
]);
export type Argon2Reply = z.infer<typeof argon2ReplySchema>;

/** The id of a request too malformed to parse, so its sender still gets an answer. */
export const requestIdSchema = z.object({ id: z.number().int().nonnegative() });
