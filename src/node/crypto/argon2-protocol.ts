// The messages between the event loop and the key-stretching worker thread. Two closed kinds of
// work, both Argon2id at a cost no event loop may pay: the vault's own passphrase derivation
// ('argon2id') and the owner channel's OPAQUE registration, whose client half stretches the
// credential with the library's own Argon2id ('opaque-registration'). Errors cross as data
// ({ ok: false, error }), never as thrown objects, and carry only a stable code and a fixed
// message: the passphrase or credential travels once, as bytes the worker zeroes, and is in no
// reply.
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

const argon2idWorkSchema = z
  .object({
    kind: z.literal('argon2id'),
    /** NFC-normalised UTF-8 (passphraseBytes); transferred, so the sender's copy is detached. */
    passphrase: z.instanceof(Uint8Array),
    params: argon2idParamsSchema,
  })
  .strict();

const opaqueRegistrationWorkSchema = z
  .object({
    kind: z.literal('opaque-registration'),
    /** The OPAQUE password as UTF-8 (not normalised: the client logs in with the same string); transferred. */
    password: z.instanceof(Uint8Array),
  })
  .strict();

/** What a worker is asked to do (without the request id the pool adds). */
export const workSchema = z.discriminatedUnion('kind', [argon2idWorkSchema, opaqueRegistrationWorkSchema]);
export type Work = z.infer<typeof workSchema>;

export const workRequestSchema = z.object({ id: z.number().int().nonnegative(), work: workSchema }).strict();
export type WorkRequest = z.infer<typeof workRequestSchema>;

/** Each kind of work has exactly one kind of result; the pool refuses any other pairing. */
export const workResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('argon2id'), key: z.instanceof(Uint8Array) }).strict(),
  z.object({ kind: z.literal('opaque-registration'), serverSetup: z.string().min(1), record: z.string().min(1) }).strict(),
]);
export type WorkResult = z.infer<typeof workResultSchema>;

export const workReplySchema = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int().nonnegative(), ok: z.literal(true), result: workResultSchema }).strict(),
  z
    .object({
      id: z.number().int().nonnegative(),
      ok: z.literal(false),
      error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).strict(),
    })
    .strict(),
]);
export type WorkReply = z.infer<typeof workReplySchema>;

/** The id of a request too malformed to parse, so its sender still gets an answer. */
export const requestIdSchema = z.object({ id: z.number().int().nonnegative() });
