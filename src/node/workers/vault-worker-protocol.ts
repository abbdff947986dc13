// The messages between the event loop and a vault worker thread (vault-worker.ts): one job per
// worker, on its own read-only connection to the vault's database. The database key travels
// once, as a transferred buffer the worker zeroes after opening; errors cross as data with a
// stable code and a fixed message; progress is reported as counts only.
import { z } from 'zod';
import { ERROR_CODES } from '../../core/errors.js';

const auditVerifyJobSchema = z
  .object({
    kind: z.literal('audit-verify'),
    /** The log's public verifier key and origin (the signer stays on the loop). */
    verifierKey: z.string().min(1).max(500),
    origin: z.string().min(1).max(500),
  })
  .strict();

export const vaultJobSchema = z.discriminatedUnion('kind', [auditVerifyJobSchema]);
export type VaultJob = z.infer<typeof vaultJobSchema>;

export const vaultWorkerStartSchema = z
  .object({
    database: z.object({ path: z.string().min(1), key: z.instanceof(Uint8Array) }).strict(),
    job: vaultJobSchema,
  })
  .strict();
export type VaultWorkerStart = z.infer<typeof vaultWorkerStartSchema>;

export const vaultWorkerMessageSchema = z.discriminatedUnion('t', [
  z
    .object({
      t: z.literal('progress'),
      phase: z.string().max(40),
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
    })
    .strict(),
  z.object({ t: z.literal('done'), result: z.unknown() }).strict(),
  z.object({ t: z.literal('failed'), code: z.enum(ERROR_CODES), message: z.string().max(1000) }).strict(),
]);
export type VaultWorkerMessage = z.infer<typeof vaultWorkerMessageSchema>;

/** The full check's answer (core/transparency/audit-verifier.ts AuditVerification), parsed on its way back. */
export const auditVerificationSchema = z
  .object({
    ok: z.boolean(),
    events: z.number().int().nonnegative(),
    checkpoints: z.number().int().nonnegative(),
    verifiedCheckpointSize: z.number().int().nonnegative(),
    damage: z
      .object({
        index: z.number().int().nonnegative(),
        kind: z.enum(['edited', 'deleted', 'reordered', 'truncated', 'forged-checkpoint', 'tree-corrupt']),
        detail: z.string(),
      })
      .strict()
      .nullable(),
  })
  .strict();
