// IPC between the mixed-load benchmark (parent) and its vault-server child. Both ends parse
// what they receive: a child that crashed half-way must show up as an error, not as figures.
import { z } from 'zod';

/**
 * --quick: a cheaper but still real Argon2id, run in the same worker as the vault's own cost,
 * so the smoke run (CI) stays short; the full run uses the vault's default cost.
 */
export const QUICK_KDF = { opsLimit: 2, memLimitBytes: 32 * 1024 * 1024 } as const;

/** unlock / reauth-wrong: key derivations; audit-verify: the full check of the whole log; backup: a full backup file. */
export const ownerWorkSchema = z.enum(['unlock', 'reauth-wrong', 'audit-verify', 'backup']);
export type OwnerWork = z.infer<typeof ownerWorkSchema>;

export const toServerSchema = z.discriminatedUnion('op', [
  /** Run owner work `times` times in a row, then answer `done`. */
  z.object({ op: z.literal('owner'), work: ownerWorkSchema, times: z.number().int().positive() }).strict(),
  z.object({ op: z.literal('stop') }).strict(),
]);
export type ToServer = z.infer<typeof toServerSchema>;

export const fromServerSchema = z.discriminatedUnion('event', [
  z
    .object({
      event: z.literal('ready'),
      agentSocket: z.string(),
      /** A socket whose handler answers at once: the round-trip floor on this machine now. */
      emptySocket: z.string(),
      token: z.string(),
      /** An agent allowed level 3, whose recalls the child's owner approves. */
      requesterToken: z.string(),
      memories: z.array(z.object({ id: z.string(), content: z.string(), level: z.number().int() })),
      kdf: z.object({ opsLimit: z.number().int(), memLimitBytes: z.number().int() }),
      /** Audit events in the log when the owner's verify and backup phases run. */
      logEvents: z.number().int().nonnegative(),
    })
    .strict(),
  z.object({ event: z.literal('done'), work: ownerWorkSchema, ms: z.array(z.number()), codes: z.array(z.string()) }).strict(),
  z.object({ event: z.literal('failed'), message: z.string() }).strict(),
]);
export type FromServer = z.infer<typeof fromServerSchema>;
